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

/** Phone-sized: drawn at about 1:1 on a phone, and the page caps its width on a desktop. */
const WIDTH = 360;
const VALUE_WIDTH = 56;
/** Each row is a label line with its bar underneath, so long names need no narrow label column. */
const ROW_HEIGHT = 42;
const LABEL_LINE = 16;
const BAR_HEIGHT = 14;
/** Longer labels are cut with an ellipsis; the table beside the chart has them in full. */
const MAX_LABEL_CHARS = 48;
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
  const height = Math.max(1, bars.length) * ROW_HEIGHT + 4;
  const barSpace = WIDTH - VALUE_WIDTH;
  const rows = bars.map((bar, i) => {
    const y = 2 + i * ROW_HEIGHT;
    const width = Math.max(0, Math.round((bar.value / max) * barSpace));
    const barTop = y + LABEL_LINE + 4;
    return [
      `<text x="0" y="${y + LABEL_LINE - 3}" fill="${TEXT_COLOUR}">${escapeXml(shorten(bar.label))}</text>`,
      `<rect x="0" y="${barTop}" width="${width}" height="${BAR_HEIGHT}" fill="${BAR_COLOUR}" rx="2"/>`,
      `<text x="${width + 6}" y="${barTop + BAR_HEIGHT / 2}" dominant-baseline="middle" fill="${TEXT_COLOUR}" font-weight="600">${escapeXml(bar.valueLabel ?? String(bar.value))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${options.id}" font-family="system-ui, sans-serif" font-size="13">`,
    `<title id="${options.id}">${escapeXml(options.title)}</title>`,
    ...rows,
    '</svg>',
  ].join('');
}
