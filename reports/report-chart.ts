import fs from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { monthLabel, UNASSIGNED, type MonthlyReport } from './monthly-figures.ts';

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

/**
 * Renders "cases and response time per OPD" for a month with chart.js on a @napi-rs/canvas canvas (prebuilt
 * binary, no system libraries): bars for cases received (left axis), a line for the average working days to
 * the first response (right axis). Returns the PNG bytes.
 */
export async function renderReportChart(report: MonthlyReport): Promise<Buffer> {
  const rows = report.byOpd;
  const labels = rows.map((r) => (r.key === UNASSIGNED ? 'Belum ditentukan' : r.key));
  const config: ChartConfiguration<'bar' | 'line'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          type: 'bar',
          label: 'Laporan diterima',
          data: rows.map((r) => r.received),
          backgroundColor: '#2563eb',
          yAxisID: 'y',
          order: 2,
        },
        {
          type: 'line',
          label: 'Rata-rata ke respons pertama (hari kerja)',
          data: rows.map((r) => r.firstResponseAvgWd),
          borderColor: '#dc2626',
          backgroundColor: '#dc2626',
          pointRadius: 5,
          yAxisID: 'y1',
          order: 1,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: `Laporan dan waktu respons per OPD — ${monthLabel(report.month)}${report.opdCode ? ` (${report.opdCode})` : ''}`, font: { size: 22 } },
        legend: { position: 'bottom', labels: { font: { size: 16 } } },
      },
      scales: {
        x: { ticks: { font: { size: 14 }, autoSkip: false, maxRotation: 60 } },
        y: { beginAtZero: true, position: 'left', title: { display: true, text: 'Laporan' }, ticks: { precision: 0 } },
        y1: { beginAtZero: true, position: 'right', title: { display: true, text: 'Hari kerja' }, grid: { drawOnChartArea: false } },
      },
    },
    plugins: [whiteBackground as Plugin<'bar' | 'line'>],
  };
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  // chart.js draws on anything with a 2D context; @napi-rs/canvas implements the same API as a browser canvas.
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/** Writes the chart under DATA_DIR/charts (one file per month and scope, overwritten, so they do not pile up). */
export async function writeReportChart(report: MonthlyReport, dataDir: string): Promise<string> {
  const relative = path.join('charts', `statistik-${report.month}-${report.opdCode ?? 'semua'}.png`);
  const file = path.resolve(dataDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const png = await renderReportChart(report);
  // Write then rename: a concurrent sender never reads a half-written picture.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, png);
  fs.renameSync(temporary, file);
  return relative;
}
