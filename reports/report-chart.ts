import fs from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { monthLabel, UNASSIGNED, type MonthlyReport } from './monthly-figures.ts';
import { formatAxisTick } from '../lib/format-number.ts';

Chart.register(...registerables);

/** Large enough to read on a phone once the chat app scales it down; 2:1 suits one bar per OPD. */
export const CHART_SIZE = { width: 1200, height: 600 } as const;

// Chat apps show a transparent PNG on a dark background in dark mode; a white page keeps the text legible.
const whiteBackground: Plugin<'bar'> = {
  id: 'white-background',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** A bar never wider than this, so one OPD's single bar does not fill the picture. */
const MAX_BAR_PX = 80;

/** Tick label in Indonesian number format ("0,01", "1.234"), the same as the text beside the picture. */
function tick(value: number | string, values: number[]): string {
  const numeric = Number(value);
  const step = values.length > 1 ? Math.abs(values[1] - values[0]) : 1;
  return formatAxisTick(numeric, step || 1);
}

/**
 * Renders "cases and response time per OPD" (or per unit, in an OPD's report) for a month with chart.js on a
 * @napi-rs/canvas canvas (prebuilt binary, no system libraries): two sets of bars, cases received (left axis)
 * and the average working days to the OPD's own first response (right axis). Bars, not a line: the OPDs are
 * separate things, and a line between them would suggest a trend. Returns the PNG bytes.
 */
export async function renderReportChart(report: MonthlyReport): Promise<Buffer> {
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  // chart.js draws on anything with a 2D context; @napi-rs/canvas implements the same API as a browser canvas.
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], reportChartConfig(report));
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/** The chart's configuration (pure; tested without drawing). */
export function reportChartConfig(report: MonthlyReport): ChartConfiguration<'bar'> {
  // An OPD's own chart shows its units when it has any; otherwise its single row.
  const perUnit = report.opdCode !== null && !report.unitCode && report.byUnit.length > 0;
  const rows = perUnit ? report.byUnit : report.byOpd;
  const labels = rows.map((r) => (r.key === UNASSIGNED ? 'Belum ditentukan' : perUnit ? r.name : r.key));
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'Laporan diterima',
          data: rows.map((r) => r.received),
          backgroundColor: '#2563eb',
          yAxisID: 'y',
          maxBarThickness: MAX_BAR_PX,
        },
        {
          label: 'Rata-rata ke respons pertama OPD/unit (hari kerja)',
          data: rows.map((r) => r.firstResponseAvgWd),
          backgroundColor: '#dc2626',
          yAxisID: 'y1',
          maxBarThickness: MAX_BAR_PX,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      locale: 'id-ID',
      plugins: {
        title: {
          display: true,
          text: `Laporan dan waktu respons per ${perUnit ? 'unit' : 'OPD'} — ${monthLabel(report.month)}${report.unitCode ? ` (${report.unitCode})` : report.opdCode ? ` (${report.opdCode})` : ''}`,
          font: { size: 22 },
        },
        legend: { position: 'bottom', labels: { font: { size: 16 } } },
      },
      scales: {
        x: { ticks: { font: { size: 14 }, autoSkip: false, maxRotation: 60 } },
        y: {
          beginAtZero: true,
          position: 'left',
          title: { display: true, text: 'Laporan' },
          ticks: { precision: 0, callback: (value, _i, ticks) => tick(value, ticks.map((t) => t.value)) },
        },
        y1: {
          beginAtZero: true,
          position: 'right',
          title: { display: true, text: 'Hari kerja' },
          grid: { drawOnChartArea: false },
          ticks: { callback: (value, _i, ticks) => tick(value, ticks.map((t) => t.value)) },
        },
      },
    },
    plugins: [whiteBackground],
  };
  return config;
}

/** Writes the chart under DATA_DIR/charts (one file per month and scope, overwritten, so they do not pile up). */
export async function writeReportChart(report: MonthlyReport, dataDir: string): Promise<string> {
  const relative = path.join('charts', `statistik-${report.month}-${report.unitCode ?? report.opdCode ?? 'semua'}.png`);
  const file = path.resolve(dataDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const png = await renderReportChart(report);
  // Write then rename: a concurrent sender never reads a half-written picture.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, png);
  fs.renameSync(temporary, file);
  return relative;
}
