import { escapeXml as esc, renderBarChartSvg } from '../../reports/svg-bar-chart.ts';
import { UNASSIGNED, type Figures, type GroupFigures } from '../../reports/monthly-figures.ts';
import type { PublicCaseLookup, PublicFigureSet, PublicFigures } from './public-data.ts';
import { PAGE_TEXTS, type PageLang, type PageTexts } from './page-texts.ts';
import { PUBLIC_RAHASIA_GROUP } from '../../domain/case-access.ts';

/**
 * The public pages as plain server-rendered HTML: no JavaScript, one small stylesheet inline, readable on a
 * phone. Pure functions of the data PublicData gives (which already left out everything not public).
 */

export interface PageContext {
  lang: PageLang;
  cityName: string;
  timezone: string;
  /** This page's path, for the link to the other language. */
  path: string;
}

/** Rows drawn in a chart; the table below it lists every group. */
const CHART_ROWS = 10;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
header,main,footer{max-width:960px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:8px}
a{color:#0b4f8a}
h1{font-size:1.6rem;margin:.4em 0}
h2{font-size:1.3rem;margin:1.4em 0 .4em}
h3{font-size:1.1rem;margin:1.2em 0 .4em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;padding:0;margin:0;list-style:none}
.card{background:#fff;border:1px solid #d0d5dc;border-radius:8px;padding:12px}
.card .label{display:block;font-size:.9rem;color:#3d4450}
.card .value{display:block;font-size:1.5rem;font-weight:700}
.card .sub{display:block;font-size:.85rem;color:#3d4450}
.panel{background:#fff;border:1px solid #d0d5dc;border-radius:8px;padding:12px;margin:12px 0}
.scroll{overflow-x:auto}
.chart svg{display:block;max-width:560px}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e2e5ea;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
form.lookup{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;margin:12px 0}
form.lookup label{display:block;width:100%;font-weight:600}
input[type=text]{font:inherit;padding:8px;border:1px solid #6b7380;border-radius:6px;min-width:12em;flex:1}
button{font:inherit;padding:8px 16px;border:0;border-radius:6px;background:#0b4f8a;color:#fff}
dl.facts{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;gap:4px 16px;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.status{display:inline-block;padding:2px 10px;border-radius:999px;background:#e4eefa;color:#0b3a66;font-weight:600}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #c5d3e3}
ol.timeline li{margin:0 0 12px;padding-left:14px}
ol.timeline time{display:block;font-size:.85rem;color:#3d4450}
.photos{display:flex;flex-wrap:wrap;gap:8px}
.photos img{max-width:100%;height:auto;max-height:320px;border-radius:6px}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
footer{font-size:.85rem;color:#3d4450;padding-top:16px;padding-bottom:32px}
@media (max-width:480px){h1{font-size:1.35rem}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:8px}}
`;

function layout(ctx: PageContext, title: string, body: string): string {
  const t = PAGE_TEXTS[ctx.lang];
  const other = `${ctx.path}?lang=${t.otherLanguageCode}`;
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><div class="top"><a href="/?lang=${ctx.lang}">${esc(t.siteTitle(ctx.cityName))}</a><a href="${esc(other)}" lang="${t.otherLanguageCode}" hreflang="${t.otherLanguageCode}">${t.otherLanguage}</a></div></header>
<main>
${body}
</main>
<footer><p>${esc(t.footnote)}</p><p>${esc(t.apiNote)} <a href="/open311/v2/services.json">/open311/v2</a>.</p></footer>
</body>
</html>
`;
}

function numberFormats(t: PageTexts) {
  const decimal = new Intl.NumberFormat(t.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(t.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    pct: (v: number | null) => (v === null ? t.none : percent.format(v)),
    dec: (v: number | null) => (v === null ? t.none : decimal.format(v)),
  };
}

function periodLabel(t: PageTexts, period: string): string {
  if (period.length === 4) return period;
  const [year, month] = period.split('-').map(Number);
  return `${t.months[month - 1]} ${year}`;
}

function cards(t: PageTexts, f: Figures): string {
  const { pct, dec } = numberFormats(t);
  const card = (label: string, value: string, sub?: string) =>
    `<li class="card"><span class="label">${esc(label)}</span><span class="value">${esc(value)}</span>${sub ? `<span class="sub">${esc(sub)}</span>` : ''}</li>`;
  return `<ul class="cards">
${card(t.received, String(f.received))}
${card(t.responseRate, pct(f.responseRate), t.respondedOf(f.responded, f.received))}
${card(t.firstResponse, dec(f.firstResponseAvgWd), t.workingDaysAverage)}
${card(t.toAnswer, dec(f.answerAvgWd), `${t.workingDaysAverage} · ${t.answeredCount(f.answered)}`)}
${card(t.satisfaction, f.ratingAvg === null ? t.none : `${dec(f.ratingAvg)}/5`, t.ratedCount(f.rated))}
</ul>`;
}

function groupSection(t: PageTexts, heading: string, groups: GroupFigures[], period: string, id: string, label: (g: GroupFigures) => string): string {
  const { pct, dec } = numberFormats(t);
  const name = (g: GroupFigures) => (g.key === UNASSIGNED ? t.unassigned : g.key === PUBLIC_RAHASIA_GROUP ? t.rahasiaRow : g.name);
  const chart = renderBarChartSvg({
    id: `chart-${id}`,
    title: t.chartReceived(heading, periodLabel(t, period)),
    bars: groups.slice(0, CHART_ROWS).map((g) => ({ label: g.key === UNASSIGNED || g.key === PUBLIC_RAHASIA_GROUP ? name(g) : label(g), value: g.received })),
  });
  const rows = groups
    .map(
      (g) =>
        `<tr><th scope="row">${esc(name(g))}</th><td class="num">${g.received}</td><td class="num">${pct(g.responseRate)}</td><td class="num">${dec(g.firstResponseAvgWd)}</td><td class="num">${dec(g.answerAvgWd)}</td><td class="num">${g.ratingAvg === null ? t.none : `${dec(g.ratingAvg)}/5`}</td></tr>`,
    )
    .join('\n');
  return `<h3>${esc(heading)}</h3>
<div class="panel chart">${chart}</div>
<div class="panel scroll" tabindex="0" role="region" aria-label="${esc(`${heading}, ${periodLabel(t, period)}`)}"><table>
<caption>${esc(`${heading}, ${periodLabel(t, period)}`)}</caption>
<thead><tr><th scope="col">${t.colName}</th><th scope="col" class="num">${t.colReceived}</th><th scope="col" class="num">${t.colResponse}</th><th scope="col" class="num">${t.colFirst}</th><th scope="col" class="num">${t.colAnswer}</th><th scope="col" class="num">${t.colSatisfaction}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function periodSection(t: PageTexts, heading: string, set: PublicFigureSet, id: string): string {
  const body =
    set.total.received === 0
      ? `<p>${esc(t.noCases)}</p>`
      : `${cards(t, set.total)}
${groupSection(t, t.byOpd, set.byOpd, set.period, `${id}-opd`, (g) => `${g.key} · ${g.name}`)}
${set.byUnit.length ? groupSection(t, t.byUnit, set.byUnit, set.period, `${id}-unit`, (g) => g.name) : ''}
${groupSection(t, t.byCategory, set.byCategory, set.period, `${id}-category`, (g) => g.name)}`;
  return `<section aria-labelledby="${id}"><h2 id="${id}">${esc(heading)}</h2>
${body}
</section>`;
}

export function renderDashboard(ctx: PageContext, figures: PublicFigures): string {
  const t = PAGE_TEXTS[ctx.lang];
  const body = `<h1>${esc(t.siteTitle(ctx.cityName))}</h1>
<p>${esc(t.intro(ctx.cityName))}</p>
<form class="lookup" method="get" action="/lapor">
<label for="tracking-id">${esc(t.lookupLabel)}</label>
<input type="text" id="tracking-id" name="id" placeholder="LPR-AB12CD" autocomplete="off">
<input type="hidden" name="lang" value="${ctx.lang}">
<button type="submit">${esc(t.lookupButton)}</button>
</form>
${periodSection(t, t.thisMonth(periodLabel(t, figures.month.period)), figures.month, 'month')}
${periodSection(t, t.thisYear(figures.year.period), figures.year, 'year')}`;
  return layout(ctx, t.siteTitle(ctx.cityName), body);
}

function dateTime(ctx: PageContext, at: Date): string {
  const t = PAGE_TEXTS[ctx.lang];
  const text = new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: ctx.timezone, timeZoneName: 'short' }).format(at);
  return `<time datetime="${at.toISOString()}">${esc(text)}</time>`;
}

export function renderCasePage(ctx: PageContext, lookup: PublicCaseLookup): string {
  const t = PAGE_TEXTS[ctx.lang];
  if (lookup.visibility === 'pending') {
    const body = `<h1>${esc(t.caseTitle(lookup.trackingId))}</h1>
<dl class="facts">
<dt>${t.status}</dt><dd><span class="status">${esc(lookup.rejected ? t.statuses.rejected : t.statuses.submitted)}</span></dd>
<dt>${t.submitted}</dt><dd>${dateTime(ctx, lookup.requestedAt)}</dd>
</dl>
<p>${esc(lookup.rejected ? t.pendingRejected : t.pendingText)}</p>
<p><a href="/?lang=${ctx.lang}">${esc(t.back)}</a></p>`;
    return layout(ctx, t.caseTitle(lookup.trackingId), body);
  }
  const c = lookup.case;
  const facts: Array<[string, string]> = [
    [t.status, `<span class="status">${esc(t.statuses[c.status] ?? c.status)}</span>`],
    [t.kind, esc(t.kinds[c.reportKind] ?? c.reportKind)],
    [t.category, esc(c.serviceName ?? t.unassigned)],
    [t.agency, esc(c.unitName && c.opdName ? `${c.unitName} (${c.opdName})` : (c.agency ?? (c.open ? t.agencyCity : t.none)))],
    [t.location, esc(c.address ?? t.none)],
    [t.submitted, dateTime(ctx, c.requestedAt)],
  ];
  if (c.expectedAt && c.expectedKind) facts.push([t.deadline[c.expectedKind], dateTime(ctx, c.expectedAt)]);
  const photos = c.photoIds.length
    ? `<h2>${t.photos}</h2><div class="photos">${c.photoIds.map((id, i) => `<img src="/media/${esc(id)}.jpg" alt="${esc(t.photoAlt(i + 1))}" loading="lazy">`).join('')}</div>`
    : '';
  const notes = c.statusNotes ? `<h2>${c.status === 'rejected' ? t.rejectionReason : t.answer}</h2><div class="panel text">${esc(c.statusNotes)}</div>` : '';
  const timeline = c.events
    .map((e) => {
      const what = e.action === 'forwarded' && e.note ? `${t.events.forwarded}: ${e.note}` : (t.events[e.action] ?? e.action);
      return `<li>${dateTime(ctx, e.at)}${esc(what)}</li>`;
    })
    .join('\n');
  const body = `<h1>${esc(t.caseTitle(c.trackingId))}</h1>
<div class="panel"><dl class="facts">
${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('\n')}
</dl></div>
<h2>${t.description}</h2>
<div class="panel text">${esc(c.description)}</div>
${notes}
${photos}
<h2>${t.timeline}</h2>
<ol class="timeline">
${timeline}
</ol>
<p><a href="/?lang=${ctx.lang}">${esc(t.back)}</a></p>`;
  return layout(ctx, t.caseTitle(c.trackingId), body);
}

/** One page for an unknown case and a case the public may not see: nothing in it depends on which. */
export function renderCaseNotFound(ctx: PageContext): string {
  const t = PAGE_TEXTS[ctx.lang];
  const body = `<h1>${esc(t.notFoundTitle)}</h1>
<p>${esc(t.notFoundText)}</p>
<form class="lookup" method="get" action="/lapor">
<label for="tracking-id">${esc(t.lookupLabel)}</label>
<input type="text" id="tracking-id" name="id" placeholder="LPR-AB12CD" autocomplete="off">
<input type="hidden" name="lang" value="${ctx.lang}">
<button type="submit">${esc(t.lookupButton)}</button>
</form>
<p><a href="/?lang=${ctx.lang}">${esc(t.back)}</a></p>`;
  return layout({ ...ctx, path: '/lapor' }, t.notFoundTitle, body);
}

export function renderPageNotFound(ctx: PageContext): string {
  const t = PAGE_TEXTS[ctx.lang];
  return layout(ctx, t.pageNotFoundTitle, `<h1>${esc(t.pageNotFoundTitle)}</h1><p>${esc(t.pageNotFoundText)}</p><p><a href="/?lang=${ctx.lang}">${esc(t.back)}</a></p>`);
}
