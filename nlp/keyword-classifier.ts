import type { Classification, ClassifyInput, Classifier } from './classifier.ts';
import { detectReportKind } from './report-kind.ts';
import { normalizeForMatch, type CityProfile } from '../lib/city-profile.ts';

interface Rule {
  categoryCode: string;
  opdCode: string;
  phrase: string;
  weight: number;
}

/**
 * Cold-start classifier built from the city profile alone: category and OPD keywords, longer phrases weigh
 * more. Needs no training and no network, so a fresh install classifies from its first message.
 */
export class KeywordClassifier implements Classifier {
  readonly name = 'keyword';
  private readonly rules: Rule[];
  private readonly fallbackCategory: { categoryCode: string; opdCode: string };

  constructor(private readonly profile: CityProfile) {
    const rules: Rule[] = [];
    for (const category of profile.categories) {
      for (const keyword of category.keywords) {
        const phrase = normalizeForMatch(keyword);
        if (phrase) rules.push({ categoryCode: category.code, opdCode: category.defaultOpdCode, phrase, weight: 1 + phrase.split(' ').length });
      }
    }
    // OPD keywords point at the OPD's first category, at a lower weight than category keywords.
    for (const opd of profile.opds) {
      const category = profile.categories.find((c) => c.defaultOpdCode === opd.code);
      if (!category) continue;
      for (const keyword of opd.keywords) {
        const phrase = normalizeForMatch(keyword);
        if (phrase) rules.push({ categoryCode: category.code, opdCode: opd.code, phrase, weight: 0.5 * phrase.split(' ').length + 0.5 });
      }
    }
    this.rules = rules;
    const general = profile.categories.find((c) => c.defaultOpdCode === 'KELURAHAN') ?? profile.categories[0];
    this.fallbackCategory = { categoryCode: general.code, opdCode: general.defaultOpdCode };
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    return this.classifySync(input);
  }

  classifySync(input: ClassifyInput): Classification {
    const started = performance.now();
    const haystack = ` ${normalizeForMatch(input.text)} `;
    const scores = new Map<string, { score: number; opdCode: string; hits: string[] }>();
    for (const rule of this.rules) {
      if (!haystack.includes(` ${rule.phrase} `)) continue;
      const entry = scores.get(rule.categoryCode) ?? { score: 0, opdCode: rule.opdCode, hits: [] };
      entry.score += rule.weight;
      entry.hits.push(rule.phrase);
      scores.set(rule.categoryCode, entry);
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
    const reportKind = detectReportKind(input.text);
    if (ranked.length === 0) {
      return {
        reportKind,
        ...this.fallbackCategory,
        confidence: 0.1,
        reason: 'Tidak ada kata kunci yang cocok; perlu diperiksa admin.',
        classifier: this.name,
        latencyMs: performance.now() - started,
      };
    }
    const [bestCode, best] = ranked[0];
    const second = ranked[1]?.[1].score ?? 0;
    const confidence = Math.min(0.95, 0.35 + 0.6 * ((best.score - second) / best.score) * Math.min(1, best.score / 4));
    return {
      reportKind,
      categoryCode: bestCode,
      opdCode: best.opdCode,
      confidence: Math.round(confidence * 100) / 100,
      reason: `Kata kunci: ${[...new Set(best.hits)].slice(0, 4).join(', ')}`,
      classifier: this.name,
      latencyMs: performance.now() - started,
    };
  }
}
