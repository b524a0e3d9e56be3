/**
 * Trains the offline classifier and saves it where the bot loads it at start-up.
 *
 *   npm run train -- --data <csv> --label <column>     labelled history (columns text + label)
 *   npm run train -- --from-db                          verified cases in DATABASE_URL (label = the admin's OPD)
 *   npm run train -- --data <csv> --label opd --from-db both
 *   [--out <file>]  default CLASSIFIER_MODEL_PATH or <DATA_DIR>/models/offline-classifier.json
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { readLabelledCsv, type LabelledRow } from '../nlp/training-data.ts';
import { readVerifiedCases } from '../db/verified-cases.ts';
import { openDatabase } from '../db/client.ts';
import { OPD_CONFIRMED } from '../domain/case-status.ts';
import { LinearModel } from '../nlp/linear-model.ts';
import { defaultModelPath, saveModel } from '../nlp/model-store.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    label: { type: 'string' },
    'from-db': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n`);
  process.exit(2);
}

const config = loadConfig();
if (!values.data && !values['from-db']) fail('usage: npm run train -- --data <csv> --label <column> | --from-db');
if (values.data && !values.label) fail('--data needs --label <column>');

const rows: LabelledRow[] = [];
const sources: string[] = [];
if (values.data) {
  const { rows: csvRows, skipped } = readLabelledCsv(values.data, values.label!);
  rows.push(...csvRows);
  sources.push(values.data);
  process.stdout.write(`${values.data}: ${csvRows.length} rows (${skipped} skipped: empty text or label)\n`);
}
if (values['from-db']) {
  const db = await openDatabase(config.DATABASE_URL);
  const cases = await readVerifiedCases(db, OPD_CONFIRMED).finally(() => db.$disconnect());
  rows.push(...cases);
  sources.push('database:verified-cases');
  process.stdout.write(`database: ${cases.length} verified cases\n`);
}
const labels = new Set(rows.map((r) => r.label));
if (labels.size < 2) fail(`need at least two different labels to train (have ${labels.size})`);

const profile = loadCityProfile(config.CITY_PROFILE);
const opdCodes = new Set(profile.opds.map((o) => o.code));
const foreign = [...labels].filter((l) => !opdCodes.has(l));
if (foreign.length > 0)
  process.stdout.write(
    `note: ${foreign.length} of ${labels.size} labels are not OPD codes of ${profile.name} (e.g. "${foreign[0]}"); ` +
      'the model can be evaluated but the bot routes only by labels that are OPD codes.\n',
  );

const started = performance.now();
const model = LinearModel.train(rows, { rows: rows.length, source: sources.join(' + '), labelColumn: values.label });
const out = values.out ?? config.CLASSIFIER_MODEL_PATH ?? defaultModelPath(config.DATA_DIR);
saveModel(model, out);
process.stdout.write(
  `trained on ${rows.length} rows, ${labels.size} labels, ${model.features.length} features in ${((performance.now() - started) / 1000).toFixed(1)} s\nsaved ${out}\n`,
);
