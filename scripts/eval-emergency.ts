/**
 * Precision and recall of the offline emergency detector on the hand-written messages in
 * test/fixtures/emergency-messages.ts, overall and on the held-out part; lists every miss.
 *   npm run eval:emergency
 */
import { detectEmergency } from '../nlp/detect-emergency.ts';
import { binaryReport } from '../nlp/binary-metrics.ts';
import { EMERGENCY_EXAMPLES, type EmergencyExample } from '../test/fixtures/emergency-messages.ts';

function evaluate(examples: EmergencyExample[]) {
  const rows = examples.map((e) => ({ e, d: detectEmergency(e.text) }));
  const report = binaryReport(rows.map(({ e, d }) => ({ gold: e.urgent, predicted: d.urgent })));
  const kindRight = rows.filter(({ e, d }) => e.urgent && d.urgent && d.kind === e.kind).length;
  return { rows, report, kindAccuracy: report.truePositives === 0 ? 0 : kindRight / report.truePositives };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const [name, examples] of [
  ['all', EMERGENCY_EXAMPLES],
  ['holdout', EMERGENCY_EXAMPLES.filter((e) => e.split === 'holdout')],
  ['fresh', EMERGENCY_EXAMPLES.filter((e) => e.split === 'fresh')],
  ['tuned', EMERGENCY_EXAMPLES.filter((e) => e.split === 'tuned')],
  ['blind', EMERGENCY_EXAMPLES.filter((e) => e.split === 'blind')],
  ['blind2', EMERGENCY_EXAMPLES.filter((e) => e.split === 'blind2')],
] as const) {
  const { report, kindAccuracy } = evaluate(examples);
  const positives = examples.filter((e) => e.urgent).length;
  console.log(
    `${name.padEnd(8)} n=${report.n} (${positives} emergencies, ${report.n - positives} not)  precision ${pct(report.precision)}  recall ${pct(report.recall)}  F1 ${pct(report.f1)}  kind right ${pct(kindAccuracy)}`,
  );
}
const { rows } = evaluate(EMERGENCY_EXAMPLES);
const misses = rows.filter(({ e, d }) => e.urgent !== d.urgent || (e.urgent && e.kind !== d.kind));
for (const { e, d } of misses) {
  const what = e.urgent && !d.urgent ? 'missed' : !e.urgent && d.urgent ? 'false alarm' : `kind ${d.kind} ≠ ${e.kind}`;
  console.log(`  ${what.padEnd(24)} (${d.confidence.toFixed(2)}) ${e.text}`);
}
