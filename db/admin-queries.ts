import type { Db } from './client.ts';
import type { AdminRecord } from './admins.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import type { AdminCaseView, InboxItem, InboxSection } from '../flows/admin/admin-views.ts';
import { AWAITING_INSTANSI, AWAITING_OPD, stageOf } from '../domain/case-deadlines.ts';

/** An inbox is read on a phone: a screenful per section, the rest counted. */
const INBOX_SECTION_LIMIT = 15;

/** Statuses in which an OPD's admin penghubung sees a case of its OPD (after it was forwarded to them). */
export const PENGHUBUNG_VISIBLE: CaseStatus[] = ['forwarded', 'answered', 'reopened', 'closed'];

export interface CaseScope {
  status: string;
  opdCode: string | null;
  forwardedAt: Date | null;
}

/** Whether an admin may see (and so act on) a case at all. */
export function canSeeCase(admin: Pick<AdminRecord, 'role' | 'opdCode'>, c: CaseScope): boolean {
  if (admin.role === 'instansi') return true;
  return c.opdCode !== null && c.opdCode === admin.opdCode && c.forwardedAt !== null && (PENGHUBUNG_VISIBLE as string[]).includes(c.status);
}

/** The stored deadline of the case's current stage (db/case-deadlines.ts decides who must act). */
function dueOf(c: { status: string; verifyDueAt: Date | null; followUpDueAt: Date | null; autoCloseAt: Date | null }): Date | null {
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

async function section(db: Db, title: string, where: object, now: Date): Promise<InboxSection> {
  const rows = await db.case.findMany({
    where,
    select: {
      trackingId: true,
      status: true,
      description: true,
      opdCode: true,
      privacy: true,
      lowConfidence: true,
      submittedAt: true,
      verifyDueAt: true,
      followUpDueAt: true,
      autoCloseAt: true,
      category: { select: { name: true } },
    },
  });
  const items: Array<InboxItem & { submittedAt: Date }> = rows.map((r) => {
    const dueAt = dueOf(r);
    return {
      trackingId: r.trackingId,
      status: r.status,
      description: r.description,
      categoryName: r.category?.name ?? null,
      opdCode: r.opdCode,
      dueAt,
      overdue: dueAt !== null && dueAt.getTime() < now.getTime(),
      lowConfidence: r.lowConfidence,
      privacy: r.privacy,
      submittedAt: r.submittedAt,
    };
  });
  // Overdue first, then the nearest deadline, then the oldest.
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) ||
      a.submittedAt.getTime() - b.submittedAt.getTime(),
  );
  return {
    title,
    items: items.slice(0, INBOX_SECTION_LIMIT).map(({ submittedAt: _s, ...item }) => item),
    more: Math.max(0, items.length - INBOX_SECTION_LIMIT),
  };
}

/** The admin's queue: for the admin instansi every open case, for an OPD its cases awaiting an answer. */
export async function loadInbox(db: Db, admin: AdminRecord, now: Date): Promise<InboxSection[]> {
  if (admin.role === 'instansi') {
    return [
      await section(db, 'Perlu tindakan Anda (verifikasi / teruskan / tolak)', { status: { in: [...AWAITING_INSTANSI] } }, now),
      await section(db, 'Di OPD, menunggu tanggapan', { status: { in: [...AWAITING_OPD] } }, now),
      await section(db, 'Sudah dijawab, menunggu pelapor', { status: 'answered' }, now),
    ];
  }
  return [await section(db, `Perlu tanggapan ${admin.opdCode}`, { status: { in: [...AWAITING_OPD] }, opdCode: admin.opdCode }, now)];
}

/** Everything an admin may need about one case (redaction for the viewer happens in redactForViewer). */
export async function loadAdminCaseView(db: Db, trackingId: string): Promise<(AdminCaseView & { scope: CaseScope }) | null> {
  const c = await db.case.findUnique({
    where: { trackingId },
    include: {
      category: true,
      opd: true,
      reporter: { include: { identities: true } },
      attachments: { where: { kind: 'photo' }, orderBy: { createdAt: 'asc' } },
      events: { orderBy: { at: 'asc' } },
    },
  });
  if (!c) return null;
  const adminIds = [...new Set(c.events.filter((e) => e.actorType === 'admin' && e.actorId).map((e) => e.actorId!))];
  const admins = await db.admin.findMany({ where: { id: { in: adminIds } }, select: { id: true, name: true, role: true, opdCode: true } });
  const adminName = new Map(admins.map((a) => [a.id, `${a.name}${a.role === 'penghubung' ? `, ${a.opdCode}` : ', instansi'}`]));
  const identity = c.reporter.identities.find((i) => i.conversationKey === c.conversationKey);
  return {
    trackingId: c.trackingId,
    status: c.status,
    reportKind: c.reportKind,
    description: c.description,
    categoryCode: c.categoryCode,
    categoryName: c.category?.name ?? null,
    opdCode: c.opdCode,
    opdName: c.opd?.name ?? null,
    privacy: c.privacy,
    locationText: c.locationText,
    area: [c.kelurahan ? `Kel. ${c.kelurahan}` : null, c.kecamatan ? `Kec. ${c.kecamatan}` : null].filter(Boolean).join(', ') || null,
    latitude: c.latitude,
    longitude: c.longitude,
    submittedAt: c.submittedAt,
    verifyDueAt: c.verifyDueAt,
    followUpDueAt: c.followUpDueAt,
    autoCloseAt: c.autoCloseAt,
    confidence: c.confidence,
    classifier: c.classifier,
    lowConfidence: c.lowConfidence,
    reopenCount: c.reopenCount,
    rating: c.rating,
    resolved: c.resolved,
    reporter: { name: c.reporter.name ?? identity?.displayName ?? null, phone: identity?.phone ?? null, conversationKey: c.conversationKey },
    photos: c.attachments.map((a) => a.path),
    events: c.events.map((e) => ({
      at: e.at,
      actor: e.actorType === 'admin' ? (adminName.get(e.actorId ?? '') ?? 'admin') : e.actorType === 'citizen' ? 'pelapor' : 'sistem',
      action: e.action,
      note: e.note,
      internal: e.internal,
    })),
    scope: { status: c.status, opdCode: c.opdCode, forwardedAt: c.forwardedAt },
  };
}

/** Cases a citizen is asked to confirm (answered), newest answer first. */
export async function findAnsweredCaseForCitizen(db: Db, citizenId: string, trackingId?: string) {
  return db.case.findFirst({
    where: { reporterId: citizenId, status: 'answered', ...(trackingId ? { trackingId } : {}) },
    orderBy: { answeredAt: 'desc' },
    select: { id: true, trackingId: true, reopenCount: true },
  });
}

/** The citizen's case that was answered last, whatever its status now (to explain a late "puas"/"belum"). */
export async function findLastAnsweredCaseForCitizen(db: Db, citizenId: string) {
  return db.case.findFirst({
    where: { reporterId: citizenId, answeredAt: { not: null } },
    orderBy: { answeredAt: 'desc' },
    select: { trackingId: true, status: true },
  });
}

/**
 * The filter every public listing, statistic with case content or export must use: a "rahasia" case's content
 * is never public. (Anonymous cases may appear, without the reporter's identity.)
 */
export const PUBLIC_CASE_WHERE = { privacy: { not: 'rahasia' } } as const;
