import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../lib/config.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { openDatabase } from '../db/client.ts';
import { WorkingCalendar } from '../lib/working-days.ts';
import { computeMonthlyReport, formatReportCsv, formatReportText, MONTH_PATTERN } from '../db/monthly-report.ts';

const USAGE = `Usage: npm run report -- --month YYYY-MM [--format text|json|csv] [--opd CODE] [--as-of ISO-DATETIME]

  --month   the month, in the city's time zone (required)
  --format  text (default, Indonesian), json, or csv (one row per total/OPD/category/channel)
  --opd     limit to one OPD's cases
  --as-of   judge deadlines not yet met as of this instant (default: now)`;

/** `npm run report`: the month's monitoring figures on stdout. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        month: { type: 'string' },
        format: { type: 'string', default: 'text' },
        opd: { type: 'string' },
        'as-of': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format ?? 'text';
  const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
  if (!values.month || !MONTH_PATTERN.test(values.month) || !['text', 'json', 'csv'].includes(format) || Number.isNaN(asOf.getTime())) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const profile = loadCityProfile(config.CITY_PROFILE);
  const calendar = WorkingCalendar.fromProfile(profile);
  const db = await openDatabase(config.DATABASE_URL);
  try {
    const opdCode = values.opd?.toUpperCase();
    if (opdCode && !(await db.opd.findUnique({ where: { code: opdCode } }))) {
      process.stderr.write(`Unknown OPD code: ${opdCode}\n`);
      return 2;
    }
    const report = await computeMonthlyReport(db, calendar, { month: values.month, opdCode, now: asOf });
    const out =
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? formatReportCsv(report) : `${formatReportText(report, { cityName: profile.name })}\n`;
    process.stdout.write(out);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Report failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
