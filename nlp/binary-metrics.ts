/** Precision and recall of a yes/no decision (emergency, duplicate) against hand labels. */
export interface BinaryReport {
  n: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function binaryReport(pairs: Iterable<{ gold: boolean; predicted: boolean }>): BinaryReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { gold, predicted } of pairs) {
    if (gold && predicted) tp++;
    else if (!gold && predicted) fp++;
    else if (gold && !predicted) fn++;
    else tn++;
  }
  // With nothing predicted positive, precision is undefined; 0 keeps a broken detector from passing a threshold.
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { n: tp + fp + fn + tn, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1 };
}
