import type { Db } from './client.ts';

/** One case in an admin's queue, as stored. */
export interface InboxRow {
  trackingId: string;
  status: string;
  description: string;
  opdCode: string | null;
  unitCode: string | null;
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  locationText: string | null;
  kelurahan: string | null;
  kecamatan: string | null;
  privacy: string;
  lowConfidence: boolean;
  submittedAt: Date;
  forwardedAt: Date | null;
  verifyDueAt: Date | null;
  followUpDueAt: Date | null;
  autoCloseAt: Date | null;
  categoryName: string | null;
  /** Flagged an emergency at filing (cleared by /bukandarurat): leads the queue. */
  urgent: boolean;
  /** Citizens who reported the same problem (CaseSupporter rows). */
  supporterCount: number;
}

/** Upper bound on the rows one list reads (an inbox or a search is sorted and paged in memory). */
export const MAX_LIST_ROWS = 5_000;

/**
 * Cases in `statuses` for an admin's queue or search: of one OPD (forwarded there), of one unit, never those
 * accusing `notAccusing`. The caller sorts, pages and re-checks access (domain/case-access.ts). At most
 * MAX_LIST_ROWS, newest first: a city's open cases are far fewer.
 */
export async function findInboxRows(
  db: Db,
  filter: {
    statuses: readonly string[];
    opdCode?: string | null;
    /** With opdCode: only cases forwarded there (an OPD's own view); the admin instansi also sees suggested ones. */
    forwardedOnly?: boolean;
    unitCode?: string;
    notAccusing?: { opdCode: string; unitCode?: string };
    /** Only cases flagged urgent (/inbox darurat). */
    urgentOnly?: boolean;
  },
): Promise<InboxRow[]> {
  const accused = filter.notAccusing
    ? [
        { OR: [{ accusedOpdCode: null }, { accusedOpdCode: { not: filter.notAccusing.opdCode } }] },
        ...(filter.notAccusing.unitCode ? [{ OR: [{ accusedUnitCode: null }, { accusedUnitCode: { not: filter.notAccusing.unitCode } }] }] : []),
      ]
    : [];
  const rows = await db.case.findMany({
    where: {
      status: { in: [...filter.statuses] },
      ...(filter.opdCode !== undefined ? { opdCode: filter.opdCode, ...(filter.forwardedOnly === false ? {} : { forwardedAt: { not: null } }) } : {}),
      ...(filter.unitCode ? { unitCode: filter.unitCode } : {}),
      ...(accused.length ? { AND: accused } : {}),
      ...(filter.urgentOnly ? { urgent: true } : {}),
    },
    include: { category: { select: { name: true } }, _count: { select: { supporters: true } } },
    orderBy: { submittedAt: 'desc' },
    take: MAX_LIST_ROWS,
  });
  return rows.map((r) => ({
    trackingId: r.trackingId,
    status: r.status,
    description: r.description,
    opdCode: r.opdCode,
    unitCode: r.unitCode,
    accusedOpdCode: r.accusedOpdCode,
    accusedUnitCode: r.accusedUnitCode,
    locationText: r.locationText,
    kelurahan: r.kelurahan,
    kecamatan: r.kecamatan,
    privacy: r.privacy,
    lowConfidence: r.lowConfidence,
    submittedAt: r.submittedAt,
    forwardedAt: r.forwardedAt,
    verifyDueAt: r.verifyDueAt,
    followUpDueAt: r.followUpDueAt,
    autoCloseAt: r.autoCloseAt,
    categoryName: r.category?.name ?? null,
    urgent: r.urgent,
    supporterCount: r._count.supporters,
  }));
}

/** Everything an admin may need about one case, unredacted: cases/ and domain/case-access.ts decide what is shown. */
export interface AdminCaseRecord {
  trackingId: string;
  status: string;
  reportKind: string;
  description: string;
  categoryCode: string | null;
  categoryName: string | null;
  opdCode: string | null;
  opdName: string | null;
  unitCode: string | null;
  unitName: string | null;
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  privacy: string;
  locationText: string | null;
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  submittedAt: Date;
  verifyDueAt: Date | null;
  followUpDueAt: Date | null;
  autoCloseAt: Date | null;
  confidence: number | null;
  classifier: string | null;
  lowConfidence: boolean;
  reopenCount: number;
  rating: number | null;
  resolved: boolean | null;
  /** Null when the viewer may not know who reported it. */
  reporter: { name: string | null; phone: string | null; conversationKey: string | null } | null;
  photos: string[];
  events: Array<{ at: Date; actor: string; action: string; note: string | null; internal: boolean }>;
  forwardedAt: Date | null;
  urgent: boolean;
  emergencyKind: string | null;
  /** Citizens who reported the same problem (supporters and merged duplicates' reporters); counted, never listed. */
  supporterCount: number;
  /** The main case this one was merged into (/gabung). */
  mergedIntoTrackingId: string | null;
}

export async function loadAdminCaseView(db: Db, trackingId: string): Promise<AdminCaseRecord | null> {
  const c = await db.case.findUnique({
    where: { trackingId },
    include: {
      category: true,
      opd: true,
      unit: true,
      reporter: { include: { identities: true } },
      attachments: { where: { kind: 'photo' }, orderBy: { createdAt: 'asc' } },
      events: { orderBy: { at: 'asc' } },
      _count: { select: { supporters: true } },
    },
  });
  if (!c) return null;
  const mergedInto = c.mergedIntoId ? await db.case.findUnique({ where: { id: c.mergedIntoId }, select: { trackingId: true } }) : null;
  const adminIds = [...new Set(c.events.filter((e) => e.actorType === 'admin' && e.actorId).map((e) => e.actorId!))];
  const admins = await db.admin.findMany({ where: { id: { in: adminIds } }, select: { id: true, name: true, role: true, opdCode: true, unitCode: true } });
  const adminName = new Map(admins.map((a) => [a.id, `${a.name}${a.role === 'penghubung' ? `, ${a.unitCode ?? a.opdCode}` : ', instansi'}`]));
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
    unitCode: c.unitCode,
    unitName: c.unit?.name ?? null,
    accusedOpdCode: c.accusedOpdCode,
    accusedUnitCode: c.accusedUnitCode,
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
    urgent: c.urgent,
    emergencyKind: c.emergencyKind,
    supporterCount: c._count.supporters,
    mergedIntoTrackingId: mergedInto?.trackingId ?? null,
    events: c.events.map((e) => ({
      at: e.at,
      actor: e.actorType === 'admin' ? (adminName.get(e.actorId ?? '') ?? 'admin') : e.actorType === 'citizen' ? 'pelapor' : 'sistem',
      action: e.action,
      note: e.note,
      internal: e.internal,
    })),
    forwardedAt: c.forwardedAt,
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
