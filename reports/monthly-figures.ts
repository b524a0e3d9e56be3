import type { WorkingCalendar } from '../lib/working-days.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { LEFT_THE_OPD, inGroup } from '../domain/case-status.ts';

/**
 * Monitoring figures for one month, as Kota Malang reports them (SP4N-LAPOR!): cases received, response
 * rate, time to first response and to answer in working days, service-level compliance and satisfaction,
 * in total and by OPD, category and channel. Pure computation over the month's cases: the query is in
 * reports/monthly-report.ts, the text and CSV in reports/report-format.ts, the chart in reports/report-chart.ts.
 */

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export class ReportMonthError extends Error {
  readonly code = 'REPORT_MONTH_INVALID';
}

export interface SlaFigure {
  /** Cases whose deadline can be judged: handled, or still unhandled with the deadline passed. */
  judged: number;
  /** Of those, handled on time. */
  met: number;
  /** met / judged, or null when nothing could be judged yet. */
  rate: number | null;
}

export interface Figures {
  received: number;
  /** Cases with a first response (firstResponseAt set). */
  responded: number;
  responseRate: number | null;
  /** Working days from submission to the first response. */
  firstResponseAvgWd: number | null;
  firstResponseMedianWd: number | null;
  /** Cases with an answer from the OPD (answeredAt set). */
  answered: number;
  /** Working days from submission to the answer. */
  answerAvgWd: number | null;
  answerMedianWd: number | null;
  /** Verified within 3 working days of submission. */
  verifySla: SlaFigure;
  /** Answered within 5 working days of being forwarded. */
  followUpSla: SlaFigure;
  rated: number;
  ratingAvg: number | null;
  /** Citizens who said whether the answer solved it, and how many said yes. */
  resolvedAnswered: number;
  resolvedYes: number;
  resolvedRate: number | null;
}

export interface GroupFigures extends Figures {
  key: string;
  name: string;
}

export interface MonthlyReport {
  month: string;
  /** Start (inclusive) and end (exclusive) of the month in the city's time zone, as instants. */
  from: string;
  to: string;
  generatedAt: string;
  /** OPD the report is limited to (an admin penghubung's view), or null for the whole city. */
  opdCode: string | null;
  /** Unit the report is limited to (a unit admin's view). */
  unitCode?: string | null;
  /**
   * What "response" means in total: the city's first response (verification, forwarding, answer) for the whole
   * city; the OPD's or unit's OWN first answer or hand-back after forwarding, for an OPD's or unit's report.
   */
  responder: Responder;
  total: Figures;
  byOpd: GroupFigures[];
  /** The OPD's units (cases disposed to one), in an OPD's or the city's report. */
  byUnit: GroupFigures[];
  byCategory: GroupFigures[];
  byChannel: GroupFigures[];
  /** Emergencies, merged duplicates and supporters (issue 14). */
  sameProblem: SameProblemFigures;
}

/** The fields of a case the report reads; exported so tests and the export share the shape. */
export interface ReportCase {
  status: string;
  channel: string;
  opdCode: string | null;
  unitCode?: string | null;
  categoryCode: string | null;
  submittedAt: Date;
  verifiedAt: Date | null;
  forwardedAt: Date | null;
  firstResponseAt: Date | null;
  /** The OPD's (or unit's) own first answer or hand-back since it was forwarded the case. */
  opdRespondedAt?: Date | null;
  answeredAt: Date | null;
  rating: number | null;
  resolved: boolean | null;
  /** Flagged urgent now; emergencyKind stays after an admin cleared a false alarm. */
  urgent?: boolean;
  emergencyKind?: string | null;
  /** Merged into another case (/gabung): a duplicate. */
  mergedIntoId?: string | null;
  /** Citizens who reported the same problem (supporters and merged duplicates' reporters). */
  supporterCount?: number;
}

/** Emergencies and duplicates of the month: counts only. */
export interface SameProblemFigures {
  /** Cases flagged urgent at filing (still urgent, or cleared as a false alarm). */
  urgent: number;
  /** Of those, cleared by an admin as not an emergency. */
  falseAlarms: number;
  /** Duplicates merged into another case. */
  merged: number;
  /** Supporters counted on the month's cases, and how many cases have at least one. */
  supporters: number;
  casesWithSupporters: number;
}

export const CHANNEL_NAMES: Record<string, string> = { tg: 'Telegram', wa: 'WhatsApp', term: 'Terminal', api: 'Open311 API' };
/** Group key of cases with no OPD or category yet. */
export const UNASSIGNED = '-';

export function monthRange(calendar: WorkingCalendar, month: string): { from: Date; to: Date } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new ReportMonthError(`month must be YYYY-MM, got "${month}"`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: calendar.startOfLocalDate(`${month}-01`), to: calendar.startOfLocalDate(`${next}-01`) };
}

/** The month (YYYY-MM) an instant falls in, in the city's time zone. */
export function monthOf(calendar: WorkingCalendar, at: Date): string {
  return calendar.localDate(at).slice(0, 7);
}

/** Whose response a figure measures: the city's (any first admin step) or the OPD's/unit's own. */
export type Responder = 'city' | 'opd';

export interface MonthlyReportOptions {
  month: string;
  /** Limit to one OPD's cases: those forwarded to it and not handed back (what its admin sees). */
  opdCode?: string | null;
  /** Limit further to one unit's cases. */
  unitCode?: string | null;
  /** Leave out the complaints accusing this OPD/unit (its own report must not count or list them). */
  excludeAccusedOf?: { opdCode: string; unitCode?: string };
  /** "Now" for deadlines not yet reached: an unhandled case only counts against the SLA once its deadline passed. */
  now?: Date;
}

/** The report from the month's cases and the names of their OPDs and categories. */
export function buildMonthlyReport(
  cases: ReportCase[],
  names: { opds: Map<string, string>; categories: Map<string, string>; units?: Map<string, string> },
  calendar: WorkingCalendar,
  options: { month: string; opdCode?: string | null; unitCode?: string | null; now: Date },
): MonthlyReport {
  const { from, to } = monthRange(calendar, options.month);
  const { now } = options;
  const responder: Responder = options.opdCode ? 'opd' : 'city';
  const figures = (list: ReportCase[]) => computeFigures(list, calendar, now, responder);
  // An OPD or unit is measured on its own response, never on the city's verification.
  const opdFigures = (list: ReportCase[]) => computeFigures(list, calendar, now, 'opd');
  return {
    month: options.month,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    opdCode: options.opdCode ?? null,
    unitCode: options.unitCode ?? null,
    responder,
    total: figures(cases),
    byOpd: groupBy(cases, (c) => c.opdCode ?? UNASSIGNED, (k) => names.opds.get(k) ?? 'Belum ditentukan', opdFigures),
    byUnit: groupBy(
      cases.filter((c) => c.unitCode && c.forwardedAt),
      (c) => c.unitCode!,
      (k) => names.units?.get(k) ?? k,
      opdFigures,
    ),
    byCategory: groupBy(cases, (c) => c.categoryCode ?? UNASSIGNED, (k) => names.categories.get(k) ?? 'Belum ditentukan', figures),
    byChannel: groupBy(cases, (c) => c.channel, (k) => CHANNEL_NAMES[k] ?? k, figures),
    sameProblem: sameProblemFigures(cases),
  };
}

export function sameProblemFigures(cases: ReportCase[]): SameProblemFigures {
  const flagged = cases.filter((c) => c.urgent || c.emergencyKind);
  return {
    urgent: flagged.length,
    falseAlarms: flagged.filter((c) => !c.urgent).length,
    merged: cases.filter((c) => c.mergedIntoId).length,
    supporters: cases.reduce((n, c) => n + (c.supporterCount ?? 0), 0),
    casesWithSupporters: cases.filter((c) => (c.supporterCount ?? 0) > 0).length,
  };
}

function groupBy(
  cases: ReportCase[],
  keyOf: (c: ReportCase) => string,
  nameOf: (key: string) => string,
  figures: (list: ReportCase[]) => Figures,
): GroupFigures[] {
  const groups = new Map<string, ReportCase[]>();
  for (const c of cases) {
    const key = keyOf(c);
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  // Busiest first; ties by key so the order is stable across runs.
  return [...groups.entries()]
    .map(([key, list]) => ({ key, name: nameOf(key), ...figures(list) }))
    .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
}

/** The figures of one set of cases. Exported for tests that check them against hand-computed values. */
export function computeFigures(cases: ReportCase[], calendar: WorkingCalendar, now: Date, responder: Responder = 'city'): Figures {
  // The OPD's own response counts from the forward, over the cases forwarded to it; the city's from submission.
  const responseBase = responder === 'opd' ? cases.filter((c) => c.forwardedAt) : cases;
  const firstResponse =
    responder === 'opd'
      ? responseBase.filter((c) => c.opdRespondedAt).map((c) => calendar.workingDaysBetween(c.forwardedAt!, c.opdRespondedAt!))
      : cases.filter((c) => c.firstResponseAt).map((c) => calendar.workingDaysBetween(c.submittedAt, c.firstResponseAt!));
  const answer = cases.filter((c) => c.answeredAt).map((c) => calendar.workingDaysBetween(c.submittedAt, c.answeredAt!));

  // A merged duplicate is followed up as its main case; judging it too would count one problem twice.
  const judgeable = cases.filter((c) => !c.mergedIntoId);
  const verifySla = sla(
    judgeable
      // A rejected report never needed verifying and forwarding; it is not judged.
      .filter((c) => c.verifiedAt || c.status !== 'rejected')
      .map((c) => ({ due: calendar.addWorkingDays(c.submittedAt, SERVICE_LEVELS.verifyWorkingDays), doneAt: c.verifiedAt })),
    now,
  );
  const followUpSla = sla(
    judgeable
      .filter((c) => c.forwardedAt && !inGroup(LEFT_THE_OPD, c.status))
      .map((c) => ({ due: calendar.addWorkingDays(c.forwardedAt!, SERVICE_LEVELS.followUpWorkingDays), doneAt: c.answeredAt })),
    now,
  );
  const ratings = cases.filter((c) => c.rating !== null).map((c) => c.rating!);
  const resolvedAnswers = cases.filter((c) => c.resolved !== null);
  const resolvedYes = resolvedAnswers.filter((c) => c.resolved).length;
  return {
    received: cases.length,
    responded: firstResponse.length,
    responseRate: ratio(firstResponse.length, responseBase.length),
    firstResponseAvgWd: round(average(firstResponse), 2),
    firstResponseMedianWd: round(median(firstResponse), 2),
    answered: answer.length,
    answerAvgWd: round(average(answer), 2),
    answerMedianWd: round(median(answer), 2),
    verifySla,
    followUpSla,
    rated: ratings.length,
    ratingAvg: round(average(ratings), 2),
    resolvedAnswered: resolvedAnswers.length,
    resolvedYes,
    resolvedRate: ratio(resolvedYes, resolvedAnswers.length),
  };
}

function sla(items: Array<{ due: Date; doneAt: Date | null }>, now: Date): SlaFigure {
  const judged = items.filter((i) => i.doneAt || i.due < now);
  const met = judged.filter((i) => i.doneAt && i.doneAt <= i.due).length;
  return { judged: judged.length, met, rate: ratio(met, judged.length) };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

function average(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// ---- formatting ----------------------------------------------------------------------------------------

const MONTH_NAMES_ID = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${MONTH_NAMES_ID[m - 1]} ${year}`;
}
