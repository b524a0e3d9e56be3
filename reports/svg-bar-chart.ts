/**
 * A horizontal bar chart as an SVG string: server-rendered, so the dashboard needs no JavaScript and no chart
 * library in the browser, and it scales to a phone's width (viewBox, width 100%). Written here rather than with
 * a library because the one chart library in the project (chart.js) needs a canvas and would give a PNG, which
 * is neither sharp on phones nor readable by screen readers; every chart is accompanied by a data table.
 */

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar (e.g. "12" or "87,5%"); defaults to the value. */
  valueLabel?: string;
}

export interface BarChartOptions {
  /** Accessible name of the chart (the SVG's <title>). */
  title: string;
  /** Id for the <title>, unique in the page. */
  id: string;
  bars: Bar[];
  /** The value a full-width bar stands for; defaults to the largest value (at least 1). */
  max?: number;
}

const WIDTH = 640;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 70;
const ROW_HEIGHT = 28;
const BAR_HEIGHT = 18;
/** Longer labels are cut with an ellipsis; the table beside the chart has them in full. */
const MAX_LABEL_CHARS = 30;
/** Dark enough on white for WCAG AA contrast, for the bar and its text. */
const BAR_COLOUR = '#1f5f99';
const TEXT_COLOUR = '#1a1a1a';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function shorten(text: string): string {
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

export function renderBarChartSvg(options: BarChartOptions): string {
  const { bars } = options;
  const max = Math.max(1, options.max ?? Math.max(0, ...bars.map((b) => b.value)));
  const height = Math.max(1, bars.length) * ROW_HEIGHT + 8;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW_HEIGHT;
    const width = Math.max(0, Math.round((bar.value / max) * barSpace));
    const middle = y + ROW_HEIGHT / 2;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${middle}" text-anchor="end" dominant-baseline="middle" fill="${TEXT_COLOUR}">${escapeXml(shorten(bar.label))}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${middle - BAR_HEIGHT / 2}" width="${width}" height="${BAR_HEIGHT}" fill="${BAR_COLOUR}" rx="2"/>`,
      `<text x="${LABEL_WIDTH + width + 6}" y="${middle}" dominant-baseline="middle" fill="${TEXT_COLOUR}">${escapeXml(bar.valueLabel ?? String(bar.value))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${options.id}" font-family="system-ui, sans-serif" font-size="13">`,
    `<title id="${options.id}">${escapeXml(options.title)}</title>`,
    ...rows,
    '</svg>',
  ].join('');
}
