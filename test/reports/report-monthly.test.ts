import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { insertNovemberCases, REPORT_NOW } from '../helpers/report-fixture.ts';
import { wib } from '../helpers/case-fixtures.ts';
import { computeMonthlyReport } from '../../reports/monthly-report.ts';
import { monthRange, type Figures, type GroupFigures } from '../../reports/monthly-figures.ts';
import { formatReportCsv, formatReportText } from '../../reports/report-format.ts';
import { CHILD_TEST_TIMEOUT_MS, runTs } from '../helpers/child-process.ts';

/** `npm run report` as a child process; rejects like execFile on a non-zero exit (with code and stderr). */
async function run(script: string, args: string[], options: { env: NodeJS.ProcessEnv }) {
  const result = await runTs(script, args, options);
  if (result.status !== 0) throw Object.assign(new Error(`exit ${result.status}`), { code: result.status, stderr: result.stderr, stdout: result.stdout });
  return result;
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await insertNovemberCases(app.db);
});
afterAll(async () => {
  await app?.cleanup();
});

/** Compares figures, allowing float noise in the working-day values. */
function expectFigures(actual: Figures, expected: Partial<Figures>) {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key as keyof Figures];
    if (typeof value === 'number') expect(got, key).toBeCloseTo(value, 4);
    else expect(got, key).toEqual(value);
  }
}
const group = (rows: GroupFigures[], key: string) => rows.find((r) => r.key === key)!;

describe('monthly report figures (hand-computed fixture, November 2026)', () => {
  it('computes the city totals', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: REPORT_NOW });
    expectFigures(report.total, {
      received: 7,
      responded: 6,
      responseRate: 0.8571, // 6 / 7
      firstResponseAvgWd: 1.02, // (0.25 + 1 + 4 + 0.25 + 0.25 + 0.375) / 6 = 1.0208
      firstResponseMedianWd: 0.31, // (0.25 + 0.375) / 2 = 0.3125
      answered: 3,
      answerAvgWd: 3.25, // (2 + 7 + 0.75) / 3
      answerMedianWd: 2,
      verifySla: { judged: 5, met: 3, rate: 0.6 }, // A, B, F on time; C late; D overdue; E and I rejected
      followUpSla: { judged: 4, met: 2, rate: 0.5 }, // A, F on time; B late; C overdue
      rated: 2,
      ratingAvg: 3.5,
      resolvedAnswered: 2,
      resolvedYes: 1,
      resolvedRate: 0.5,
    });
    expect(report.from).toBe(wib('2026-11-01T00:00').toISOString());
    expect(report.to).toBe(wib('2026-12-01T00:00').toISOString());
  });

  it('breaks the figures down by OPD, category and channel, busiest first', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: REPORT_NOW });
    expect(report.byOpd.map((r) => [r.key, r.received])).toEqual([
      ['DPUPRPKP', 3],
      ['DLH', 2],
      ['-', 1],
      ['DISHUB', 1],
    ]);
    // Per OPD the response is the OPD's OWN first answer or hand-back, counted from the forward, over the cases
    // forwarded to it (issue 15: the city's verification is not the OPD's response).
    expectFigures(group(report.byOpd, 'DPUPRPKP'), {
      responded: 2,
      responseRate: 1, // A and B answered; E was rejected before any forward
      firstResponseAvgWd: 3.88, // A: Mon 14:00 → Wed 08:00 = 1.75; B: Mon 9th 12:00 → Tue 17th 12:00 = 6
      firstResponseMedianWd: 3.88,
      answerAvgWd: 4.5, // (2 + 7) / 2
      verifySla: { judged: 2, met: 2, rate: 1 },
      followUpSla: { judged: 2, met: 1, rate: 0.5 },
      ratingAvg: 3.5,
    });
    expectFigures(group(report.byOpd, 'DLH'), {
      responded: 0, // C forwarded but never answered: DLH has not responded, though the city verified it
      responseRate: 0, // of the one case forwarded to it (D was never forwarded)
      firstResponseAvgWd: null,
      answered: 0,
      answerAvgWd: null,
      verifySla: { judged: 2, met: 0, rate: 0 },
      followUpSla: { judged: 1, met: 0, rate: 0 },
      rated: 0,
      ratingAvg: null,
    });
    expect(group(report.byOpd, '-')).toMatchObject({ name: 'Belum ditentukan', responseRate: null, firstResponseAvgWd: null, verifySla: { judged: 0, met: 0, rate: null } });
    expectFigures(group(report.byOpd, 'DISHUB'), { responded: 1, responseRate: 1, firstResponseAvgWd: 0.5 }); // 06:00 → 18:00
    expect(group(report.byOpd, 'DLH').name).toBe('Dinas Lingkungan Hidup');

    expect(report.byCategory.map((r) => [r.key, r.received])).toEqual([
      ['JALAN', 2],
      ['SAMPAH', 2],
      ['-', 1],
      ['DRAINASE', 1],
      ['PARKIR', 1],
    ]);
    expect(report.byChannel.map((r) => [r.key, r.name, r.received])).toEqual([
      ['tg', 'Telegram', 4],
      ['wa', 'WhatsApp', 2],
      ['term', 'Terminal', 1],
    ]);
    expectFigures(group(report.byChannel, 'tg'), { firstResponseAvgWd: 1.22, firstResponseMedianWd: 0.31 }); // 4.875 / 4
    expectFigures(group(report.byChannel, 'wa'), { firstResponseAvgWd: 0.63, answerAvgWd: 3.88 }); // 0.625; (7 + 0.75) / 2
  });

  it('judges a deadline only once it has passed', async () => {
    // Mon 23 Nov 20:00: C's follow-up (due end of the 23rd) and D's verification (due the 30th) are still open.
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: wib('2026-11-23T20:00') });
    expect(report.total.verifySla).toEqual({ judged: 4, met: 3, rate: 0.75 });
    expect(report.total.followUpSla).toEqual({ judged: 3, met: 2, rate: 0.6667 });
  });

  it('limits an OPD\'s report to the cases forwarded to it (what its admin sees)', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', opdCode: 'DLH', now: REPORT_NOW });
    // C was forwarded to DLH; D only carries DLH as the suggested OPD and was never forwarded.
    expect(report.total.received).toBe(1);
    expect(report.byOpd.map((r) => r.key)).toEqual(['DLH']);
    expect(report.byChannel.map((r) => [r.key, r.received])).toEqual([['tg', 1]]);
    expectFigures(report.total, { followUpSla: { judged: 1, met: 0, rate: 0 }, responded: 0, responseRate: 0 });
    expect(report.responder).toBe('opd');
    expect(formatReportText(report)).toContain('Tingkat respons DLH sendiri: 0,0% (0 dari 1)');
  });

  it('reports an empty month without dividing by zero', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-09', now: REPORT_NOW });
    expect(report.total).toMatchObject({ received: 0, responseRate: null, firstResponseAvgWd: null, verifySla: { rate: null } });
    expect(formatReportText(report)).toContain('Belum ada laporan');
  });

  it('rejects a malformed month', () => {
    expect(() => monthRange(app.calendar, '2026-13')).toThrow(/YYYY-MM/);
    expect(() => monthRange(app.calendar, 'november')).toThrow(/YYYY-MM/);
  });

  it('formats text in Indonesian and CSV with one row per group', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: REPORT_NOW });
    const text = formatReportText(report, { cityName: 'Kota Malang' });
    expect(text).toContain('Statistik Kota Malang November 2026 (semua OPD)');
    expect(text).toContain('Laporan diterima: 7');
    expect(text).toMatch(/Tingkat respons: 85,7\s?% \(6 dari 7\)/);
    expect(text).toContain('SLA verifikasi ≤3 hk: 60,0');
    expect(text).toContain('• DPUPRPKP: 3 laporan');
    const csv = formatReportCsv(report).trim().split('\n');
    expect(csv[0]).toBe(
      'group,key,name,received,responded,response_rate,first_response_avg_wd,first_response_median_wd,answered,answer_avg_wd,answer_median_wd,verify_sla_met,verify_sla_judged,verify_sla_rate,follow_up_sla_met,follow_up_sla_judged,follow_up_sla_rate,rated,rating_avg,resolved_yes,resolved_answered,resolved_rate',
    );
    expect(csv[1]).toBe('total,ALL,2026-11,7,6,0.8571,1.02,0.31,3,3.25,2,3,5,0.6,2,4,0.5,2,3.5,1,2,0.5');
    expect(csv.filter((l) => l.startsWith('opd,'))).toHaveLength(4);
    // DLH: 2 cases, 0 responses of its own (C forwarded, unanswered; D never forwarded).
    expect(csv.find((l) => l.startsWith('opd,DLH,'))).toBe('opd,DLH,Dinas Lingkungan Hidup,2,0,0,,,0,,,0,2,0,0,1,0,0,,0,0,');
    expect(csv).toHaveLength(1 + 1 + 4 + 5 + 3); // header, total, OPDs, categories, channels
  });
});

describe('npm run report', { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  const env = () => ({ ...process.env, DATABASE_URL: app.databaseUrl, DATA_DIR: app.dir, LOG_LEVEL: 'silent' });

  it('prints JSON, CSV and text for a month', async () => {
    const asOf = REPORT_NOW.toISOString();
    const json = await run('scripts/report.ts', ['--month', '2026-11', '--format', 'json', '--as-of', asOf], { env: env() });
    const report = JSON.parse(json.stdout);
    expect(report.total).toMatchObject({ received: 7, responded: 6, verifySla: { judged: 5, met: 3 } });
    const csv = await run('scripts/report.ts', ['--month', '2026-11', '--format', 'csv', '--as-of', asOf], { env: env() });
    expect(csv.stdout.split('\n')[1]).toBe('total,ALL,2026-11,7,6,0.8571,1.02,0.31,3,3.25,2,3,5,0.6,2,4,0.5,2,3.5,1,2,0.5');
    const text = await run('scripts/report.ts', ['--month', '2026-11', '--opd', 'dlh', '--as-of', asOf], { env: env() });
    expect(text.stdout).toContain('(DLH)');
    expect(text.stdout).toContain('Laporan diterima: 1');
  });

  it('explains its usage on bad arguments', async () => {
    const failed = await run('scripts/report.ts', ['--month', 'nov'], { env: env() }).catch((err) => err);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('Usage: npm run report');
  });
});
