export interface LabelStats {
  label: string;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  /** Mean F1 over every label that occurs in the gold labels or the predictions (as scikit-learn does). */
  macro_f1: number;
  perLabel: LabelStats[];
  confusions: Array<{ gold: string; predicted: string; count: number }>;
}

export function evaluate(pairs: Array<{ gold: string; predicted: string }>): EvalReport {
  const tp = new Map<string, number>();
  const support = new Map<string, number>();
  const predicted = new Map<string, number>();
  const confusions = new Map<string, { gold: string; predicted: string; count: number }>();
  let correct = 0;
  for (const { gold, predicted: p } of pairs) {
    support.set(gold, (support.get(gold) ?? 0) + 1);
    predicted.set(p, (predicted.get(p) ?? 0) + 1);
    if (gold === p) {
      correct++;
      tp.set(gold, (tp.get(gold) ?? 0) + 1);
    } else {
      const key = `${gold}\u0000${p}`;
      const entry = confusions.get(key) ?? { gold, predicted: p, count: 0 };
      entry.count++;
      confusions.set(key, entry);
    }
  }
  const labels = [...new Set([...support.keys(), ...predicted.keys()])].sort();
  const perLabel = labels.map((label) => {
    const t = tp.get(label) ?? 0;
    const s = support.get(label) ?? 0;
    const pr = predicted.get(label) ?? 0;
    const precision = pr === 0 ? 0 : t / pr;
    const recall = s === 0 ? 0 : t / s;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support: s, predicted: pr, precision, recall, f1 };
  });
  return {
    n: pairs.length,
    accuracy: pairs.length === 0 ? 0 : correct / pairs.length,
    macro_f1: perLabel.length === 0 ? 0 : perLabel.reduce((sum, l) => sum + l.f1, 0) / perLabel.length,
    perLabel,
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count),
  };
}
