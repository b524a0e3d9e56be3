import type { Db } from '../db/client.ts';
import type { AdminViewer } from '../domain/case-access.ts';
import { adminMaySee } from '../domain/case-access.ts';
import { AWAITING_OPD, CASE_STATUSES, OPD_VISIBLE, OPEN_STATUSES, inGroup, type CaseStatus } from '../domain/case-status.ts';
import { stageOf } from '../domain/case-deadlines.ts';
import type { InboxFilter } from '../domain/inbox-query.ts';
import type { SearchQuery } from '../domain/search-query.ts';
import { normalizeForMatch } from '../lib/city-profile.ts';
import { findInboxRows, loadAdminCaseView, type AdminCaseRecord, type InboxRow } from '../db/admin-queries.ts';

/** An inbox is read on a phone: ten cases a page, the next page a button (or "/inbox 2") away. */
export const INBOX_PAGE_SIZE = 10;

export interface InboxItem {
  trackingId: string;
  status: string;
  description: string;
  categoryName: string | null;
  opdCode: string | null;
  unitCode: string | null;
  dueAt: Date | null;
  overdue: boolean;
  lowConfidence: boolean;
  privacy: string;
  urgent: boolean;
  supporterCount: number;
}

export interface InboxPage {
  items: InboxItem[];
  /** 1-based; the last page when the one asked for is past the end. */
  page: number;
  pages: number;
  total: number;
}

/** The stored deadline of the case's current stage (domain/case-deadlines.ts decides who must act). */
function dueOf(c: InboxRow): Date | null {
  switch (stageOf(c.status)) {
    case 'instansi':
      return c.verifyDueAt;
    case 'opd':
      return c.followUpDueAt;
    case 'citizen':
      return c.autoCloseAt;
    case 'done':
      return null;
  }
}

function toItem(r: InboxRow, now: Date): InboxItem {
  const dueAt = dueOf(r);
  return {
    trackingId: r.trackingId,
    status: r.status,
    description: r.description,
    categoryName: r.categoryName,
    opdCode: r.opdCode,
    unitCode: r.unitCode,
    dueAt,
    overdue: dueAt !== null && dueAt.getTime() < now.getTime(),
    lowConfidence: r.lowConfidence,
    privacy: r.privacy,
    urgent: r.urgent,
    supporterCount: r.supporterCount,
  };
}

/** Urgent first (an emergency leads the queue), then overdue, then the nearest deadline, then the oldest. */
function byUrgency(rows: InboxRow[], now: Date): InboxItem[] {
  return rows
    .map((r) => ({ item: toItem(r, now), submittedAt: r.submittedAt }))
    .sort(
      (a, b) =>
        Number(b.item.urgent) - Number(a.item.urgent) ||
        Number(b.item.overdue) - Number(a.item.overdue) ||
        (a.item.dueAt?.getTime() ?? Infinity) - (b.item.dueAt?.getTime() ?? Infinity) ||
        a.submittedAt.getTime() - b.submittedAt.getTime(),
    )
    .map((x) => x.item);
}

function pageOf(items: InboxItem[], page: number): InboxPage {
  const pages = Math.max(1, Math.ceil(items.length / INBOX_PAGE_SIZE));
  const current = Math.min(page, pages);
  return { items: items.slice((current - 1) * INBOX_PAGE_SIZE, current * INBOX_PAGE_SIZE), page: current, pages, total: items.length };
}

/** The statuses an admin's list may contain at all: everything for the admin instansi, OPD_VISIBLE for an OPD. */
function visibleStatuses(admin: AdminViewer): readonly CaseStatus[] {
  return admin.role === 'instansi' ? CASE_STATUSES : OPD_VISIBLE;
}

/** The rows an admin may see of the given statuses, narrowed by OPD/unit filters; access re-checked per row. */
async function rowsFor(db: Db, admin: AdminViewer, statuses: readonly CaseStatus[], narrow: { opdCode?: string; unitCode?: string; urgentOnly?: boolean }): Promise<InboxRow[]> {
  const allowed = statuses.filter((s) => inGroup(visibleStatuses(admin), s));
  if (allowed.length === 0) return [];
  if (admin.role !== 'instansi') {
    // A filter can only narrow: another OPD's or unit's code gives an empty list, never their cases.
    if (!admin.opdCode || (narrow.opdCode && narrow.opdCode !== admin.opdCode)) return [];
    if (admin.unitCode && narrow.unitCode && narrow.unitCode !== admin.unitCode) return [];
  }
  const opdCode = admin.role === 'instansi' ? narrow.opdCode : admin.opdCode!;
  const unitCode = admin.unitCode ?? narrow.unitCode;
  const rows = await findInboxRows(db, {
    statuses: allowed,
    ...(opdCode ? { opdCode, forwardedOnly: admin.role !== 'instansi' } : {}),
    ...(unitCode ? { unitCode } : {}),
    ...(narrow.urgentOnly ? { urgentOnly: true } : {}),
    ...(admin.role !== 'instansi' && admin.opdCode ? { notAccusing: { opdCode: admin.opdCode, ...(admin.unitCode ? { unitCode: admin.unitCode } : {}) } } : {}),
  });
  return rows.filter((r) => adminMaySee(admin, r));
}

/**
 * The admin's queue, one page. Without filters: for the admin instansi every open case (it watches them all; its
 * own step first by deadline), for an OPD or unit the cases waiting for its answer. "semua": every open case it
 * may see. A status, OPD, unit,
 * "terlambat" or "darurat" narrows further; access (domain/case-access.ts) always applies. Handling admins see
 * the content of every case in it, rahasia too.
 */
export async function loadInbox(db: Db, admin: AdminViewer, now: Date, filter: InboxFilter = { page: 1 }): Promise<InboxPage> {
  const statuses: readonly CaseStatus[] = filter.status
    ? [filter.status]
    : filter.all || filter.opdCode || filter.unitCode || filter.overdue || filter.urgent
      ? OPEN_STATUSES
      : admin.role === 'instansi'
        ? OPEN_STATUSES
        : AWAITING_OPD;
  const rows = await rowsFor(db, admin, statuses, { opdCode: filter.opdCode, unitCode: filter.unitCode, urgentOnly: filter.urgent === true });
  let items = byUrgency(rows, now);
  if (filter.overdue) items = items.filter((i) => i.overdue);
  return pageOf(items, filter.page);
}

/**
 * Whether every search word begins a word of the case's text, place, category or tracking id (accents and case
 * forgiven): "sumber" finds "Sumbersari"; a number must be a whole word.
 */
function matches(r: InboxRow, words: readonly string[]): boolean {
  const haystack = normalizeForMatch([r.trackingId, r.description, r.locationText, r.kelurahan, r.kecamatan, r.categoryName].filter(Boolean).join(' ')).split(' ');
  // A number is a whole word ("rt 5" is not "rt 51", and "7" is not the start of an id like "7ZYNT8").
  return words.every((w) => haystack.some((h) => (/^\d+$/.test(w) ? h === w : h.startsWith(w))));
}

/**
 * /cari: the cases this admin may see (any status) whose text matches every word, newest first; or one case by
 * its tracking id. The same access as /kasus: a case the admin may not see is never found.
 */
export async function searchCases(db: Db, admin: AdminViewer, now: Date, query: SearchQuery): Promise<InboxPage> {
  const rows = await rowsFor(db, admin, CASE_STATUSES, {});
  if (query.kind === 'tracking') return pageOf(rows.filter((r) => r.trackingId === query.trackingId).map((r) => toItem(r, now)), 1);
  const found = rows.filter((r) => matches(r, query.words)).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  return pageOf(
    found.map((r) => toItem(r, now)),
    query.page,
  );
}

/** One case for an admin, or null when it does not exist or is not theirs (the two read the same). */
export async function loadCaseForAdmin(db: Db, admin: AdminViewer, trackingId: string): Promise<AdminCaseRecord | null> {
  const c = await loadAdminCaseView(db, trackingId);
  return c && adminMaySee(admin, c) ? c : null;
}

/** Whether an OPD works through units (the Disposisi action is offered). */
export async function opdHasUnits(db: Db, opdCode: string | null): Promise<boolean> {
  if (!opdCode) return false;
  return (await db.unit.count({ where: { opdCode, active: true } })) > 0;
}
