import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCityProfile } from '../../lib/city-profile.ts';
import { LinearModel } from '../../nlp/linear-model.ts';
import { OfflineClassifier } from '../../nlp/offline-classifier.ts';
import { readLabelledCsv } from '../../nlp/training-data.ts';
import { evaluate } from '../../nlp/metrics.ts';

// Real complaints live outside the repository (../shared/data, see its README); never copied in.
const DATA = path.resolve('..', 'shared', 'data');
const TRAIN = path.join(DATA, 'surabaya-train.csv');
const DEV = path.join(DATA, 'surabaya-dev.csv');
const present = fs.existsSync(TRAIN) && fs.existsSync(DEV);
if (!present) console.warn(`nlp-eval: skipped — ${DATA} (surabaya-train.csv, surabaya-dev.csv) is absent`);

describe.skipIf(!present)('classifier targets on real complaints (../shared/data)', () => {
  const profile = loadCityProfile('malang');

  it('cold start (profile only) reaches accuracy ≥ 0.60 on dev, label malang_opd', () => {
    const { rows } = readLabelledCsv(DEV, 'malang_opd');
    const offline = new OfflineClassifier(profile);
    const started = performance.now();
    const pairs = rows.map((r) => ({ gold: r.label, predicted: offline.classifySync({ text: r.text }).opdCode }));
    const msPerItem = (performance.now() - started) / rows.length;
    const report = evaluate(pairs);
    console.info(`cold start: n=${report.n} accuracy=${report.accuracy.toFixed(4)} macro_f1=${report.macro_f1.toFixed(4)} ms/item=${msPerItem.toFixed(3)}`);
    expect(report.n).toBeGreaterThan(1000);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.6);
  });

  it('trained on train (label agency): dev accuracy ≥ 0.80 and macro-F1 ≥ 0.50', () => {
    const train = readLabelledCsv(TRAIN, 'agency').rows;
    const dev = readLabelledCsv(DEV, 'agency').rows;
    const model = LinearModel.train(train, { rows: train.length, source: TRAIN, labelColumn: 'agency' });
    const offline = new OfflineClassifier(profile, model);
    const started = performance.now();
    const pairs = dev.map((r) => ({ gold: r.label, predicted: offline.predictLabel(r.text).label }));
    const msPerItem = (performance.now() - started) / dev.length;
    const report = evaluate(pairs);
    console.info(`trained: n=${report.n} accuracy=${report.accuracy.toFixed(4)} macro_f1=${report.macro_f1.toFixed(4)} ms/item=${msPerItem.toFixed(3)}`);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.macro_f1).toBeGreaterThanOrEqual(0.5);
    // Confidences mean something: the confident half is clearly more accurate than the rest.
    const scored = dev.map((r) => ({ ok: offline.predictLabel(r.text).label === r.label, p: offline.predictLabel(r.text).confidence }));
    const high = scored.filter((s) => s.p >= 0.5);
    const low = scored.filter((s) => s.p < 0.5);
    const acc = (xs: typeof scored) => xs.filter((s) => s.ok).length / xs.length;
    expect(acc(high)).toBeGreaterThan(acc(low) + 0.2);
  }, 120_000);
});
