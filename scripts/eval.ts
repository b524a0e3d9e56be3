/**
 * npm run eval -- --data <csv> --label <column> [--train <csv>] [--model <file>] [--classifier offline|llm] [--json]
 *
 * offline without --train or --model is the cold start (city profile keywords only); --train trains a model on
 * that CSV's same label column first (not saved); --model uses a saved model file. llm uses LLM_* settings
 * (with the offline fallback) and compares the OPD code it returns.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { createLogger } from '../lib/logger.ts';
import { readLabelledCsv } from '../nlp/training-data.ts';
import { LinearModel } from '../nlp/linear-model.ts';
import { loadModel } from '../nlp/model-store.ts';
import { OfflineClassifier } from '../nlp/offline-classifier.ts';
import { createClassifier } from '../nlp/create-classifier.ts';
import { evaluate } from '../nlp/metrics.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    label: { type: 'string' },
    train: { type: 'string' },
    model: { type: 'string' },
    classifier: { type: 'string', default: 'offline' },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}

if (!values.data || !values.label) fail('usage: npm run eval -- --data <csv> --label <column> [--train <csv>] [--classifier offline|llm] [--json]');
if (values.classifier !== 'offline' && values.classifier !== 'llm') fail('--classifier is offline or llm');

const config = loadConfig();
const profile = loadCityProfile(config.CITY_PROFILE);
const { rows: all, skipped } = readLabelledCsv(values.data, values.label);
const rows = values.limit ? all.slice(0, Number(values.limit)) : all;
const out: string[] = [];
const say = (line: string) => out.push(line);

let predictLabel: (text: string) => Promise<string>;
let mode: string;
let trainSeconds: number | undefined;
if (values.classifier === 'offline') {
  let model: LinearModel | undefined;
  if (values.train) {
    const started = performance.now();
    const train = readLabelledCsv(values.train, values.label).rows;
    model = LinearModel.train(train, { rows: train.length, source: values.train, labelColumn: values.label });
    trainSeconds = (performance.now() - started) / 1000;
    mode = `offline, trained on ${train.length} rows of ${values.train} in ${trainSeconds.toFixed(1)} s`;
  } else if (values.model) {
    model = loadModel(values.model) ?? fail(`no model at ${values.model}`);
    mode = `offline, model ${values.model}`;
  } else {
    mode = 'offline cold start (city profile keywords only)';
  }
  const offline = new OfflineClassifier(profile, model);
  predictLabel = async (text) => offline.predictLabel(text).label;
} else {
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const classifier = await createClassifier({ config, profile, log });
  mode = `llm (${classifier.name}), comparing OPD codes`;
  predictLabel = async (text) => (await classifier.classify({ text })).opdCode;
}

const predictions: string[] = new Array(rows.length);
const started = performance.now();
if (values.classifier === 'offline') {
  for (let i = 0; i < rows.length; i++) predictions[i] = await predictLabel(rows[i].text);
} else {
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      predictions[i] = await predictLabel(rows[i].text);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(values.concurrency)) }, worker));
}
const msPerItem = rows.length === 0 ? 0 : (performance.now() - started) / rows.length;
const report = evaluate(rows.map((r, i) => ({ gold: r.label, predicted: predictions[i] })));

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
say(`data: ${values.data}  label: ${values.label}  rows: ${report.n} (skipped ${skipped} with empty label or text)`);
say(`classifier: ${mode}`);
say('');
say(`accuracy   ${report.accuracy.toFixed(4)}`);
say(`macro-F1   ${report.macro_f1.toFixed(4)}`);
say(`ms/item    ${msPerItem.toFixed(3)}  (${Math.round(1000 / Math.max(msPerItem, 1e-9))} items/s, one core)`);
say('');
say('per label (support, precision, recall, F1):');
const width = Math.min(48, Math.max(...report.perLabel.map((l) => l.label.length)));
for (const l of [...report.perLabel].sort((a, b) => b.support - a.support)) {
  say(`  ${l.label.slice(0, width).padEnd(width)}  ${String(l.support).padStart(5)}  P ${pct(l.precision).padStart(6)}  R ${pct(l.recall).padStart(6)}  F1 ${pct(l.f1).padStart(6)}`);
}
say('');
say('most common confusions (gold → predicted):');
for (const c of report.confusions.slice(0, 10)) say(`  ${String(c.count).padStart(4)}  ${c.gold} → ${c.predicted}`);
process.stdout.write(`${out.join('\n')}\n`);
if (values.json) {
  const summary = {
    n: report.n,
    accuracy: Number(report.accuracy.toFixed(4)),
    macro_f1: Number(report.macro_f1.toFixed(4)),
    ms_per_item: Number(msPerItem.toFixed(4)),
    skipped,
    classifier: values.classifier,
    mode,
    ...(trainSeconds !== undefined ? { train_seconds: Number(trainSeconds.toFixed(2)) } : {}),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
