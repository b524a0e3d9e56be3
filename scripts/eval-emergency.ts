/**
 * Precision and recall of the offline emergency detector on the hand-written messages in
 * test/fixtures/emergency-messages.ts: all of them, then each split in the order they were written (which were
 * tuned on and which were not is in that file's doc comment); lists every miss with its split.
 *   npm run eval:emergency
 *   EXPLAIN=1 npm run eval:emergency   (also shows how each missed clause was read: cue, signs, bonuses)
 */
import { explainEmergency } from '../nlp/detect-emergency.ts';
import { binaryReport } from '../nlp/binary-metrics.ts';
import { EMERGENCY_EXAMPLES, type EmergencyExample } from '../test/fixtures/emergency-messages.ts';

function evaluate(examples: EmergencyExample[]) {
  const rows = examples.map((e) => ({ e, d: explainEmergency(e.text) }));
  const report = binaryReport(rows.map(({ e, d }) => ({ gold: e.urgent, predicted: d.urgent })));
  const kindRight = rows.filter(({ e, d }) => e.urgent && d.urgent && d.kind === e.kind).length;
  return { rows, report, kindAccuracy: report.truePositives === 0 ? 0 : kindRight / report.truePositives };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const splits = [...new Set(EMERGENCY_EXAMPLES.map((e) => e.split))];
for (const [name, examples] of [
  ['all', EMERGENCY_EXAMPLES] as const,
  ...splits.map((split) => [split, EMERGENCY_EXAMPLES.filter((e) => e.split === split)] as const),
]) {
  const { report, kindAccuracy } = evaluate(examples);
  const positives = examples.filter((e) => e.urgent).length;
  console.log(
    `${name.padEnd(8)} n=${String(report.n).padStart(3)} (${positives} emergencies, ${report.n - positives} not)  precision ${pct(report.precision)}  recall ${pct(report.recall)}  F1 ${pct(report.f1)}  kind right ${pct(kindAccuracy)}`,
  );
}
const { rows } = evaluate(EMERGENCY_EXAMPLES);
const misses = rows.filter(({ e, d }) => e.urgent !== d.urgent || (e.urgent && e.kind !== d.kind));
for (const { e, d } of misses) {
  const what = e.urgent && !d.urgent ? 'missed' : !e.urgent && d.urgent ? 'false alarm' : `kind ${d.kind} ≠ ${e.kind}`;
  console.log(`  ${what.padEnd(24)} ${e.split.padEnd(7)} (${d.confidence.toFixed(2)}) ${e.text}`);
  if (process.env.EXPLAIN) {
    for (const c of d.clauses) {
      const signs = c.signs.map((s) => `${s.kind}:${s.text}`).join(', ');
      console.log(`      "${c.normalised}" ${c.cancelledBy ? `cancelled: ${c.cancelledBy}` : `signs: [${signs}] bonuses: [${c.bonuses.join(', ')}]`}`);
    }
  }
}
