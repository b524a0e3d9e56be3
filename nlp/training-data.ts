import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface LabelledRow {
  text: string;
  label: string;
}

export class TrainingDataError extends Error {
  readonly code = 'TRAINING_DATA_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

/**
 * Reads a UTF-8 CSV with a header (RFC 4180 quoting) and returns its `text` and label column. Rows whose text or
 * label is empty are skipped: an empty label means "nobody decided", not a class of its own.
 */
export function readLabelledCsv(file: string, labelColumn: string, textColumn = 'text'): { rows: LabelledRow[]; skipped: number } {
  if (!fs.existsSync(file)) throw new TrainingDataError(`no such file: ${file}`);
  const records = parse(fs.readFileSync(file), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Array<Record<string, string | undefined>>;
  if (records.length > 0) {
    const columns = Object.keys(records[0]);
    for (const wanted of [textColumn, labelColumn]) {
      if (!columns.includes(wanted))
        throw new TrainingDataError(`${file} has no column "${wanted}" (columns: ${columns.join(', ')})`);
    }
  }
  const rows: LabelledRow[] = [];
  let skipped = 0;
  for (const record of records) {
    const text = (record[textColumn] ?? '').trim();
    const label = (record[labelColumn] ?? '').trim();
    if (text === '' || label === '') {
      skipped++;
      continue;
    }
    rows.push({ text, label });
  }
  return { rows, skipped };
}
