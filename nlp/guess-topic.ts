import type { CityProfile } from '../lib/city-profile.ts';
import { KeywordClassifier } from './keyword-classifier.ts';

const classifiers = new WeakMap<CityProfile, KeywordClassifier>();

function keywordClassifier(profile: CityProfile): KeywordClassifier {
  let c = classifiers.get(profile);
  if (!c) {
    c = new KeywordClassifier(profile);
    classifiers.set(profile, c);
  }
  return c;
}

/** The evidence a single keyword phrase gives; below it ("air" alone) the topic is not named back. */
const MIN_TOPIC_SCORE = 1;

/**
 * The topic of a complaint in a few words of the citizen's language ("jalan rusak", "rubbish"), from the city
 * profile's keywords, to acknowledge it ("Baik, soal jalan rusak ya."). Undefined when the words say too little;
 * the real classification runs later and may differ.
 */
export function guessTopic(profile: CityProfile, text: string, lang: 'id' | 'en'): string | undefined {
  const classifier = keywordClassifier(profile);
  const best = classifier.score(classifier.descriptionOnly(text))[0];
  if (!best || best.score < MIN_TOPIC_SCORE) return undefined;
  const category = profile.categories.find((c) => c.code === best.categoryCode);
  return category?.topic?.[lang];
}

/** Whether the text names any topic the city's keywords know (a short complaint such as "sampah numpuk"). */
export function hasTopic(profile: CityProfile, text: string): boolean {
  const classifier = keywordClassifier(profile);
  return classifier.score(classifier.descriptionOnly(text)).length > 0;
}
