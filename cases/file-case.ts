import type { Db } from '../db/client.ts';
import type { Tx } from '../db/file-case.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { Channel } from '../domain/messages.ts';
import type { IntakeDraft } from '../domain/intake-draft.ts';
import type { SenderInfo } from '../db/citizens.ts';
import { findCaseForAlert, insertCase, type FiledCase, type NewCaseFields } from '../db/file-case.ts';
import { newTrackingId } from '../domain/tracking-id.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { LOW_CONFIDENCE } from '../nlp/classifier.ts';
import { alertAdmins } from './notify.ts';
import { alertCase } from './change-case.ts';
import { routeCase } from '../domain/route-case.ts';
import { detectIntegrityComplaint } from '../nlp/detect-integrity-complaint.ts';
import { detectEmergency } from '../nlp/detect-emergency.ts';
import { DEFAULT_URGENT_DEADLINES, urgentDueDates } from '../domain/urgent-deadlines.ts';
import type { CityProfile } from '../lib/city-profile.ts';

export type { FiledCase } from '../db/file-case.ts';

export interface FileCaseRequest {
  intakeKey: string;
  conversationKey: string;
  channel: Channel;
  sender: SenderInfo;
  language: string;
  draft: IntakeDraft;
  now: Date;
}

/** More work in the filing transaction (a deployment's or a test's own notice); runs after the alert. */
export type CaseFiledHook = (tx: Tx, filed: { id: string; trackingId: string; now: Date }) => Promise<void>;

export interface FilingDeps {
  db: Db;
  /** The city profile: its units and integrity OPD decide where the case goes (domain/route-case.ts). */
  profile?: CityProfile;
  calendar: WorkingCalendar;
  hooks?: readonly CaseFiledHook[];
}

/** What a finished intake stores: the citizen's words and place, and what the classifier settled on. */
function fieldsOf(draft: IntakeDraft, profile: CityProfile | undefined): NewCaseFields {
  const c = draft.classification;
  const routing = profile
    ? routeCase(profile, {
        opdCode: c?.opdCode ?? null,
        kelurahan: draft.kelurahan,
        kecamatan: draft.kecamatan,
        placeCode: draft.placeCode,
        text: draft.description,
        integrityComplaint: detectIntegrityComplaint(draft.description ?? '').integrity,
      })
    : undefined;
  return {
    reportKind: c?.reportKind ?? 'pengaduan',
    description: draft.description ?? '',
    categoryCode: c?.categoryCode ?? null,
    opdCode: routing ? routing.opdCode : (c?.opdCode ?? null),
    unitCode: routing?.unitCode ?? null,
    accusedOpdCode: routing?.accusedOpdCode ?? null,
    accusedUnitCode: routing?.accusedUnitCode ?? null,
    locationText: draft.locationText ?? null,
    latitude: draft.latitude ?? null,
    longitude: draft.longitude ?? null,
    kelurahan: draft.kelurahan ?? null,
    kecamatan: draft.kecamatan ?? null,
    placeCode: draft.placeCode ?? null,
    privacy: draft.privacy ?? 'biasa',
    classifier: c?.classifier ?? null,
    classifierModel: c?.model ?? null,
    confidence: c?.confidence ?? null,
    classifierReason: c?.reason ?? null,
    lowConfidence: c ? c.confidence < LOW_CONFIDENCE : true,
    classifyLatencyMs: c ? Math.round(c.latencyMs) : null,
    tokensIn: c?.tokensIn ?? null,
    tokensOut: c?.tokensOut ?? null,
    classifyFallback: c?.fallback ?? null,
    ...urgencyOf(draft),
  };
}

/**
 * Whether the report is an emergency: the classifier's flag when it gave one (the LLM's, or the offline rules it
 * fell back to), otherwise the offline detector on the description (nlp/detect-emergency.ts).
 */
export function urgencyOf(draft: IntakeDraft): { urgent: boolean; emergencyKind: string | null } {
  const c = draft.classification;
  if (c?.emergency !== undefined) return { urgent: c.emergency, emergencyKind: c.emergency ? (c.emergencyKind ?? null) : null };
  const detected = detectEmergency(draft.description ?? '');
  return { urgent: detected.urgent, emergencyKind: detected.urgent ? (detected.kind ?? null) : null };
}

/**
 * Files a case from a finished intake, in ONE transaction with its first event, its verification deadline and
 * the new-case alert to every admin instansi. Idempotent: filing the same intake twice (a crash between filing
 * and saving the conversation, or a redelivered "ya") returns the first case and writes nothing.
 */
export async function fileCase(deps: FilingDeps, request: FileCaseRequest): Promise<FiledCase> {
  const fields = fieldsOf(request.draft, deps.profile);
  // The verification deadline goes in with the row: hours for an emergency, working days otherwise.
  const verifyDueAt = fields.urgent
    ? urgentDueDates(deps.profile?.emergency.urgentDeadlines ?? DEFAULT_URGENT_DEADLINES, request.now).verifyDueAt
    : deps.calendar.addWorkingDays(request.now, SERVICE_LEVELS.verifyWorkingDays);
  return insertCase(
    deps.db,
    {
      intakeKey: request.intakeKey,
      conversationKey: request.conversationKey,
      channel: request.channel,
      sender: request.sender,
      language: request.language,
      fields: { ...fields, verifyDueAt },
      photos: request.draft.photos,
      audios: request.draft.audios,
      now: request.now,
      newTrackingId,
    },
    async (tx, filed) => {
      if (fields.urgent) await alertUrgentCase(tx, filed.id);
      else await alertNewCase(tx, filed.id);
      for (const hook of deps.hooks ?? []) await hook(tx, filed);
    },
  );
}

/**
 * An urgent case alerts, at once, every admin instansi and the admins of the OPD it is routed to (before it is
 * forwarded: domain/case-access.ts adminWarnedOfEmergency); runs inside the filing transaction.
 */
async function alertUrgentCase(tx: Tx, caseId: string): Promise<void> {
  const c = await findCaseForAlert(tx, caseId);
  const alert = alertCase(c);
  await alertAdmins(tx, alert, 'instansi', 'urgent', { note: `Verifikasi dan teruskan segera: /teruskan ${c.trackingId} ${c.opdCode ?? '<OPD>'}` });
  await alertAdmins(tx, alert, 'opd', 'urgent', { note: 'Laporan ini menunggu verifikasi admin instansi; mohon bersiap menindaklanjuti.' });
}

/** A new case alerts every admin instansi; runs inside the filing transaction. */
async function alertNewCase(tx: Tx, caseId: string): Promise<void> {
  const c = await findCaseForAlert(tx, caseId);
  await alertAdmins(tx, alertCase(c, c.opdHasUnits), 'instansi', 'new');
}
