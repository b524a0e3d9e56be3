import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { insertNovemberCases, REPORT_NOW } from '../../helpers/report-fixture.ts';
import { insertAdmin, insertCase, wib } from '../../helpers/case-fixtures.ts';
import { computeMonthlyReport } from '../../../reports/monthly-report.ts';
import { CHART_SIZE, renderReportChart, reportChartConfig } from '../../../reports/report-chart.ts';
import { parseMonthArgument } from '../../../flows/admin/statistik-command.ts';
import { WorkingCalendar } from '../../../lib/working-days.ts';

const BAR_BLUE = [0x25, 0x63, 0xeb];
const LINE_RED = [0xdc, 0x26, 0x26];

interface Decoded {
  width: number;
  height: number;
  data: Buffer;
}
const isColor = (png: Decoded, x: number, y: number, [r, g, b]: number[]) => {
  const i = (y * png.width + x) * 4;
  return Math.abs(png.data[i] - r) < 8 && Math.abs(png.data[i + 1] - g) < 8 && Math.abs(png.data[i + 2] - b) < 8;
};

/** Heights in pixels of the bars, left to right: runs of columns with a tall stack of bar-blue pixels. */
function barHeights(png: Decoded): number[] {
  const heights: number[] = [];
  // The legend (with its blue colour box) sits in the bottom band, under the x axis; bars stay above it.
  const plotBottom = Math.floor(png.height * 0.92);
  let current = 0;
  for (let x = 0; x < png.width; x++) {
    let column = 0;
    for (let y = 0; y < plotBottom; y++) if (isColor(png, x, y, BAR_BLUE)) column++;
    if (column > 30) current = Math.max(current, column);
    else if (current) {
      heights.push(current);
      current = 0;
    }
  }
  return heights;
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ clock: () => REPORT_NOW });
  await insertNovemberCases(app.db);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('report chart', () => {
  it('draws bars only (no line across unrelated OPDs), capped in width, with Indonesian ticks (issue 15)', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', opdCode: 'DLH', now: REPORT_NOW });
    const config = reportChartConfig(report);
    expect(config.type).toBe('bar');
    expect(config.data.datasets.every((d) => (d as { type?: string }).type === undefined || (d as { type?: string }).type === 'bar')).toBe(true);
    // A penghubung's single bar does not fill the width.
    expect(config.data.labels).toEqual(['DLH']);
    for (const d of config.data.datasets) expect(d.maxBarThickness).toBeLessThanOrEqual(80);
    const y1 = config.options!.scales!.y1!.ticks!.callback as (value: number, index: number, ticks: Array<{ value: number }>) => string;
    const ticks = [0, 0.01, 0.02].map((value) => ({ value }));
    expect(ticks.map((t, i) => y1.call(undefined as never, t.value, i, ticks))).toEqual(['0', '0,01', '0,02']);
    const y = config.options!.scales!.y!.ticks!.callback as typeof y1;
    const big = [0, 1000, 2000].map((value) => ({ value }));
    expect(y.call(undefined as never, 2000, 2, big)).toBe('2.000');
  });

  it('is a PNG of the configured size with one bar per OPD, as tall as its case count', async () => {
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: REPORT_NOW });
    const png = PNG.sync.read(await renderReportChart(report));
    expect([png.width, png.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    // Not blank: a white page with drawn content in several colours.
    expect(isColor(png, 2, 2, [255, 255, 255])).toBe(true);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(5);
    // DPUPRPKP 3, DLH 2, unassigned 1, DISHUB 1: the bars' heights keep those proportions (y axis from 0).
    const heights = barHeights(png);
    expect(heights).toHaveLength(4);
    const unit = heights[0] / 3;
    expect(heights[1] / unit).toBeCloseTo(2, 1);
    expect(heights[2] / unit).toBeCloseTo(1, 1);
    expect(heights[3] / unit).toBeCloseTo(1, 1);
    // The response-time line is drawn.
    let red = 0;
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (isColor(png, x, y, LINE_RED)) red++;
    expect(red).toBeGreaterThan(100);
  });
});

describe('/statistik', () => {
  it('gives the admin instansi the city\'s figures and a chart', async () => {
    const admin = await insertAdmin(app.db, { role: 'instansi' });
    const replies = await app.say(admin.conversationKey, '/statistik 2026-11');
    expect(replies).toHaveLength(2);
    expect(replies[0].text).toContain('Statistik Kota Malang November 2026 (semua OPD)');
    expect(replies[0].text).toContain('Laporan diterima: 7');
    expect(replies[0].text).toContain('Per OPD:');
    const file = path.resolve(app.dir, replies[1].image!.path);
    const png = PNG.sync.read(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect(barHeights(png)).toHaveLength(4);
  });

  it('shows an OPD\'s admin only its own OPD, defaulting to the current month', async () => {
    const admin = await insertAdmin(app.db, { opdCode: 'DLH' });
    const named = await app.say(admin.conversationKey, '/statistik november');
    expect(named[0].text).toContain('(DLH)');
    // Only C was forwarded to DLH; D merely has DLH as its suggested OPD and DLH cannot see it.
    expect(named[0].text).toContain('Laporan diterima: 1');
    expect(named[0].text).not.toContain('Per OPD:');
    expect(barHeights(PNG.sync.read(fs.readFileSync(path.resolve(app.dir, named[1].image!.path))))).toHaveLength(1);
    // "Now" is 2 December: the 1 December DLH case is not forwarded yet, so DLH has nothing this month...
    const current = await app.say(admin.conversationKey, '/statistik');
    expect(current[0].text).toContain('Desember 2026 (DLH)');
    expect(current[0].text).toContain('Laporan diterima: 0');
    // ...until a December case is forwarded to it.
    await insertCase(app.db, { opdCode: 'DLH', status: 'forwarded', submittedAt: wib('2026-12-01T09:00'), forwardedAt: wib('2026-12-01T10:00') });
    const later = await app.say(admin.conversationKey, '/statistik');
    expect(later[0].text).toContain('Laporan diterima: 1');
  });

  it('answers bad and future months politely, and an empty month without a chart', async () => {
    const admin = await insertAdmin(app.db, { role: 'instansi' });
    expect((await app.say(admin.conversationKey, '/statistik kemarin dulu'))[0].text).toMatch(/tidak saya kenali[\s\S]*Format: \/statistik/);
    expect((await app.say(admin.conversationKey, '/statistik 2027-03'))[0].text).toMatch(/Maret 2027 belum berjalan/);
    const empty = await app.say(admin.conversationKey, '/statistik 2026-09');
    expect(empty).toHaveLength(1);
    expect(empty[0].text).toContain('Belum ada laporan');
  });

  it('is an unknown command for anyone who is not an active admin', async () => {
    const unknown = await app.sayText('tg:31337', '/perintahngawur');
    expect(unknown.length).toBeGreaterThan(0);
    expect(await app.sayText('tg:31337', '/statistik')).toBe(unknown);
    const removed = await insertAdmin(app.db, { role: 'instansi', removedAt: wib('2026-11-01') });
    expect(await app.sayText(removed.conversationKey, '/statistik 2026-11')).toBe(await app.sayText(removed.conversationKey, '/perintahngawur'));
  });
});

describe('month argument', () => {
  const calendar = new WorkingCalendar({ country: 'ID', timezone: 'Asia/Jakarta' });
  const now = wib('2026-03-10T10:00');
  it.each([
    [undefined, '2026-03'],
    ['', '2026-03'],
    ['ini', '2026-03'],
    ['lalu', '2026-02'],
    ['2025-12', '2025-12'],
    ['12/2025', '2025-12'],
    ['1-2026', '2026-01'],
    ['Januari', '2026-01'],
    ['nov', '2025-11'], // the most recent November
    ['Agustus 2024', '2024-08'],
    ['13/2025', undefined],
    ['besok', undefined],
  ])('%s → %s', (arg, expected) => {
    expect(parseMonthArgument(arg, now, calendar)).toBe(expected);
  });
  it('"lalu" in January is last December', () => {
    expect(parseMonthArgument('lalu', wib('2026-01-05T10:00'), calendar)).toBe('2025-12');
  });
});
