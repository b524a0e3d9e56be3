import { computeMonthlyReport } from '../reports/monthly-report.ts';
import { MONTH_PATTERN } from '../reports/monthly-figures.ts';
import { formatReportCsv, formatReportText } from '../reports/report-format.ts';
import { parseOptions, runCli, UsageError, withCityDatabase } from './cli.ts';

const USAGE = `Usage: npm run report -- --month YYYY-MM [--format text|json|csv] [--opd CODE [--unit CODE]] [--as-of ISO-DATETIME]

  --month   the month, in the city's time zone (required)
  --format  text (default, Indonesian), json, or csv (one row per total/OPD/category/channel)
  --opd     limit to one OPD's cases (as its admin sees them; complaints accusing it left out)
  --unit    limit further to one unit of that OPD (PKM-ARJUNO, KEL-SUMBERSARI)
  --as-of   judge deadlines not yet met as of this instant (default: now)`;

/** `npm run report`: the month's monitoring figures on stdout. */
async function main(): Promise<void> {
  const values = parseOptions({ month: { type: 'string' }, format: { type: 'string', default: 'text' }, opd: { type: 'string' }, unit: { type: 'string' }, 'as-of': { type: 'string' } });
  const { month, format } = values;
  const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
  if (!month || !MONTH_PATTERN.test(month) || !['text', 'json', 'csv'].includes(format) || Number.isNaN(asOf.getTime())) throw new UsageError();
  await withCityDatabase(async ({ db, calendar, profile }) => {
    const opdCode = values.opd?.toUpperCase();
    if (opdCode && !(await db.opd.findUnique({ where: { code: opdCode } }))) throw new UsageError(`Unknown OPD code: ${opdCode}`);
    const unitCode = values.unit?.toUpperCase();
    if (unitCode && !opdCode) throw new UsageError('--unit needs --opd (the unit\'s OPD)');
    if (unitCode && !(await db.unit.findFirst({ where: { code: unitCode, opdCode } }))) throw new UsageError(`Unknown unit ${unitCode} under ${opdCode}`);
    const excludeAccusedOf = opdCode ? { opdCode, ...(unitCode ? { unitCode } : {}) } : undefined;
    const report = await computeMonthlyReport(db, calendar, { month, opdCode, unitCode, excludeAccusedOf, now: asOf });
    const out =
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? formatReportCsv(report) : `${formatReportText(report, { cityName: profile.name })}\n`;
    process.stdout.write(out);
  });
}

runCli('Report', USAGE, main);
