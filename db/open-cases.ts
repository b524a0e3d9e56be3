import type { Db } from './client.ts';

/** An unfinished case as the daily job reads it (deadline fields, what a reminder names). */
export interface OpenCase {
  id: string;
  trackingId: string;
  status: string;
  privacy: string;
  description: string;
  opdCode: string | null;
  unitCode: string | null;
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  conversationKey: string;
  submittedAt: Date;
  forwardedAt: Date | null;
  answeredAt: Date | null;
  verifyDueAt: Date | null;
  followUpDueAt: Date | null;
  autoCloseAt: Date | null;
  categoryName: string | null;
  opdName: string | null;
  reporterLanguage: string;
}

export interface ActiveAdmin {
  id: string;
  role: 'instansi' | 'penghubung';
  opdCode: string | null;
  /** Set for a unit's admin: sees (and is reminded of) that unit's cases only. */
  unitCode: string | null;
  conversationKey: string;
}

/** Cases in `statuses` (the caller names the group, domain/case-status.ts), oldest first. */
export async function loadOpenCases(db: Db, statuses: readonly string[]): Promise<OpenCase[]> {
  const rows = await db.case.findMany({
    where: { status: { in: [...statuses] } },
    select: {
      id: true,
      trackingId: true,
      status: true,
      privacy: true,
      description: true,
      opdCode: true,
      unitCode: true,
      accusedOpdCode: true,
      accusedUnitCode: true,
      conversationKey: true,
      submittedAt: true,
      forwardedAt: true,
      answeredAt: true,
      verifyDueAt: true,
      followUpDueAt: true,
      autoCloseAt: true,
      category: { select: { name: true } },
      opd: { select: { name: true } },
      reporter: { select: { language: true } },
    },
    orderBy: { submittedAt: 'asc' },
  });
  return rows.map(({ category, opd, reporter, ...c }) => ({
    ...c,
    categoryName: category?.name ?? null,
    opdName: opd?.name ?? null,
    reporterLanguage: reporter.language,
  }));
}

export async function loadActiveAdmins(db: Db): Promise<ActiveAdmin[]> {
  const rows = await db.admin.findMany({
    where: { removedAt: null },
    select: { id: true, role: true, opdCode: true, unitCode: true, conversationKey: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ ...r, role: r.role === 'instansi' ? 'instansi' : 'penghubung' }));
}
