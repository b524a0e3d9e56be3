import type { Db } from './client.ts';

/** A case with its category, OPD and every event, for the reporter's view (cases/reporter-cases.ts). */
export async function findCaseWithHistory(db: Db, trackingId: string) {
  const found = await db.case.findUnique({
    where: { trackingId },
    include: {
      category: { select: { name: true } },
      opd: { select: { name: true } },
      events: { orderBy: { at: 'asc' } },
    },
  });
  if (!found) return null;
  return {
    trackingId: found.trackingId,
    reporterId: found.reporterId,
    privacy: found.privacy,
    status: found.status,
    reportKind: found.reportKind,
    description: found.description,
    locationText: found.locationText,
    submittedAt: found.submittedAt,
    forwardedAt: found.forwardedAt,
    categoryName: found.category?.name ?? null,
    opdName: found.opd?.name ?? null,
    events: found.events.map((e) => ({ at: e.at, action: e.action, toStatus: e.toStatus, note: e.note, internal: e.internal })),
  };
}

/** A reporter's most recent cases, newest first. */
export async function listCasesOfReporter(db: Db, citizenId: string, limit: number) {
  return db.case.findMany({
    where: { reporterId: citizenId },
    orderBy: { submittedAt: 'desc' },
    take: limit,
    select: { trackingId: true, status: true, description: true, submittedAt: true },
  });
}
