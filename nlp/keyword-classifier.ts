import { LOW_CONFIDENCE, type Classification, type ClassifyInput, type Classifier } from './classifier.ts';
import { detectReportKind } from './report-kind.ts';
import { lightStem, tokenize } from './text.ts';
import type { CityProfile } from '../lib/city-profile.ts';
import { withoutPlaces } from './understand-place.ts';

interface Rule {
  categoryCode: string;
  opdCode: string;
  /** Stemmed words of the keyword, space-joined, matched on word boundaries. */
  phrase: string;
  words: number;
  weight: number;
}

export interface KeywordScore {
  opdCode: string;
  categoryCode: string;
  score: number;
  hits: string[];
}

/** Turns text into the space-padded, stemmed word string rules are matched against. */
function haystackOf(text: string): string {
  return ` ${tokenize(text, { informal: true }).map(lightStem).join(' ')} `;
}

/**
 * Cold-start classifier built from the city profile alone: category and OPD keywords (stemmed, abbreviations
 * expanded, so "jln rusak" meets "jalan rusak" and "sampahnya" meets "sampah"). Scores are summed per OPD first,
 * since the OPD decides who acts; the category is the best-scoring one of that OPD. Needs no training and no
 * network, so a fresh install classifies from its first message.
 */
export class KeywordClassifier implements Classifier {
  readonly name = 'keyword';
  private readonly firstWord = new Map<string, Rule[]>();
  private readonly generalCategory: { categoryCode: string; opdCode: string };
  private readonly defaultCategoryOf = new Map<string, string>();

  constructor(private readonly profile: CityProfile) {
    const rules: Rule[] = [];
    const add = (categoryCode: string, opdCode: string, keyword: string, base: number) => {
      const phrase = tokenize(keyword, { informal: true }).map(lightStem).join(' ');
      if (!phrase) return;
      const words = phrase.split(' ').length;
      // Longer phrases are more specific: "air tidak mengalir" says more than "air".
      rules.push({ categoryCode, opdCode, phrase, words, weight: base * (1 + 0.75 * (words - 1)) });
    };
    for (const category of profile.categories) {
      for (const keyword of category.keywords) add(category.code, category.defaultOpdCode, keyword, 1);
    }
    for (const opd of profile.opds) {
      const category = profile.categories.find((c) => c.defaultOpdCode === opd.code);
      if (category) this.defaultCategoryOf.set(opd.code, category.code);
      // OPD keywords vouch for the OPD; the category is settled by category keywords where there are any.
      for (const keyword of opd.keywords) add(category?.code ?? '', opd.code, keyword, 0.8);
    }
    for (const rule of rules) {
      const first = rule.phrase.split(' ')[0];
      const list = this.firstWord.get(first) ?? [];
      list.push(rule);
      this.firstWord.set(first, list);
    }
    const general = profile.categories.find((c) => c.defaultOpdCode === 'KELURAHAN') ?? profile.categories[0];
    this.generalCategory = { categoryCode: general.code, opdCode: general.defaultOpdCode };
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    return this.classifySync(input);
  }

  /** Every OPD with a keyword hit, best first. */
  score(text: string): KeywordScore[] {
    const haystack = haystackOf(text);
    const words = new Set(haystack.trim().split(' '));
    const byOpd = new Map<string, { score: number; hits: string[]; categories: Map<string, number> }>();
    const seen = new Set<Rule>();
    for (const word of words) {
      for (const rule of this.firstWord.get(word) ?? []) {
        if (seen.has(rule)) continue;
        seen.add(rule);
        if (rule.words > 1 && !haystack.includes(` ${rule.phrase} `)) continue;
        const entry = byOpd.get(rule.opdCode) ?? { score: 0, hits: [], categories: new Map<string, number>() };
        // The same phrase listed under the OPD and its category counts once, at the higher weight.
        if (entry.hits.includes(rule.phrase)) {
          if (rule.categoryCode) entry.categories.set(rule.categoryCode, (entry.categories.get(rule.categoryCode) ?? 0) + rule.weight);
          continue;
        }
        entry.score += rule.weight;
        entry.hits.push(rule.phrase);
        if (rule.categoryCode) entry.categories.set(rule.categoryCode, (entry.categories.get(rule.categoryCode) ?? 0) + rule.weight);
        byOpd.set(rule.opdCode, entry);
      }
    }
    return [...byOpd.entries()]
      .map(([opdCode, e]) => {
        const bestCategory = [...e.categories.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        return { opdCode, categoryCode: bestCategory ?? this.defaultCategoryOf.get(opdCode) ?? '', score: e.score, hits: e.hits };
      })
      .filter((s) => s.categoryCode !== '')
      .sort((a, b) => b.score - a.score);
  }

  /** The category of an OPD that best fits the text (for classifiers that only predict the OPD). */
  categoryFor(opdCode: string, text: string): string | undefined {
    return this.score(text).find((s) => s.opdCode === opdCode)?.categoryCode ?? this.defaultCategoryOf.get(opdCode);
  }

  /**
   * The complaint without the places it names: "dekat terminal hamid rusdi" must not vote for DISHUB, nor
   * "kel. bunulrejo" for the kelurahan office. A text that is nothing but a place is kept whole.
   */
  descriptionOnly(text: string): string {
    return withoutPlaces(this.profile, text);
  }

  classifySync(input: ClassifyInput): Classification {
    const started = performance.now();
    // The description decides; a street name in the address ("Jl. …") must not vote for the roads OPD. The place
    // only helps when the description names nothing at all (e.g. "antrean lama" at a puskesmas), and then the
    // confidence stays low so an admin decides.
    let ranked = this.score(this.descriptionOnly(input.text));
    // Nothing left but place names ("antrean lama di Puskesmas Janti" → "antrean lama"): the whole text decides.
    if (ranked.length === 0) ranked = this.score(input.text);
    const fromLocation = ranked.length === 0 && Boolean(input.location);
    if (fromLocation) ranked = this.score(input.location!);
    const reportKind = detectReportKind(input.text);
    if (ranked.length === 0) {
      return {
        reportKind,
        ...this.generalCategory,
        confidence: 0.15,
        reason: 'Tidak ada kata kunci yang cocok; diarahkan ke kelurahan setempat, perlu diperiksa admin.',
        classifier: this.name,
        latencyMs: performance.now() - started,
      };
    }
    const best = ranked[0];
    const second = ranked[1]?.score ?? 0;
    // Confidence grows with the lead over the runner-up and with the evidence itself; a single one-word hit
    // with a close rival stays under LOW_CONFIDENCE so an admin looks at it.
    const margin = (best.score - second) / best.score;
    const evidence = Math.min(1, best.score / 3);
    const confidence = Math.min(fromLocation ? LOW_CONFIDENCE - 0.1 : 0.92, 0.25 + 0.35 * margin + 0.35 * evidence);
    return {
      reportKind,
      categoryCode: best.categoryCode,
      opdCode: best.opdCode,
      confidence: Math.round(confidence * 100) / 100,
      reason: `Kata kunci: ${best.hits.slice(0, 4).join(', ')}`,
      classifier: this.name,
      latencyMs: performance.now() - started,
    };
  }
}
