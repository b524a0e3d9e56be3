import fs from 'node:fs';
import { exportCases, ExportRangeError, formatExportCsv, formatExportJson } from '../reports/export-cases.ts';
import { parseOptions, runCli, UsageError, withCityDatabase } from './cli.ts';

const USAGE = `Usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|json [--opd CODE [--unit CODE]] [--out FILE]

  --from, --to  first and last day of submission (inclusive, city time zone)
  --format      csv or json
  --opd, --unit only the cases that OPD (or unit) holds, as its admin sees them
  --out         write to FILE instead of stdout

Times are in city time with the offset (2026-12-03T23:59:59.999+07:00).

Rahasia cases are exported without description, location and attachments; anonim cases without the
reporter's name; phone numbers and chat ids are never exported.`;

/** `npm run export`: cases submitted in a date range, for the city's records. */
async function main(): Promise<void> {
  const values = parseOptions({ from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, opd: { type: 'string' }, unit: { type: 'string' } });
  const { from, to, format, out: outFile } = values;
  if (!from || !to || (format !== 'csv' && format !== 'json')) throw new UsageError();
  if (values.unit && !values.opd) throw new UsageError('--unit needs --opd (the unit\'s OPD)');
  await withCityDatabase(async ({ db, calendar }) => {
    let rows;
    try {
      rows = await exportCases(db, calendar, {
        from,
        to,
        ...(values.opd ? { opdCode: values.opd.toUpperCase() } : {}),
        ...(values.unit ? { unitCode: values.unit.toUpperCase() } : {}),
      });
    } catch (err) {
      throw err instanceof ExportRangeError ? new UsageError(err.message) : err;
    }
    const out = format === 'json' ? formatExportJson(rows) : formatExportCsv(rows);
    if (outFile) {
      fs.writeFileSync(outFile, out);
      process.stderr.write(`${rows.length} cases written to ${outFile}\n`);
    } else {
      process.stdout.write(out);
    }
  });
}

runCli('Export', USAGE, main);
