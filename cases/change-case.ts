import type { Db } from '../db/client.ts';
import type { Tx } from '../db/file-case.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { Reply } from '../flows/types.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { currentDeadline, isOverdue } from '../domain/case-deadlines.ts';
import { enqueueNotification } from '../db/outbox.ts';
import { listActiveAdmins } from '../db/admins.ts';
import { newId } from '../lib/ids.ts';
import { AppError } from '../lib/errors.ts';
import { nextStatus, type CaseAction, type Refusal } from '../domain/case-lifecycle.ts';
import { asLanguage, ft } from '../domain/case-notices.ts';
import { adminAlertText, type AlertFacts, type AlertKind } from '../flows/admin/admin-views.ts';

/** Who made a change; recorded on the case event. */
export interface Actor {
  type: 'admin' | 'citizen' | 'system';
  id: string | null;
}

export interface ActionDeps {
  db: Db;
  calendar: WorkingCalendar;
  now: Date;
  /** Re-checked inside the transaction: may this actor touch the case as it is now? (An OPD only its own.) */
  allow?(c: { status: string; opdCode: string | null; forwardedAt: Date | null }): boolean;
}

export type ActionRefusal =
  | Refusal
  | { code: 'NOT_FOUND' }
  | { code: 'UNKNOWN_OPD'; value: string }
  | { code: 'UNKNOWN_CATEGORY'; value: string }
  | { code: 'NO_OPD' }
  /** The automatic close found the case's deadline not (or no longer) passed, e.g. it was answered again. */
  | { code: 'NOT_DUE' };

export type ActionResult =
  | { ok: true; caseId: string; trackingId: string; from: CaseStatus; to: CaseStatus; opdCode: string | null; opdName: string | null }
  | { ok: false; refusal: ActionRefusal };

/** The case changed between reading and writing (another admin acted at the same moment). */
class CaseChangedError extends AppError {
  constructor() {
    super('CASE_CHANGED', 'case changed concurrently', true);
  }
}

/** One retry after a concurrent change: the second read sees the new status and decides again. */
const CONCURRENT_CHANGE_RETRIES = 1;

const caseInclude = { opd: true, category: true, reporter: true, attachments: { orderBy: { createdAt: 'asc' as const } } } as const;
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
  notifyAdmins(filter: { role: 'instansi' } | { role: 'penghubung'; opdCode: string }, kind: AlertKind, extra?: Record<string, string>, options?: { withPhoto?: boolean }): Promise<void>;
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
}

/**
 * Runs one lifecycle change in ONE transaction: the status moves only if it is still the status we read
 * (a concurrent change retries once), and the change's events and outbox notifications are written in the
 * same transaction, so a notification exists exactly when its change does.
 */
async function change(deps: ActionDeps, trackingId: string, spec: ChangeSpec, attempt = 0): Promise<ActionResult> {
  try {
    return await deps.db.$transaction(async (tx) => {
      const c = await loadCase(tx, trackingId);
      if (!c || (deps.allow && !deps.allow(c))) return { ok: false, refusal: { code: 'NOT_FOUND' } } as const;
      const pre = await spec.precheck?.(c, tx);
      if (pre) return { ok: false, refusal: pre } as const;
      const from = c.status as CaseStatus;
      const move = nextStatus(spec.action, from, { reopenCount: c.reopenCount });
      if (!move.ok) return { ok: false, refusal: move.refusal } as const;
      const now = deps.now;
      const updated = await tx.case.updateMany({
        where: { id: c.id, status: from },
        data: { status: move.to, ...(spec.fields?.(c, move.to, now) ?? {}) },
      });
      if (updated.count !== 1) throw new CaseChangedError();
      const lang = asLanguage(c.reporter.language);
      const ctx: ChangeContext = {
        tx,
        c,
        from,
        to: move.to,
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
              toStatus: extra.toStatus === undefined ? move.to : extra.toStatus,
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
        notifyAdmins: async (filter, kind, extra = {}, options = {}) => {
          // Reloaded: the change may have set a new category or OPD.
          const current = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: { opd: true, category: true } });
          const photo = options.withPhoto ? c.attachments.find((a) => a.kind === 'photo') : undefined;
          await alertAdmins(tx, { ...current, reporter: c.reporter }, filter, kind, extra, photo?.path);
        },
      };
      await spec.apply(ctx);
      const after = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: { opd: true } });
      return { ok: true, caseId: c.id, trackingId: c.trackingId, from, to: move.to, opdCode: after.opdCode, opdName: after.opd?.name ?? null } as const;
    });
  } catch (err) {
    if (err instanceof CaseChangedError && attempt < CONCURRENT_CHANGE_RETRIES) return change(deps, trackingId, spec, attempt + 1);
    throw err;
  }
}

/** firstResponseAt is the first admin action the citizen is told about. */
function firstResponse(c: LoadedCase, now: Date): object {
  return c.firstResponseAt ? {} : { firstResponseAt: now };
}

async function resolveOpd(tx: Tx, code: string | undefined): Promise<{ code: string; name: string } | null> {
  if (!code) return null;
  return tx.opd.findFirst({ where: { code: code.toUpperCase(), active: true }, select: { code: true, name: true } });
}

export interface VerifyRequest {
  categoryCode?: string;
  opdCode?: string;
}

/** submitted → verified; may correct the category and the OPD (a new category brings its default OPD). */
export async function verifyCase(deps: ActionDeps, actor: Actor, trackingId: string, request: VerifyRequest = {}): Promise<ActionResult> {
  let categoryCode: string | undefined;
  let opdCode: string | undefined;
  return change(deps, trackingId, {
    action: 'verify',
    actor,
    precheck: async (_c, tx) => {
      if (request.categoryCode) {
        const category = await tx.category.findUnique({ where: { code: request.categoryCode.toUpperCase() } });
        if (!category) return { code: 'UNKNOWN_CATEGORY', value: request.categoryCode };
        categoryCode = category.code;
        opdCode = category.defaultOpdCode;
      }
      if (request.opdCode) {
        const opd = await resolveOpd(tx, request.opdCode);
        if (!opd) return { code: 'UNKNOWN_OPD', value: request.opdCode };
        opdCode = opd.code;
      }
      return undefined;
    },
    fields: (c, _to, now) => ({
      verifiedAt: now,
      ...firstResponse(c, now),
      ...(categoryCode ? { categoryCode } : {}),
      ...(opdCode ? { opdCode } : {}),
    }),
    apply: async (ctx) => {
      const changes = {
        ...(categoryCode && categoryCode !== ctx.c.categoryCode ? { categoryCode: { from: ctx.c.categoryCode, to: categoryCode } } : {}),
        ...(opdCode && opdCode !== ctx.c.opdCode ? { opdCode: { from: ctx.c.opdCode, to: opdCode } } : {}),
      };
      await ctx.event('verified', { data: Object.keys(changes).length ? changes : undefined });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'verified', { trackingId: ctx.c.trackingId }) });
    },
  });
}

/** submitted|verified|rerouted → forwarded to an OPD; from "submitted" it is verified on the way. */
export async function forwardCase(deps: ActionDeps, actor: Actor, trackingId: string, opdCodeInput?: string): Promise<ActionResult> {
  let opd: { code: string; name: string } | null = null;
  return change(deps, trackingId, {
    action: 'forward',
    actor,
    precheck: async (c, tx) => {
      opd = await resolveOpd(tx, opdCodeInput ?? c.opdCode ?? undefined);
      if (!opd) return opdCodeInput ? { code: 'UNKNOWN_OPD', value: opdCodeInput } : { code: 'NO_OPD' };
      return undefined;
    },
    fields: (c, _to, now) => ({
      opdCode: opd!.code,
      forwardedAt: now,
      followUpDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.followUpWorkingDays),
      ...(c.verifiedAt ? {} : { verifiedAt: now }),
      ...firstResponse(c, now),
    }),
    apply: async (ctx) => {
      const target = opd!;
      if (ctx.from === 'submitted') await ctx.event('verified', { toStatus: 'verified' });
      await ctx.event('forwarded', {
        fromStatus: ctx.from === 'submitted' ? 'verified' : ctx.from,
        note: target.name,
        data: { opdCode: target.code, previousOpdCode: ctx.c.opdCode },
      });
      await ctx.notifyCitizen({
        text: ft(ctx.lang, 'forwarded', { trackingId: ctx.c.trackingId, opdName: target.name, days: SERVICE_LEVELS.followUpWorkingDays }),
      });
      await ctx.notifyAdmins({ role: 'penghubung', opdCode: target.code }, 'forwarded', {}, { withPhoto: true });
    },
  });
}

/** Rejected with a reason the citizen reads (not a public-service matter, unclear, spam). */
export async function rejectCase(deps: ActionDeps, actor: Actor, trackingId: string, reason: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'reject',
    actor,
    fields: (c, _to, now) => ({ closedAt: now, followUpDueAt: null, ...firstResponse(c, now) }),
    apply: async (ctx) => {
      await ctx.event('rejected', { note: reason });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'rejected', { trackingId: ctx.c.trackingId, reason }) });
    },
  });
}

/** The OPD's answer: sent to the citizen with the question whether it is solved; the auto-close clock starts. */
export async function answerCase(deps: ActionDeps, actor: Actor, trackingId: string, answer: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'answer',
    actor,
    fields: (c, _to, now) => ({
      answeredAt: now,
      autoCloseAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.autoCloseWorkingDays),
      ...firstResponse(c, now),
    }),
    apply: async (ctx) => {
      await ctx.event('answered', { note: answer });
      await ctx.notifyCitizen({
        text: ft(ctx.lang, 'answered', {
          trackingId: ctx.c.trackingId,
          opdName: ctx.c.opd?.name ?? '-',
          answer,
          days: SERVICE_LEVELS.autoCloseWorkingDays,
        }),
        choices: [
          { value: 'puas', label: ft(ctx.lang, 'choiceSatisfied') },
          { value: 'belum', label: ft(ctx.lang, 'choiceUnsatisfied') },
        ],
      });
    },
  });
}

/** "Bukan wewenang": the OPD hands the case back to the admin instansi with a reason. */
export async function returnCase(deps: ActionDeps, actor: Actor, trackingId: string, reason: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'return',
    actor,
    // The OPD no longer owes a follow-up; the admin instansi owes a new forward, within the verification
    // service level counted from the hand-back (the submission's own deadline has usually passed by now, and
    // the reminders would otherwise escalate it at once as "not verified").
    fields: (_c, _to, now) => ({ followUpDueAt: null, verifyDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.verifyWorkingDays) }),
    apply: async (ctx) => {
      await ctx.event('returned', { note: reason, data: { opdCode: ctx.c.opdCode } });
      await ctx.notifyAdmins({ role: 'instansi' }, 'returned', { note: reason, fromOpd: ctx.c.opdCode ?? '-' });
    },
  });
}

/** An internal note: admins only, never shown or sent to the citizen. */
export async function addNote(deps: ActionDeps, actor: Actor, trackingId: string, note: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'note',
    actor,
    apply: async (ctx) => {
      await ctx.event('noted', { note, internal: true, fromStatus: null, toStatus: null });
    },
  });
}

/** Closed by the admin instansi (e.g. solved but the citizen never answered). */
export async function closeCase(deps: ActionDeps, actor: Actor, trackingId: string, note?: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'close',
    actor,
    fields: (_c, _to, now) => ({ closedAt: now, autoCloseAt: null, followUpDueAt: null }),
    apply: async (ctx) => {
      await ctx.event('closed', { note: note ?? null });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'closedByAdmin', { trackingId: ctx.c.trackingId }) });
    },
  });
}

/** Actor of the scheduled jobs (the automatic close). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/**
 * The daily job's automatic close: an answered case the citizen did not reply to before its deadline
 * (`autoCloseAt`, or 10 working days after the answer when the field is missing). Status, event and the
 * citizen's notice in one transaction; the deadline is re-checked inside it, so a case answered again since
 * the job read it is left alone. `resolved` stays unknown: the citizen never said.
 */
export async function autoCloseCase(deps: ActionDeps, trackingId: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'autoClose',
    actor: SYSTEM_ACTOR,
    precheck: async (c) => (c.status !== 'answered' || isOverdue(currentDeadline(c, deps.calendar), deps.now) ? undefined : { code: 'NOT_DUE' }),
    fields: (_c, _to, now) => ({ closedAt: now, autoCloseAt: null, followUpDueAt: null }),
    apply: async (ctx) => {
      await ctx.event('auto_closed', { note: `no reply from the citizen for ${SERVICE_LEVELS.autoCloseWorkingDays} working days` });
      await ctx.notifyCitizen(
        { text: ft(ctx.lang, 'autoClosed', { trackingId: ctx.c.trackingId, days: SERVICE_LEVELS.autoCloseWorkingDays }) },
        { dedupeKey: `auto-close:${ctx.c.id}` },
      );
    },
  });
}

/** The citizen says "puas": closed as resolved. The reply (and rating question) goes back directly. */
export async function citizenSatisfied(deps: ActionDeps, actor: Actor, trackingId: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'satisfied',
    actor,
    fields: (_c, _to, now) => ({ closedAt: now, resolved: true, autoCloseAt: null }),
    apply: async (ctx) => {
      await ctx.event('satisfied');
    },
  });
}

/**
 * The citizen says "belum": the first time the case goes back to the OPD with the citizen's words; once it has
 * been reopened, it closes as unresolved and the admin instansi is told.
 */
export async function citizenUnsatisfied(deps: ActionDeps, actor: Actor, trackingId: string, words: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'unsatisfied',
    actor,
    fields: (c, to, now) =>
      to === 'reopened'
        ? { reopenCount: c.reopenCount + 1, autoCloseAt: null, followUpDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.followUpWorkingDays) }
        : { closedAt: now, resolved: false, autoCloseAt: null },
    apply: async (ctx) => {
      if (ctx.to === 'reopened') {
        await ctx.event('reopened', { note: words });
        if (ctx.c.opdCode) await ctx.notifyAdmins({ role: 'penghubung', opdCode: ctx.c.opdCode }, 'reopened', { note: words });
      } else {
        await ctx.event('closed_unresolved', { note: words || null });
        await ctx.notifyAdmins({ role: 'instansi' }, 'unresolved', { note: words || '-' });
      }
    },
  });
}

/** Information the citizen adds to an open case; it reaches whoever holds the case now. */
export async function citizenAddInfo(deps: ActionDeps, actor: Actor, trackingId: string, text: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'addInfo',
    actor,
    apply: async (ctx) => {
      await ctx.event('info_added', { note: text, fromStatus: null, toStatus: null });
      const atOpd = ['forwarded', 'answered', 'reopened'].includes(ctx.from) && ctx.c.opdCode;
      if (atOpd) await ctx.notifyAdmins({ role: 'penghubung', opdCode: ctx.c.opdCode! }, 'info', { note: text });
      else await ctx.notifyAdmins({ role: 'instansi' }, 'info', { note: text });
    },
  });
}

/** A 1-5 rating of a closed case. */
export async function rateCase(deps: ActionDeps, actor: Actor, trackingId: string, rating: number): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'rate',
    actor,
    fields: () => ({ rating }),
    apply: async (ctx) => {
      await ctx.event('rated', { data: { rating }, fromStatus: null, toStatus: null });
    },
  });
}

/** What an admin alert needs of a case. */
type AlertCase = Omit<AlertFacts, 'categoryName' | 'opdName' | 'reporterName' | 'note' | 'fromOpd'> & {
  id: string;
  category: { name: string } | null;
  opd: { name: string } | null;
  reporter: { name: string | null };
};

/**
 * Enqueues one alert per matching active admin. The reporter's name goes to the admin instansi only, and never
 * for an anonymous report.
 */
async function alertAdmins(
  tx: Tx,
  c: AlertCase,
  filter: { role: 'instansi' } | { role: 'penghubung'; opdCode: string },
  kind: AlertKind,
  extra: Record<string, string> = {},
  photoPath?: string,
): Promise<void> {
  for (const admin of await listActiveAdmins(tx, filter)) {
    const text = adminAlertText(kind, {
      trackingId: c.trackingId,
      description: c.description,
      categoryName: c.category?.name ?? null,
      opdCode: c.opdCode,
      opdName: c.opd?.name ?? null,
      locationText: c.locationText,
      lowConfidence: c.lowConfidence,
      privacy: c.privacy,
      reporterName: admin.role === 'instansi' && c.privacy !== 'anonim' ? (c.reporter.name ?? null) : null,
      ...extra,
    });
    await enqueueNotification(tx, {
      conversationKey: admin.conversationKey,
      caseId: c.id,
      reply: { text, caseRef: c.trackingId, ...(photoPath ? { image: { path: photoPath } } : {}) },
    });
  }
}

/** A new case alerts every admin instansi; runs inside the filing transaction. */
export async function alertNewCase(tx: Tx, caseId: string): Promise<void> {
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId }, include: { opd: true, category: true, reporter: true } });
  await alertAdmins(tx, c, { role: 'instansi' }, 'new');
}
