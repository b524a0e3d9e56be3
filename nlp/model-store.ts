import fs from 'node:fs';
import path from 'node:path';
import { LinearModel, type LinearModelJson } from './linear-model.ts';

/** Where the trained offline model lives: `<DATA_DIR>/models/offline-classifier.json`. */
export function defaultModelPath(dataDir: string): string {
  return path.resolve(dataDir, 'models', 'offline-classifier.json');
}

/** Writes atomically (temp file + rename), so a bot starting mid-training never reads half a model. */
export function saveModel(model: LinearModel, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(model.toJSON()));
  fs.renameSync(tmp, file);
}

/** The saved model, or undefined when none has been trained yet. A corrupt file throws. */
export function loadModel(file: string): LinearModel | undefined {
  if (!fs.existsSync(file)) return undefined;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as LinearModelJson;
  return LinearModel.fromJSON(json);
}
