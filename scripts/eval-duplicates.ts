/**
 * Precision and recall of the duplicate rule (nlp/find-similar-cases.ts) on the hand-written pairs in
 * test/fixtures/duplicate-pairs.ts, per kind of pair, with a sweep of the text-similarity threshold.
 *   npm run eval:duplicates
 */
import { buildIdf, descriptionTerms, isLikelyDuplicate, TEXT_SIMILARITY_THRESHOLD } from '../nlp/find-similar-cases.ts';
import { binaryReport } from '../nlp/binary-metrics.ts';
import { DUPLICATE_PAIRS, PAIRS_NOW } from '../test/fixtures/duplicate-pairs.ts';

// IDF over every description in the set, standing in for a neighbourhood's open cases.
const idf = buildIdf(DUPLICATE_PAIRS.flatMap((p) => [descriptionTerms(p.draft.description), descriptionTerms(p.open.description)]));
const judge = (textThreshold: number) =>
  DUPLICATE_PAIRS.map((p) => ({ p, v: isLikelyDuplicate(p.draft, p.open, { now: PAIRS_NOW, idf, textThreshold }) }));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rows = judge(TEXT_SIMILARITY_THRESHOLD);
const report = binaryReport(rows.map(({ p, v }) => ({ gold: p.duplicate, predicted: v.duplicate })));
console.log(`pairs ${report.n} (${rows.filter((r) => r.p.duplicate).length} duplicates)  threshold ${TEXT_SIMILARITY_THRESHOLD}`);
console.log(`precision ${pct(report.precision)}  recall ${pct(report.recall)}  F1 ${pct(report.f1)}`);
for (const kind of [...new Set(DUPLICATE_PAIRS.map((p) => p.kind))]) {
  const of = rows.filter((r) => r.p.kind === kind);
  console.log(`  ${kind.padEnd(28)} ${of.filter((r) => r.v.duplicate === r.p.duplicate).length}/${of.length} right`);
}
console.log('threshold sweep (text path only changes):');
for (const t of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]) {
  const r = binaryReport(judge(t).map(({ p, v }) => ({ gold: p.duplicate, predicted: v.duplicate })));
  console.log(`  ${t.toFixed(2)}  precision ${pct(r.precision)}  recall ${pct(r.recall)}`);
}
for (const { p, v } of rows.filter((r) => r.v.duplicate !== r.p.duplicate)) {
  const where = v.distanceMeters === undefined ? 'no coordinates' : `${Math.round(v.distanceMeters)} m`;
  console.log(`  ${p.duplicate ? 'missed' : 'false match'} (${p.kind}, ${where}, sim ${v.similarity.toFixed(2)}): "${p.draft.description}" ~ "${p.open.description}"`);
}
