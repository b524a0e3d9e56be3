import type { Db } from './client.ts';
import type { CaseSummaryView, CaseView } from '../flows/types.ts';
import { citizenIdForKey } from './citizens.ts';

/**
 * A case as its own reporter sees it, or null. Another person's case and a missing case give the same null,
 * so tracking ids cannot be probed. Internal events (admin notes) are never included.
 */
export async function findCaseForReporter(db: Db, conversationKey: string, trackingId: string): Promise<CaseView | null> {
  const citizenId = await citizenIdForKey(db, conversationKey);
  if (!citizenId) return null;
  const found = await db.case.findUnique({
    where: { trackingId },
    include: {
      category: { select: { name: true } },
      opd: { select: { name: true } },
      events: { where: { internal: false }, orderBy: { at: 'asc' } },
    },
  });
  if (!found || found.reporterId !== citizenId) return null;
  // The OPD is shown only once the case has been forwarded to it.
  const opdVisible = !['submitted', 'rejected'].includes(found.status) && found.forwardedAt !== null;
  return {
    trackingId: found.trackingId,
    status: found.status,
    reportKind: found.reportKind,
    description: found.description,
    categoryName: found.category?.name,
    opdName: opdVisible ? found.opd?.name : undefined,
    locationText: found.locationText,
    submittedAt: found.submittedAt.toISOString(),
    events: found.events.map((e) => ({ at: e.at.toISOString(), action: e.action, toStatus: e.toStatus, note: e.actorType === 'admin' && e.action === 'noted' ? null : e.note })),
  };
}

const MY_CASES_LIMIT = 10;

/** The reporter's most recent cases, newest first. */
export async function listCasesForReporter(db: Db, conversationKey: string): Promise<CaseSummaryView[]> {
  const citizenId = await citizenIdForKey(db, conversationKey);
  if (!citizenId) return [];
  const rows = await db.case.findMany({
    where: { reporterId: citizenId },
    orderBy: { submittedAt: 'desc' },
    take: MY_CASES_LIMIT,
    select: { trackingId: true, status: true, description: true, submittedAt: true },
  });
  return rows.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() }));
}
