import type { Db } from '../db/client.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { Logger } from '../lib/logger.ts';
import type { Language } from './types.ts';
import type { CaseStatus } from '../db/enums.ts';
import { OPEN_STATUSES } from '../db/enums.ts';
import { SERVICE_LEVELS } from '../db/deadlines.ts';
import { currentDeadline, isOverdue, stageOf, type CaseDeadline, type DeadlineFields } from '../db/case-deadlines.ts';
import { enqueueNotification, type Notification } from '../db/outbox.ts';
import { autoCloseCase } from '../db/case-actions.ts';
import { errorCode } from '../lib/errors.ts';

/**
 * The scheduled work of one day, in the city's time zone: automatic close of answered cases the citizen left
 * unanswered, reminders to an OPD's admins, escalation of overdue cases to the admin instansi and a short
 * summary for every admin. Every notice carries a dedupe key, so running the job twice (a restart, a catch-up
 * run after downtime, two processes) still sends each notice once.
 */

/** Longest excerpt of a complaint quoted in an admin notice; the full text is one /kasus away. */
const EXCERPT_CHARS = 80;

export interface ReminderDeps {
  db: Db;
  calendar: WorkingCalendar;
  log: Logger;
  /** IANA time zone of the city, for dates in the notices. */
  timezone: string;
}

export interface OpenCase extends DeadlineFields {
  id: string;
  trackingId: string;
  privacy: string;
  description: string;
  opdCode: string | null;
  conversationKey: string;
  categoryName: string | null;
  opdName: string | null;
  reporterLanguage: string;
}

export interface ActiveAdmin {
  id: string;
  role: string;
  opdCode: string | null;
  conversationKey: string;
}

/** A notice to write to the outbox; the dedupe key makes it once-only. */
export type PlannedNotice = Notification & { dedupeKey: string };

export interface DailyRunResult {
  workingDay: boolean;
  autoClosed: number;
  reminders: number;
  escalations: number;
  summaries: number;
}

/** Runs the whole daily job at `now`. Safe to run again: already-sent notices and closed cases are skipped. */
export async function runDailyJobs(deps: ReminderDeps, now: Date): Promise<DailyRunResult> {
  const autoClosed = await closeAnsweredCases(deps, now);
  const workingDay = deps.calendar.isWorkingDay(now);
  const result: DailyRunResult = { workingDay, autoClosed, reminders: 0, escalations: 0, summaries: 0 };
  // Admins work on working days; what falls due over a weekend is reminded on the next working morning.
  if (!workingDay) return result;
  const [cases, admins] = await Promise.all([loadOpenCases(deps.db), loadActiveAdmins(deps.db)]);
  result.reminders = await sendNotices(deps, planReminders(cases, admins, deps, now));
  result.escalations = await sendNotices(deps, planEscalations(cases, admins, deps, now));
  result.summaries = await sendNotices(deps, planSummaries(cases, admins, deps, now));
  deps.log.info(result, 'daily job done');
  return result;
}

/** Open cases (or only those in `statuses`), oldest first. */
export async function loadOpenCases(db: Db, statuses: CaseStatus[] = OPEN_STATUSES): Promise<OpenCase[]> {
  const rows = await db.case.findMany({
    where: { status: { in: statuses } },
    select: {
      id: true,
      trackingId: true,
      status: true,
      privacy: true,
      description: true,
      opdCode: true,
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
  return db.admin.findMany({
    // Unit admins wait for per-unit reminders (issue 15): as OPD admins they would hear of the whole OPD's cases.
    where: { removedAt: null, unitCode: null },
    select: { id: true, role: true, opdCode: true, conversationKey: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** An OPD's admins: of each case due on the next working day, and of each overdue one (once per deadline). */
export function planReminders(cases: OpenCase[], admins: ActiveAdmin[], deps: Pick<ReminderDeps, 'calendar' | 'timezone'>, now: Date): PlannedNotice[] {
  const notices: PlannedNotice[] = [];
  for (const c of cases) {
    const deadline = currentDeadline(c, deps.calendar);
    if (deadline?.kind !== 'follow-up' || !c.opdCode) continue;
    const overdue = isOverdue(deadline, now);
    const dueSoon = !overdue && deps.calendar.isDueNextWorkingDay(deadline.dueAt, now);
    if (!overdue && !dueSoon) continue;
    for (const admin of admins) {
      if (admin.role !== 'penghubung' || admin.opdCode !== c.opdCode) continue;
      const kind = overdue ? 'overdue' : 'due-soon';
      notices.push({
        conversationKey: admin.conversationKey,
        caseId: c.id,
        dedupeKey: `reminder:${kind}:${c.id}:${admin.id}:${deadline.dueAt.getTime()}`,
        reply: { text: overdue ? overdueText(c, deadline, deps.timezone) : dueSoonText(c, deadline, deps.timezone), caseRef: c.trackingId },
      });
    }
  }
  return notices;
}

/** Every admin instansi: of each case past its verification or follow-up deadline (once per deadline). */
export function planEscalations(cases: OpenCase[], admins: ActiveAdmin[], deps: Pick<ReminderDeps, 'calendar' | 'timezone'>, now: Date): PlannedNotice[] {
  const notices: PlannedNotice[] = [];
  const instansi = admins.filter((a) => a.role === 'instansi');
  for (const c of cases) {
    const deadline = currentDeadline(c, deps.calendar);
    if (!deadline || deadline.kind === 'auto-close' || !isOverdue(deadline, now)) continue;
    for (const admin of instansi) {
      notices.push({
        conversationKey: admin.conversationKey,
        caseId: c.id,
        dedupeKey: `escalation:${deadline.kind}:${c.id}:${admin.id}:${deadline.dueAt.getTime()}`,
        reply: { text: escalationText(c, deadline, deps.timezone), caseRef: c.trackingId },
      });
    }
  }
  return notices;
}

export interface SummaryCounts {
  open: number;
  unanswered: number;
  overdue: number;
}

/**
 * What an admin is responsible for: the admin instansi every open case; an OPD's admin the cases forwarded
 * to its OPD (forwarded, reopened, answered and waiting on the citizen).
 */
export function summaryCounts(cases: OpenCase[], admin: ActiveAdmin, calendar: WorkingCalendar, now: Date): SummaryCounts {
  const counts: SummaryCounts = { open: 0, unanswered: 0, overdue: 0 };
  for (const c of cases) {
    const stage = stageOf(c.status);
    if (admin.role !== 'instansi' && (c.opdCode !== admin.opdCode || (stage !== 'opd' && stage !== 'citizen'))) continue;
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

// ---- texts -------------------------------------------------------------------------------------------

export function formatDay(at: Date, timezone: string, lang: Language = 'id'): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at);
}

/** A short quote of the complaint; rahasia cases are never quoted in a chat notice (the content is confidential). */
function excerpt(c: OpenCase): string {
  if (c.privacy === 'rahasia') return '(isi rahasia — lihat dengan /kasus)';
  const text = c.description.replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `"${text.slice(0, EXCERPT_CHARS - 1)}…"` : `"${text}"`;
}

// Admin notices name the case, its category and an excerpt, never the reporter: the same text is safe for an
// OPD admin on an anonim case.
function caseLines(c: OpenCase): string {
  return [`Kategori: ${c.categoryName ?? '-'}`, `Isi: ${excerpt(c)}`].join('\n');
}

function dueSoonText(c: OpenCase, deadline: CaseDeadline, timezone: string): string {
  return [
    `⏰ Pengingat: laporan ${c.trackingId} harus ditindaklanjuti paling lambat ${formatDay(deadline.dueAt, timezone)} (hari kerja berikutnya).`,
    caseLines(c),
    `Kirim jawaban dengan /balas ${c.trackingId} <jawaban>.`,
  ].join('\n');
}

function overdueText(c: OpenCase, deadline: CaseDeadline, timezone: string): string {
  return [
    `⚠️ Laporan ${c.trackingId} sudah melewati batas waktu tindak lanjut (${formatDay(deadline.dueAt, timezone)}).`,
    caseLines(c),
    `Mohon segera dijawab dengan /balas ${c.trackingId} <jawaban>. Kasus ini juga dilaporkan ke admin instansi.`,
  ].join('\n');
}

function escalationText(c: OpenCase, deadline: CaseDeadline, timezone: string): string {
  const what =
    deadline.kind === 'verify'
      ? c.status === 'rerouted'
        ? `dikembalikan ${c.opdCode ?? 'OPD'} (bukan wewenang) dan belum diteruskan lagi melewati batas ${SERVICE_LEVELS.verifyWorkingDays} hari kerja`
        : `belum diverifikasi dan diteruskan melewati batas ${SERVICE_LEVELS.verifyWorkingDays} hari kerja`
      : `belum ditindaklanjuti oleh ${c.opdName ?? c.opdCode ?? 'OPD'} melewati batas ${SERVICE_LEVELS.followUpWorkingDays} hari kerja`;
  return [
    `🚨 Eskalasi: laporan ${c.trackingId} ${what} (batas ${formatDay(deadline.dueAt, timezone)}).`,
    caseLines(c),
    `Lihat detailnya dengan /kasus ${c.trackingId}.`,
  ].join('\n');
}

function summaryText(counts: SummaryCounts, admin: ActiveAdmin, now: Date, timezone: string): string {
  const scope = admin.role === 'instansi' ? 'semua OPD' : admin.opdCode;
  return [
    `📋 Ringkasan ${formatDay(now, timezone)} (${scope}):`,
    `• Terbuka: ${counts.open}`,
    `• Belum dijawab: ${counts.unanswered}`,
    `• Lewat batas waktu: ${counts.overdue}`,
    'Ketik /inbox untuk melihat antrean.',
  ].join('\n');
}
