import type { Db } from '../db/client.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import { findReportCases, findReportNames } from '../db/report-cases.ts';
import { OPD_VISIBLE } from '../domain/case-status.ts';
import { buildMonthlyReport, monthRange, type MonthlyReport, type MonthlyReportOptions } from './monthly-figures.ts';

/**
 * The month's report from the database. Limited to one OPD, it counts exactly the cases that OPD's admin may
 * see (domain/case-access.ts): forwarded to it and not handed back. `opdCode` alone is not enough: before
 * forwarding it is only the suggested OPD, and a case the OPD returned ("bukan wewenang") keeps its code until
 * the admin instansi forwards it elsewhere. Limited to a unit, the cases disposed to it. A complaint accusing the
 * OPD or unit is left out of its own report. Counts only: no case content or reporter is read.
 */
export async function computeMonthlyReport(db: Db, calendar: WorkingCalendar, options: MonthlyReportOptions): Promise<MonthlyReport> {
  const { from, to } = monthRange(calendar, options.month);
  const now = options.now ?? new Date();
  const cases = await findReportCases(db, {
    from,
    to,
    ...(options.opdCode ? { heldBy: { opdCode: options.opdCode, statuses: OPD_VISIBLE, ...(options.unitCode ? { unitCode: options.unitCode } : {}) } } : {}),
    ...(options.excludeAccusedOf ? { notAccusing: options.excludeAccusedOf } : {}),
  });
  const names = await findReportNames(db);
  return buildMonthlyReport(cases, names, calendar, { month: options.month, opdCode: options.opdCode, unitCode: options.unitCode, now });
}
