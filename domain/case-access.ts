import type { CaseAction } from './case-lifecycle.ts';
import { OPD_VISIBLE, inGroup, isOpen, type AdminRole } from './case-status.ts';

/**
 * Case access: the ONE place that answers "may this viewer act on this case" and "what of this case may this
 * audience see". Every reader of a case (flows, notices, jobs, reports, export, the classifier) asks here.
 *
 * The rules, decided once:
 * - RAHASIA: the admins who handle a case (the admin instansi, and the OPD — later the unit — it was forwarded
 *   to) see its content, in /kasus, /inbox, alerts and reminders alike. Nothing public, exported or sent to a
 *   third party (the LLM provider) does: the export drops the content, a public listing leaves the case out,
 *   and the complaint is classified by the local classifier instead of the LLM.
 * - ANONIM: the reporter's identity is for the admin instansi only (it verifies and may need to call back);
 *   never an OPD or unit, never an export, never the public. The content is not secret.
 * - BIASA: an OPD sees the reporter's name, never the phone or the chat (it answers through the bot); the
 *   export carries the name, the public never.
 * - The REPORTER sees their own case: status, description, the OPD once forwarded, the answer and a rejection
 *   reason. Not the admins' internal notes, the OPD's hand-back reason, a closing admin's remark or a system
 *   note: the status "being rerouted to another agency" is the explanation the citizen gets. Another citizen
 *   sees nothing: their case and a missing case read the same, so tracking ids cannot be probed.
 * - An OPD admin sees a case of its OPD only once it was forwarded there, and not after it was handed back
 *   (OPD_VISIBLE); a unit admin (unitCode set) only its own unit's cases of that OPD.
 * - The DAILY SUMMARY counts cases and names no case content or reporter.
 */

/** Who reads a case. */
export type Audience = 'reporter' | 'other-citizen' | 'opd-admin' | 'instansi-admin' | 'daily-summary' | 'export' | 'public' | 'llm-provider';

export const AUDIENCES: readonly Audience[] = ['reporter', 'other-citizen', 'opd-admin', 'instansi-admin', 'daily-summary', 'export', 'public', 'llm-provider'];

/** An admin as access sees it: the admin instansi, an OPD's admin penghubung, or (unitCode) one unit's admin. */
export interface AdminViewer {
  role: AdminRole;
  opdCode: string | null;
  /** A unit (kelurahan, kecamatan, puskesmas) under the OPD; unset for an OPD-wide admin. */
  unitCode?: string | null;
}

/** What access needs to know about a case. */
export interface CaseScope {
  status: string;
  privacy: string;
  opdCode: string | null;
  forwardedAt: Date | null;
  /** The unit the OPD disposed the case to, once units exist. */
  unitCode?: string | null;
}

/** What of a case an audience may see. */
export interface Visibility {
  /** The case at all (tracking id, status, category). False: it reads as missing / is left out. */
  exists: boolean;
  /** Description, location, photos. */
  content: boolean;
  reporterName: boolean;
  /** Phone number and chat (conversation key). */
  reporterContact: boolean;
  /** Admins' internal notes and the OPD's hand-back reason. */
  internalNotes: boolean;
}

const NOTHING: Visibility = { exists: false, content: false, reporterName: false, reporterContact: false, internalNotes: false };

/**
 * What `audience` may see of a case. For admins this assumes they may see the case at all (`adminMaySee`);
 * an OPD admin asking about a case not forwarded to it gets NOTHING from `adminVisibility`.
 */
export function visibleTo(audience: Audience, c: Pick<CaseScope, 'privacy'>): Visibility {
  const rahasia = c.privacy === 'rahasia';
  const anonim = c.privacy === 'anonim';
  switch (audience) {
    case 'reporter':
      return { exists: true, content: true, reporterName: true, reporterContact: true, internalNotes: false };
    case 'other-citizen':
      return NOTHING;
    case 'instansi-admin':
      return { exists: true, content: true, reporterName: true, reporterContact: true, internalNotes: true };
    case 'opd-admin':
      return { exists: true, content: true, reporterName: !anonim, reporterContact: false, internalNotes: true };
    case 'daily-summary':
      return { exists: true, content: false, reporterName: false, reporterContact: false, internalNotes: false };
    case 'export':
      return { exists: true, content: !rahasia, reporterName: !anonim, reporterContact: false, internalNotes: false };
    case 'public':
      return rahasia ? NOTHING : { exists: true, content: true, reporterName: false, reporterContact: false, internalNotes: false };
    case 'llm-provider':
      return { exists: true, content: !rahasia, reporterName: false, reporterContact: false, internalNotes: false };
  }
}

export function audienceOf(viewer: AdminViewer): Audience {
  return viewer.role === 'instansi' ? 'instansi-admin' : 'opd-admin';
}

/** Whether an admin may see (and so be told about, and act on) a case at all. */
export function adminMaySee(viewer: AdminViewer, c: Omit<CaseScope, 'privacy'>): boolean {
  if (viewer.role === 'instansi') return true;
  if (!viewer.opdCode || c.opdCode !== viewer.opdCode || c.forwardedAt === null || !inGroup(OPD_VISIBLE, c.status)) return false;
  return !viewer.unitCode || c.unitCode === viewer.unitCode;
}

/** What an admin may see of a case: nothing when it is not theirs. */
export function adminVisibility(viewer: AdminViewer, c: CaseScope): Visibility {
  return adminMaySee(viewer, c) ? visibleTo(audienceOf(viewer), c) : NOTHING;
}

/** Changes only the admin instansi makes; the OPD answers, hands back and notes. */
const INSTANSI_ACTIONS: ReadonlySet<CaseAction> = new Set(['verify', 'forward', 'reject', 'close']);
/** Changes admins make at all (the rest are the citizen's or the system's). */
const ADMIN_ACTIONS: ReadonlySet<CaseAction> = new Set(['verify', 'forward', 'reject', 'answer', 'return', 'note', 'close']);

/** Whether an admin's role allows an action, whatever the case. */
export function roleMayAct(role: AdminRole, action: CaseAction): boolean {
  if (!ADMIN_ACTIONS.has(action)) return false;
  return role === 'instansi' || !INSTANSI_ACTIONS.has(action);
}

/**
 * Whether an admin may take `action` on this case now: its role allows it and the case is theirs. Whether the
 * case's status allows it is the lifecycle table's answer (domain/case-lifecycle.ts), asked separately so the
 * refusal can say which.
 */
export function adminMayAct(viewer: AdminViewer, c: Omit<CaseScope, 'privacy'>, action: CaseAction): boolean {
  return roleMayAct(viewer.role, action) && adminMaySee(viewer, c);
}

/** The citizen's own changes; only ever on their own case. */
const CITIZEN_ACTIONS: ReadonlySet<CaseAction> = new Set(['satisfied', 'unsatisfied', 'addInfo', 'rate']);

export function citizenMayAct(isReporter: boolean, action: CaseAction): boolean {
  return isReporter && CITIZEN_ACTIONS.has(action);
}

/**
 * Which cases an admin's statistics (/statistik) count: the whole city for the admin instansi, the cases its
 * OPD holds for an OPD admin (the report applies OPD_VISIBLE), nothing for an OPD admin with no OPD. Counts
 * only: a report carries no content or reporter, so privacy does not limit it further.
 */
export function statisticsScope(viewer: AdminViewer): { opdCode: string | null } | undefined {
  if (viewer.role === 'instansi') return { opdCode: null };
  return viewer.opdCode ? { opdCode: viewer.opdCode } : undefined;
}

/** Removes the reporter fields an admin may not see (an OPD: no contact ever, no name on an anonim case). */
export function redactReporterFor<R extends { name: string | null; phone: string | null; conversationKey: string | null }>(
  viewer: AdminViewer,
  c: CaseScope,
  reporter: R | null,
): { name: string | null; phone: string | null; conversationKey: string | null } | null {
  const v = adminVisibility(viewer, c);
  if (!reporter || !v.reporterName) return null;
  return { name: reporter.name, phone: v.reporterContact ? reporter.phone : null, conversationKey: v.reporterContact ? reporter.conversationKey : null };
}

// ---- the reporter's view (cek / laporan saya) -----------------------------------------------------------

export interface CaseEventView {
  at: string;
  action: string;
  toStatus?: string | null;
  note?: string | null;
}

export interface CaseView {
  trackingId: string;
  status: string;
  reportKind: string;
  description: string;
  categoryName?: string;
  opdName?: string;
  locationText?: string | null;
  submittedAt: string;
  events: CaseEventView[];
}

export interface CaseSummaryView {
  trackingId: string;
  status: string;
  description: string;
  submittedAt: string;
}

/**
 * Events whose note is written for the citizen (a rejection reason, the OPD's answer, the OPD's name) or by
 * them (their own words). Every other note (internal notes, the hand-back reason, an admin's closing remark,
 * a system note) stays with the admins.
 */
const NOTE_FOR_REPORTER: ReadonlySet<string> = new Set(['forwarded', 'rejected', 'answered', 'reopened', 'closed_unresolved', 'info_added']);

export interface StoredCaseForReporter {
  trackingId: string;
  status: string;
  reportKind: string;
  description: string;
  locationText: string | null;
  submittedAt: Date;
  forwardedAt: Date | null;
  categoryName: string | null;
  opdName: string | null;
  events: Array<{ at: Date; action: string; toStatus: string | null; note: string | null; internal: boolean }>;
}

/** A case as its own reporter sees it. The caller has checked that the viewer is the reporter. */
export function reporterView(c: StoredCaseForReporter): CaseView {
  // The OPD is named only once the case has been forwarded to it (a suggested OPD is not a promise).
  const opdVisible = c.forwardedAt !== null && c.status !== 'submitted' && c.status !== 'rejected';
  return {
    trackingId: c.trackingId,
    status: c.status,
    reportKind: c.reportKind,
    description: c.description,
    categoryName: c.categoryName ?? undefined,
    opdName: opdVisible ? (c.opdName ?? undefined) : undefined,
    locationText: c.locationText,
    submittedAt: c.submittedAt.toISOString(),
    events: c.events
      .filter((e) => !e.internal)
      .map((e) => ({ at: e.at.toISOString(), action: e.action, toStatus: e.toStatus, note: NOTE_FOR_REPORTER.has(e.action) ? e.note : null })),
  };
}

// ---- the public's view (Open311 API, the page per case, the dashboard) --------------------------------------

/**
 * The PUBLIC (anyone on the web, the Open311 API's readers) — the 'public' audience of visibleTo, in full:
 * - RAHASIA: never, not even that it exists (the same answer as an unknown tracking id). The dashboard COUNTS
 *   it, as SP4N-LAPOR! reports its totals: in the city's totals, and in breakdowns under one "rahasia" row,
 *   never under its OPD, unit or category (a count of "complaints about Puskesmas X" would say too much).
 * - A case is LISTED (API, search) only once the admin instansi verified it. Before that, whoever holds the
 *   tracking id (its reporter, from the filing confirmation) sees only that it was received, when, and whether
 *   it was turned down: no content.
 * - No reporter ever, anonim or not: no name, phone, chat, e-mail; free text is masked by the caller (phone
 *   numbers, NIK, e-mail in a description), internal notes and the citizen's follow-up words never show.
 * - ANONIM: the place is coarsened, since a complaint's location is often the reporter's own street: the
 *   coordinates to PUBLIC_COORDINATE_DECIMALS decimals (about 110 m), the address to kelurahan and kecamatan.
 * - Photos of listed cases only (the caller re-encodes them, dropping EXIF/GPS).
 * - The agency is the unit when the case went to one (a puskesmas, a kelurahan office), else the OPD, and only
 *   while the OPD holds the case (a suggested OPD is not a promise; a handed-back case is the city's again).
 */
export type PublicStanding = 'listed' | 'received' | 'hidden';

export interface PublicScope {
  privacy: string;
  verifiedAt: Date | null;
}

/** The listing rule as data, for a database filter (db/ and the HTTP side build their where-clause from it). */
export const PUBLIC_LISTING = {
  /** Privacy levels never shown or listed. */
  hiddenPrivacy: ['rahasia'] as readonly string[],
  /** Listed only once verified. */
  requiresVerification: true,
} as const;

/** Where a case stands for the public. */
export function publicStanding(c: PublicScope): PublicStanding {
  if (!visibleTo('public', c).exists || PUBLIC_LISTING.hiddenPrivacy.includes(c.privacy)) return 'hidden';
  if (PUBLIC_LISTING.requiresVerification && c.verifiedAt === null) return 'received';
  return 'listed';
}

/** Decimals kept of an anonim case's coordinates: 3 is about 110 m, a block rather than a house. */
export const PUBLIC_COORDINATE_DECIMALS = 3;

/** The one breakdown row every rahasia case is counted under on the dashboard. */
export const PUBLIC_RAHASIA_GROUP = 'rahasia';

/** The dashboard's group of a case in a breakdown (by OPD, unit, category): its own, or the rahasia row. */
export function publicGroupKey(c: { privacy: string }, key: string): string {
  return c.privacy === 'rahasia' ? PUBLIC_RAHASIA_GROUP : key;
}

/** The fields of a listed case the public sees; nothing else of a case leaves for the public. */
export const PUBLIC_FIELDS = [
  'trackingId', 'status', 'open', 'reportKind', 'serviceCode', 'serviceName', 'description', 'address', 'latitude',
  'longitude', 'agency', 'opdName', 'unitName', 'statusNotes', 'requestedAt', 'updatedAt', 'photoIds', 'events',
] as const;

/** Public events, and whether their note shows: the OPD's name, the answer and a rejection reason are written for the public. */
export const PUBLIC_EVENT_NOTES: Readonly<Record<string, boolean>> = {
  submitted: false,
  verified: false,
  forwarded: true,
  answered: true,
  returned: false,
  reopened: false,
  rejected: true,
  closed: false,
  auto_closed: false,
  satisfied: false,
  closed_unresolved: false,
};

/** Statuses in which the OPD a case was forwarded to holds it (rerouted: back with the admin instansi). */
const HELD_BY_OPD: ReadonlySet<string> = new Set(['forwarded', 'answered', 'reopened', 'closed']);

export interface StoredCaseForPublic extends PublicScope {
  trackingId: string;
  status: string;
  reportKind: string;
  categoryCode: string | null;
  categoryName: string | null;
  description: string;
  locationText: string | null;
  kelurahan: string | null;
  kecamatan: string | null;
  latitude: number | null;
  longitude: number | null;
  forwardedAt: Date | null;
  submittedAt: Date;
  answeredAt: Date | null;
  opdName: string | null;
  unitName: string | null;
  photoIds: string[];
  /** Events not marked internal; the rest are filtered here. */
  events: Array<{ at: Date; action: string; note: string | null }>;
}

export interface PublicEventView {
  at: Date;
  action: string;
  note: string | null;
}

export interface PublicCaseView {
  trackingId: string;
  status: string;
  open: boolean;
  reportKind: string;
  serviceCode: string | null;
  serviceName: string | null;
  description: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Who handles it for the public: the unit's name when it went to a unit, else the OPD's; null while the city's admin holds it. */
  agency: string | null;
  opdName: string | null;
  unitName: string | null;
  /** The answer, or the rejection reason. */
  statusNotes: string | null;
  requestedAt: Date;
  /** The last public event. */
  updatedAt: Date;
  photoIds: string[];
  events: PublicEventView[];
}

function coarsen(value: number | null): number | null {
  if (value === null) return null;
  const factor = 10 ** PUBLIC_COORDINATE_DECIMALS;
  return Math.round(value * factor) / factor;
}

/**
 * A case as the public sees it, or null when it is not listed (rahasia, or not verified yet). `mask` hides
 * personal data in free text (phone numbers, NIK, e-mail); every free-text field passes through it.
 */
export function publicView(c: StoredCaseForPublic, mask: (text: string) => string): PublicCaseView | null {
  if (publicStanding(c) !== 'listed') return null;
  const visible = visibleTo('public', c);
  const anonim = c.privacy === 'anonim';
  const masked = (text: string | null) => (text ? mask(text) : null);
  const events = c.events
    .filter((e) => e.action in PUBLIC_EVENT_NOTES)
    .map((e) => ({ at: e.at, action: e.action, note: PUBLIC_EVENT_NOTES[e.action] ? masked(e.note) : null }));
  const lastNote = (action: string) => [...events].reverse().find((e) => e.action === action)?.note ?? null;
  const statusNotes = c.status === 'rejected' ? lastNote('rejected') : c.answeredAt ? lastNote('answered') : null;
  const held = c.forwardedAt !== null && HELD_BY_OPD.has(c.status);
  const place = [c.kelurahan, c.kecamatan].filter(Boolean).join(', ') || null;
  return {
    trackingId: c.trackingId,
    status: c.status,
    open: isOpen(c.status),
    reportKind: c.reportKind,
    serviceCode: c.categoryCode,
    serviceName: c.categoryName,
    description: visible.content ? (masked(c.description) ?? '') : '',
    address: !visible.content ? null : anonim ? place : (masked(c.locationText) ?? place),
    latitude: !visible.content ? null : anonim ? coarsen(c.latitude) : c.latitude,
    longitude: !visible.content ? null : anonim ? coarsen(c.longitude) : c.longitude,
    agency: held ? (c.unitName ?? c.opdName) : null,
    opdName: held ? c.opdName : null,
    unitName: held ? c.unitName : null,
    statusNotes,
    requestedAt: c.submittedAt,
    updatedAt: events.at(-1)?.at ?? c.submittedAt,
    photoIds: visible.content ? c.photoIds : [],
    events,
  };
}
