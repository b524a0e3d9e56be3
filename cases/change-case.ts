import type { Db } from '../db/client.ts';
import type { CaseForAlert, Tx } from '../db/file-case.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { Reply } from '../domain/messages.ts';
import { enqueueNotification, alertAdmins, type AlertCase } from './notify.ts';
import { newId } from '../lib/ids.ts';
import { AppError } from '../lib/errors.ts';
import { adminMayAct, type AdminViewer } from '../domain/case-access.ts';
import { nextStatus, type CaseAction, type Refusal } from '../domain/case-lifecycle.ts';
import type { UrgentDeadlineHours } from '../domain/urgent-deadlines.ts';
import { asLanguage, supporterProgressText, type AlertKind } from '../domain/case-notices.ts';

/** Who made a change; recorded on the case event. */
export interface Actor {
  type: 'admin' | 'citizen' | 'system';
  id: string | null;
}

export interface ActionDeps {
  db: Db;
  calendar: WorkingCalendar;
  now: Date;
  /** The admin making the change; re-checked inside the transaction against the case as it is now (domain/case-access.ts). */
  viewer?: AdminViewer;
  /** The city's urgent deadlines in hours (profile.emergency); the profile's default when unset. */
  urgentDeadlines?: UrgentDeadlineHours;
}

export type ActionRefusal =
  | Refusal
  | { code: 'NOT_FOUND' }
  | { code: 'UNKNOWN_OPD'; value: string }
  | { code: 'UNKNOWN_CATEGORY'; value: string }
  | { code: 'NO_OPD' }
  /** The automatic close found the case's deadline not (or no longer) passed, e.g. it was answered again. */
  | { code: 'NOT_DUE' }
  /** /bukandarurat on a case that is not flagged urgent. */
  | { code: 'NOT_URGENT' }
  /** /gabung: the main case is missing, not the admin's, finished or itself merged. */
  | { code: 'MAIN_NOT_OPEN'; value: string }
  | { code: 'SAME_CASE' }
  /** A citizen cannot support their own case. */
  | { code: 'OWN_CASE' }
  /** The OPD or unit an integrity complaint accuses: never routed there (domain/case-access.ts). */
  | { code: 'ACCUSED'; value: string }
  | { code: 'UNKNOWN_UNIT'; value: string }
  | { code: 'UNIT_NOT_UNDER_OPD'; value: string; opdCode: string }
  | { code: 'NO_UNIT' };

export type ActionResult =
  | { ok: true; caseId: string; trackingId: string; from: CaseStatus; to: CaseStatus; opdCode: string | null; opdName: string | null; unitCode?: string | null }
  | { ok: false; refusal: ActionRefusal };

/** The case changed between reading and writing (another admin acted at the same moment). */
class CaseChangedError extends AppError {
  constructor() {
    super('CASE_CHANGED', 'case changed concurrently', true);
  }
}

/** One retry after a concurrent change: the second read sees the new status and decides again. */
const CONCURRENT_CHANGE_RETRIES = 1;

const caseInclude = {
  opd: true,
  category: true,
  reporter: true,
  attachments: { orderBy: { createdAt: 'asc' as const } },
  supporters: { include: { citizen: { select: { language: true } } } },
} as const;
type LoadedCase = NonNullable<Awaited<ReturnType<typeof loadCase>>>;

function loadCase(tx: Tx | Db, trackingId: string) {
  return tx.case.findUnique({ where: { trackingId }, include: caseInclude });
}

interface ChangeContext {
  tx: Tx;
  c: LoadedCase;
  from: CaseStatus;
  to: CaseStatus;
  now: Date;
  deps: ActionDeps;
  /** Writes an event for this change. */
  event(action: string, extra?: { note?: string | null; internal?: boolean; data?: object; fromStatus?: string | null; toStatus?: string | null }): Promise<void>;
  /** A dedupe key makes the notice once-only even if the change were somehow applied twice. */
  notifyCitizen(reply: Omit<Reply, 'caseRef'>, options?: { dedupeKey?: string }): Promise<void>;
  /** Alerts the admin instansi, or the admins of the OPD holding the case, who may see it (domain/case-access.ts). */
  notifyAdmins(
    to: 'instansi' | 'opd',
    kind: AlertKind,
    extra?: { note?: string; fromOpd?: string },
    /** warnedOfEmergency: address the admins warned when the case was filed urgent (before it was forwarded). */
    options?: { withPhoto?: boolean; warnedOfEmergency?: boolean },
  ): Promise<void>;
  lang: ReturnType<typeof asLanguage>;
}

interface ChangeSpec {
  action: CaseAction;
  actor: Actor;
  /** Extra checks before the status check (e.g. an OPD code must exist); return a refusal to stop. */
  precheck?(c: LoadedCase, tx: Tx): Promise<ActionRefusal | undefined>;
  /** Writes the status-specific fields, events and notifications. The status itself is already updated. */
  apply(ctx: ChangeContext): Promise<{ data?: object } | void>;
  /** Fields to write together with the status (deadlines, timestamps). */
  fields?(c: LoadedCase, to: CaseStatus, now: Date): object;
  /** The change keeps the status (a unit's hand-back to its OPD), though the action checked is a status move. */
  keepStatus?: boolean;
}

/**
 * Runs one lifecycle change in ONE transaction: the status moves only if it is still the status we read
 * (a concurrent change retries once), and the change's events and outbox notifications are written in the
 * same transaction, so a notification exists exactly when its change does.
 */
export async function change(deps: ActionDeps, trackingId: string, spec: ChangeSpec, attempt = 0): Promise<ActionResult> {
  try {
    return await deps.db.$transaction(async (tx) => {
      const c = await loadCase(tx, trackingId);
      if (!c || (deps.viewer && !adminMayAct(deps.viewer, c, spec.action))) return { ok: false, refusal: { code: 'NOT_FOUND' } } as const;
      const pre = await spec.precheck?.(c, tx);
      if (pre) return { ok: false, refusal: pre } as const;
      const from = c.status as CaseStatus;
      const move = nextStatus(spec.action, from, { reopenCount: c.reopenCount });
      if (!move.ok) return { ok: false, refusal: move.refusal } as const;
      const now = deps.now;
      const to = spec.keepStatus ? from : move.to;
      // The unit too: a disposition or hand-back read with one unit must not land on a case another admin moved.
      const updated = await tx.case.updateMany({
        where: { id: c.id, status: from, unitCode: c.unitCode },
        data: { status: to, ...(spec.fields?.(c, to, now) ?? {}) },
      });
      if (updated.count !== 1) throw new CaseChangedError();
      const lang = asLanguage(c.reporter.language);
      const ctx: ChangeContext = {
        tx,
        c,
        from,
        to,
        now,
        deps,
        lang,
        event: async (action, extra = {}) => {
          await tx.caseEvent.create({
            data: {
              id: newId(),
              caseId: c.id,
              at: now,
              actorType: spec.actor.type,
              actorId: spec.actor.id,
              action,
              fromStatus: extra.fromStatus === undefined ? from : extra.fromStatus,
              toStatus: extra.toStatus === undefined ? to : extra.toStatus,
              note: extra.note ?? null,
              internal: extra.internal ?? false,
              data: extra.data ?? undefined,
            },
          });
        },
        notifyCitizen: async (reply, options = {}) => {
          await enqueueNotification(tx, {
            conversationKey: c.conversationKey,
            caseId: c.id,
            reply: { ...reply, caseRef: c.trackingId },
            ...(options.dedupeKey ? { dedupeKey: options.dedupeKey } : {}),
          });
        },
        notifyAdmins: async (to, kind, extra = {}, options = {}) => {
          // Reloaded: the change may have set a new category, OPD or status.
          const current = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: { opd: true, category: true, unit: true } });
          const photo = options.withPhoto ? c.attachments.find((a) => a.kind === 'photo') : undefined;
          const opdHasUnits = current.opdCode ? (await tx.unit.count({ where: { opdCode: current.opdCode, active: true } })) > 0 : false;
          const alert = { ...alertCase({ ...current, reporter: c.reporter }, opdHasUnits), supporterCount: c.supporters.length };
          await alertAdmins(tx, options.warnedOfEmergency ? { ...alert, urgent: true } : alert, to, kind, extra, photo?.path, options.warnedOfEmergency);
        },
      };
      await spec.apply(ctx);
      // Every status change reaches the supporters too, in their own words (a merge moves them to the main case).
      if (to !== from && spec.action !== 'merge') await notifySupporters(tx, c, to, now);
      const after = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: { opd: true } });
      return { ok: true, caseId: c.id, trackingId: c.trackingId, from, to, opdCode: after.opdCode, opdName: after.opd?.name ?? null, unitCode: after.unitCode } as const;
    });
  } catch (err) {
    if (err instanceof CaseChangedError && attempt < CONCURRENT_CHANGE_RETRIES) return change(deps, trackingId, spec, attempt + 1);
    throw err;
  }
}

/** firstResponseAt is the first admin action the citizen is told about. */
export function firstResponse(c: LoadedCase, now: Date): object {
  return c.firstResponseAt ? {} : { firstResponseAt: now };
}

/**
 * The OPD's (or unit's) own first response since the case was forwarded to it: its answer or hand-back, never the
 * city's verification. Reset by every forward (a new OPD is measured from its own start).
 */
export function opdFirstResponse(c: LoadedCase, now: Date): object {
  return c.opdRespondedAt ? {} : { opdRespondedAt: now };
}

export async function resolveOpd(tx: Tx, code: string | undefined): Promise<{ code: string; name: string } | null> {
  if (!code) return null;
  return tx.opd.findFirst({ where: { code: code.toUpperCase(), active: true }, select: { code: true, name: true } });
}

/** Actor of the scheduled jobs (the automatic close). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };


/**
 * Tells each supporter of a case of its new status, on their own chat (domain/case-notices.ts decides what they
 * may read: the status, never the reporter nor an admin's words).
 */
async function notifySupporters(
  tx: Tx,
  c: { id: string; trackingId: string; supporters: Array<{ citizenId: string; conversationKey: string; citizen: { language: string } }> },
  status: CaseStatus,
  now: Date,
): Promise<void> {
  if (c.supporters.length === 0) return;
  // Reloaded: a forward has just set the OPD.
  const current = await tx.case.findUniqueOrThrow({ where: { id: c.id }, select: { opd: { select: { name: true } } } });
  for (const s of c.supporters) {
    const text = supporterProgressText(asLanguage(s.citizen.language), c.trackingId, status, current.opd?.name ?? null);
    if (!text) continue;
    await enqueueNotification(tx, {
      conversationKey: s.conversationKey,
      caseId: c.id,
      reply: { text, caseRef: c.trackingId },
      dedupeKey: `supporter:${c.id}:${s.citizenId}:${status}:${now.getTime()}`,
    });
  }
}

/** What an alert needs of a loaded case. */
export function alertCase(
  // A case read for its alert (db/file-case.ts), or a Case with its OPD, category, reporter (and unit) included.
  c: Omit<CaseForAlert, 'unit' | 'urgent' | 'emergencyKind' | 'opdHasUnits'> & { unit?: { name: string } | null; urgent?: boolean; emergencyKind?: string | null },
  opdHasUnits = false,
): AlertCase {
  return {
    id: c.id,
    trackingId: c.trackingId,
    status: c.status,
    privacy: c.privacy,
    opdCode: c.opdCode,
    unitCode: c.unitCode,
    accusedOpdCode: c.accusedOpdCode,
    accusedUnitCode: c.accusedUnitCode,
    reopenCount: c.reopenCount,
    unitName: c.unit?.name ?? null,
    opdHasUnits,
    forwardedAt: c.forwardedAt,
    description: c.description,
    locationText: c.locationText,
    lowConfidence: c.lowConfidence,
    categoryName: c.category?.name ?? null,
    opdName: c.opd?.name ?? null,
    reporterName: c.reporter.name ?? null,
    urgent: c.urgent ?? false,
    emergencyKind: c.emergencyKind ?? null,
  };
}
