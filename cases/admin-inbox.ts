import type { Db } from '../db/client.ts';
import type { AdminViewer } from '../domain/case-access.ts';
import { adminMaySee } from '../domain/case-access.ts';
import { AWAITING_INSTANSI, AWAITING_OPD } from '../domain/case-status.ts';
import { stageOf } from '../domain/case-deadlines.ts';
import { findInboxRows, loadAdminCaseView, type AdminCaseRecord, type InboxRow } from '../db/admin-queries.ts';

/** An inbox is read on a phone: a screenful per section, the rest counted. */
const INBOX_SECTION_LIMIT = 15;

export interface InboxItem {
  trackingId: string;
  status: string;
  description: string;
  categoryName: string | null;
  opdCode: string | null;
  dueAt: Date | null;
  overdue: boolean;
  lowConfidence: boolean;
  privacy: string;
  urgent: boolean;
  supporterCount: number;
}

export interface InboxSection {
  title: string;
  items: InboxItem[];
  /** How many more than shown. */
  more: number;
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

function section(title: string, rows: InboxRow[], now: Date): InboxSection {
  const items = rows.map((r) => {
    const dueAt = dueOf(r);
    return {
      item: {
        trackingId: r.trackingId,
        status: r.status,
        description: r.description,
        categoryName: r.categoryName,
        opdCode: r.opdCode,
        dueAt,
        overdue: dueAt !== null && dueAt.getTime() < now.getTime(),
        lowConfidence: r.lowConfidence,
        privacy: r.privacy,
        urgent: r.urgent,
        supporterCount: r.supporterCount,
      } satisfies InboxItem,
      submittedAt: r.submittedAt,
    };
  });
  // Urgent first (an emergency leads the queue), then overdue, then the nearest deadline, then the oldest.
  items.sort(
    (a, b) =>
      Number(b.item.urgent) - Number(a.item.urgent) ||
      Number(b.item.overdue) - Number(a.item.overdue) ||
      (a.item.dueAt?.getTime() ?? Infinity) - (b.item.dueAt?.getTime() ?? Infinity) ||
      a.submittedAt.getTime() - b.submittedAt.getTime(),
  );
  return { title, items: items.slice(0, INBOX_SECTION_LIMIT).map((x) => x.item), more: Math.max(0, items.length - INBOX_SECTION_LIMIT) };
}

/**
 * The admin's queue: for the admin instansi every open case, for an OPD its cases awaiting an answer. Handling
 * admins see the content of every case in it, rahasia too (domain/case-access.ts).
 */
export async function loadInbox(db: Db, admin: AdminViewer, now: Date, options: { urgentOnly?: boolean } = {}): Promise<InboxSection[]> {
  const { urgentOnly } = options;
  if (admin.role === 'instansi') {
    return [
      section('Perlu tindakan Anda (verifikasi / teruskan / tolak)', await findInboxRows(db, { statuses: AWAITING_INSTANSI, urgentOnly }), now),
      section('Di OPD, menunggu tanggapan', await findInboxRows(db, { statuses: AWAITING_OPD, urgentOnly }), now),
      section('Sudah dijawab, menunggu pelapor', await findInboxRows(db, { statuses: ['answered'], urgentOnly }), now),
    ];
  }
  const rows = await findInboxRows(db, { statuses: AWAITING_OPD, opdCode: admin.opdCode, urgentOnly });
  return [section(`Perlu tanggapan ${admin.opdCode}`, rows.filter((r) => adminMaySee(admin, r)), now)];
}

/** One case for an admin, or null when it does not exist or is not theirs (the two read the same). */
export async function loadCaseForAdmin(db: Db, admin: AdminViewer, trackingId: string): Promise<AdminCaseRecord | null> {
  const c = await loadAdminCaseView(db, trackingId);
  return c && adminMaySee(admin, c) ? c : null;
}
