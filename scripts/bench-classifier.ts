/**
 * Offline classification throughput on one core: npm run bench:classifier -- [--data <csv>] [--model <file>]
 * Uses the given CSV's text column (default ../shared/data/surabaya-dev.csv) or, without it, generated texts.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { loadCityProfile } from '../lib/city-profile.ts';
import { readLabelledCsv } from '../nlp/training-data.ts';
import { loadModel } from '../nlp/model-store.ts';
import { OfflineClassifier } from '../nlp/offline-classifier.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, model: { type: 'string' }, seconds: { type: 'string', default: '3' } } });
const file = values.data ?? '../shared/data/surabaya-dev.csv';
const texts = fs.existsSync(file)
  ? readLabelledCsv(file, 'text').rows.map((r) => r.text)
  : Array.from({ length: 500 }, (_, i) => `Mohon dibantu, jalan di gang ${i} berlubang dan saluran mampet, sampah menumpuk sejak ${i % 7} hari`);
const classifier = new OfflineClassifier(loadCityProfile(), values.model ? loadModel(values.model) : undefined);
for (const t of texts.slice(0, 200)) classifier.classifySync({ text: t }); // warm-up
const deadline = performance.now() + Number(values.seconds) * 1000;
let n = 0;
const started = performance.now();
while (performance.now() < deadline) {
  for (const t of texts) {
    classifier.classifySync({ text: t });
    n++;
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${classifier.name}: ${n} classifications in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)}/s (${((seconds * 1000) / n).toFixed(3)} ms each)\n`);
