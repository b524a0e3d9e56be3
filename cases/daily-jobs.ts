import type { Db } from '../db/client.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { Logger } from '../lib/logger.ts';
import { OPEN_STATUSES } from '../domain/case-status.ts';
import { currentDeadline, isOverdue, stageOf } from '../domain/case-deadlines.ts';
import { adminMaySee } from '../domain/case-access.ts';
import { dueSoonText, escalationText, overdueText, summaryText, type SummaryCounts } from '../domain/reminder-notices.ts';
import { loadActiveAdmins, loadOpenCases, type ActiveAdmin, type OpenCase } from '../db/open-cases.ts';
import { enqueueNotification, type Notification } from './notify.ts';
import { autoCloseCase } from './auto-close-case.ts';
import { errorCode } from '../lib/errors.ts';
import { pruneOldRecords, type PruneResult } from '../db/prune-retention.ts';
import { deleteOrphanAttachments, type OrphanCleanupResult } from '../db/orphan-attachments.ts';

export type { ActiveAdmin, OpenCase } from '../db/open-cases.ts';
export { formatDay } from '../domain/reminder-notices.ts';

/**
 * The scheduled work of one day, in the city's time zone: automatic close of answered cases the citizen left
 * unanswered, reminders to an OPD's admins, escalation of overdue cases to the admin instansi and a short
 * summary for every admin. Every notice carries a dedupe key, so running the job twice (a restart, a catch-up
 * run after downtime, two processes) still sends each notice once.
 */

export interface ReminderDeps {
  db: Db;
  calendar: WorkingCalendar;
  log: Logger;
  /** IANA time zone of the city, for dates in the notices. */
  timezone: string;
  /** RETENTION_DAYS: handled-message ids and finished outbox rows older than this are pruned; no pruning when unset. */
  retentionDays?: number;
  /** DATA_DIR: photo files nothing refers to are deleted from its attachments folder; no cleanup when unset. */
  dataDir?: string;
}

/** A notice to write to the outbox; the dedupe key makes it once-only. */
export type PlannedNotice = Notification & { dedupeKey: string };

export interface DailyRunResult {
  workingDay: boolean;
  autoClosed: number;
  reminders: number;
  escalations: number;
  summaries: number;
  /** Housekeeping, every day (working or not); undefined when not configured or when it failed (logged). */
  pruned?: PruneResult;
  orphans?: OrphanCleanupResult;
}

/** Runs the whole daily job at `now`. Safe to run again: already-sent notices and closed cases are skipped. */
export async function runDailyJobs(deps: ReminderDeps, now: Date): Promise<DailyRunResult> {
  const autoClosed = await closeAnsweredCases(deps, now);
  const workingDay = deps.calendar.isWorkingDay(now);
  const result: DailyRunResult = { workingDay, autoClosed, reminders: 0, escalations: 0, summaries: 0 };
  await keepHouse(deps, now, result);
  // Admins work on working days; what falls due over a weekend is reminded on the next working morning.
  if (!workingDay) return result;
  const [cases, admins] = await Promise.all([loadOpenCases(deps.db, OPEN_STATUSES), loadActiveAdmins(deps.db)]);
  result.reminders = await sendNotices(deps, planReminders(cases, admins, deps, now));
  result.escalations = await sendNotices(deps, planEscalations(cases, admins, deps, now));
  result.summaries = await sendNotices(deps, planSummaries(cases, admins, deps, now));
  deps.log.info(result, 'daily job done');
  return result;
}

/**
 * Retention and disk: prunes what only grows and holds citizens' words (db/prune-retention.ts) and deletes photo
 * files no case or draft refers to (db/orphan-attachments.ts). Each is safe to run from any process at any time;
 * a failure is logged and leaves the reminders to go out.
 */
async function keepHouse(deps: ReminderDeps, now: Date, result: DailyRunResult): Promise<void> {
  if (deps.retentionDays !== undefined) {
    try {
      result.pruned = await pruneOldRecords(deps.db, { retentionDays: deps.retentionDays, now });
    } catch (err) {
      deps.log.error({ code: errorCode(err) }, 'pruning old records failed');
    }
  }
  if (deps.dataDir !== undefined) {
    try {
      result.orphans = await deleteOrphanAttachments(deps.db, { dataDir: deps.dataDir, now });
    } catch (err) {
      deps.log.error({ code: errorCode(err) }, 'deleting orphan attachments failed');
    }
  }
}

/**
 * Who is reminded of a case the OPD holds: the admins of the unit it was disposed to, or, when that unit has no
 * admin (or there is no unit), the OPD's own admins. Never an accused OPD or unit (adminMaySee).
 */
export function remindedAdmins(c: OpenCase, admins: ActiveAdmin[]): ActiveAdmin[] {
  const penghubung = admins.filter((a) => a.role === 'penghubung' && adminMaySee(a, c));
  const unitAdmins = c.unitCode ? penghubung.filter((a) => a.unitCode === c.unitCode) : [];
  return unitAdmins.length ? unitAdmins : penghubung.filter((a) => !a.unitCode);
}

/** The OPD's own admins (no unit) who may see the case: escalated to first when a unit lets a case run late. */
function opdOwnAdmins(c: OpenCase, admins: ActiveAdmin[]): ActiveAdmin[] {
  return admins.filter((a) => a.role === 'penghubung' && !a.unitCode && adminMaySee(a, c));
}

/** An OPD's (or unit's) admins: of each case due on the next working day, and of each overdue one (once per deadline). */
export function planReminders(cases: OpenCase[], admins: ActiveAdmin[], deps: Pick<ReminderDeps, 'calendar' | 'timezone'>, now: Date): PlannedNotice[] {
  const notices: PlannedNotice[] = [];
  for (const c of cases) {
    const deadline = currentDeadline(c, deps.calendar);
    if (deadline?.kind !== 'follow-up' || !c.opdCode) continue;
    const overdue = isOverdue(deadline, now);
    const dueSoon = !overdue && deps.calendar.isDueNextWorkingDay(deadline.dueAt, now);
    if (!overdue && !dueSoon) continue;
    for (const admin of remindedAdmins(c, admins)) {
      const kind = overdue ? 'overdue' : 'due-soon';
      notices.push({
        conversationKey: admin.conversationKey,
        caseId: c.id,
        adminId: admin.id,
        dedupeKey: `reminder:${kind}:${c.id}:${admin.id}:${deadline.dueAt.getTime()}`,
        reply: { text: overdue ? overdueText(c, deadline, deps.timezone) : dueSoonText(c, deadline, deps.timezone), caseRef: c.trackingId },
      });
    }
  }
  return notices;
}

/**
 * Escalation of each case past its verification or follow-up deadline (once per deadline): a case a unit holds
 * goes up to its OPD's own admins first (they disposed it and can act), and, as every overdue case, to every
 * admin instansi.
 */
export function planEscalations(cases: OpenCase[], admins: ActiveAdmin[], deps: Pick<ReminderDeps, 'calendar' | 'timezone'>, now: Date): PlannedNotice[] {
  const notices: PlannedNotice[] = [];
  const instansi = admins.filter((a) => a.role === 'instansi');
  for (const c of cases) {
    const deadline = currentDeadline(c, deps.calendar);
    if (!deadline || deadline.kind === 'auto-close' || !isOverdue(deadline, now)) continue;
    const unitReminded = c.unitCode && remindedAdmins(c, admins).some((a) => a.unitCode === c.unitCode);
    const opdFirst = deadline.kind === 'follow-up' && unitReminded ? opdOwnAdmins(c, admins) : [];
    for (const admin of [...opdFirst, ...instansi]) {
      notices.push({
        conversationKey: admin.conversationKey,
        caseId: c.id,
        adminId: admin.id,
        dedupeKey: `escalation:${deadline.kind}:${c.id}:${admin.id}:${deadline.dueAt.getTime()}`,
        reply: { text: escalationText(c, deadline, deps.timezone), caseRef: c.trackingId },
      });
    }
  }
  return notices;
}

/**
 * What an admin is responsible for: the admin instansi every open case; an OPD's admin the cases forwarded
 * to its OPD (forwarded, reopened, answered and waiting on the citizen).
 */
export function summaryCounts(cases: OpenCase[], admin: ActiveAdmin, calendar: WorkingCalendar, now: Date): SummaryCounts {
  const counts: SummaryCounts = { open: 0, unanswered: 0, overdue: 0 };
  for (const c of cases) {
    // Exactly the open cases the admin may see (domain/case-access.ts): for an OPD those it holds.
    if (!adminMaySee(admin, c)) continue;
    const stage = stageOf(c.status);
    counts.open++;
    if (stage === 'instansi' || stage === 'opd') {
      counts.unanswered++;
      if (isOverdue(currentDeadline(c, calendar), now)) counts.overdue++;
    }
  }
  return counts;
}

/** Every active admin: one short summary per working day. */
export function planSummaries(cases: OpenCase[], admins: ActiveAdmin[], deps: Pick<ReminderDeps, 'calendar' | 'timezone'>, now: Date): PlannedNotice[] {
  const day = deps.calendar.localDate(now);
  return admins
    .filter((a) => a.role === 'instansi' || a.opdCode)
    .map((admin) => ({
      conversationKey: admin.conversationKey,
      adminId: admin.id,
      dedupeKey: `summary:${admin.id}:${day}`,
      reply: { text: summaryText(summaryCounts(cases, admin, deps.calendar, now), admin, now, deps.timezone) },
    }));
}

/** Writes planned notices; returns how many were new. A notice another run already wrote is skipped. */
async function sendNotices(deps: ReminderDeps, notices: PlannedNotice[]): Promise<number> {
  let written = 0;
  for (const notice of notices) {
    try {
      if (await enqueueNotification(deps.db, notice)) written++;
    } catch (err) {
      // A concurrent run (a second process) wrote the same dedupe key between our check and insert: sent once.
      if (errorCode(err) === 'P2002') continue;
      throw err;
    }
  }
  return written;
}

/**
 * Closes every answered case whose automatic-close deadline has passed, through the lifecycle's
 * `autoCloseCase` (transition table, system event and the citizen's notice in one transaction). The lifecycle
 * re-checks status and deadline inside its transaction, so a case the citizen replied to, or that was answered
 * again, in the meantime stays open.
 */
export async function closeAnsweredCases(deps: ReminderDeps, now: Date): Promise<number> {
  const answered = await loadOpenCases(deps.db, ['answered']);
  let closed = 0;
  for (const c of answered) {
    if (!isOverdue(currentDeadline(c, deps.calendar), now)) continue;
    const result = await autoCloseCase({ db: deps.db, calendar: deps.calendar, now }, c.trackingId);
    if (result.ok) {
      closed++;
      deps.log.info({ caseId: c.id }, 'case closed automatically');
    }
  }
  return closed;
}
