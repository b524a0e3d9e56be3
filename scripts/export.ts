import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../lib/config.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { openDatabase } from '../db/client.ts';
import { WorkingCalendar } from '../lib/working-days.ts';
import { exportCases, ExportRangeError, formatExportCsv, formatExportJson } from '../db/export-cases.ts';

const USAGE = `Usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|json [--out FILE]

  --from, --to  first and last day of submission (inclusive, city time zone)
  --format      csv or json
  --out         write to FILE instead of stdout

Rahasia cases are exported without description, location and attachments; anonim cases without the
reporter's name; phone numbers and chat ids are never exported.`;

/** `npm run export`: cases submitted in a date range, for the city's records. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
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
  if (!values.from || !values.to || !['csv', 'json'].includes(values.format ?? '')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const calendar = WorkingCalendar.fromProfile(loadCityProfile(config.CITY_PROFILE));
  const db = await openDatabase(config.DATABASE_URL);
  try {
    const rows = await exportCases(db, calendar, { from: values.from, to: values.to });
    const out = values.format === 'json' ? formatExportJson(rows) : formatExportCsv(rows);
    if (values.out) {
      fs.writeFileSync(values.out, out);
      process.stderr.write(`${rows.length} cases written to ${values.out}\n`);
    } else {
      process.stdout.write(out);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportRangeError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Export failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
