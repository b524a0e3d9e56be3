/**
 * Light, dictionary-checked morphology for Indonesian and Javanese, so that a word listed once in a vocabulary
 * also matches its affixed forms: nabrak / ditabrak / ketabrak / menabrak / tabrakan → tabrak, nyerempet →
 * serempet, mukulin → pukul, dipancali → pancal, omahe → omah, getihen → getih.
 *
 * Written here rather than taken from npm: the maintained Indonesian stemmers (Sastrawi ports) know standard
 * Indonesian only, not Javanese nasal forms (nabrak, nyekel, ngantemi), Javanese suffixes (-e, -ne, -en) or chat
 * forms (-in); and they return a stem for every word, which would merge unrelated words. Here a candidate counts
 * only when the caller knows it, so an unknown word is left as written and the result stays predictable.
 */

/** Suffixes (krama -ipun is -nya), tried one at a time and then in pairs ("tabrakannya" = tabrak + an + nya). */
const SUFFIXES = ['ipun', 'nya', 'ne', 'e', 'ku', 'mu', 'kan', 'ke', 'an', 'en', 'in', 'i'] as const;

/**
 * Prefixes with the initial consonants their nasal forms replace: "n" + abrak → tabrak, "ny" + erempet →
 * serempet, "ng" + antem → antem or kantem, "m" + ukul → pukul. Plain ones just come off (di-, ke-, ter-, ber-).
 * "se-" is left on on purpose: "sedada" (chest-deep) is not "dada".
 */
const PREFIXES: ReadonlyArray<readonly [prefix: string, restores: readonly string[]]> = [
  ['dipun', ['']],
  ['memper', ['']],
  ['diper', ['']],
  ['meng', ['', 'k']],
  ['meny', ['s', 'c']],
  ['mem', ['', 'p']],
  ['men', ['', 't']],
  ['me', ['']],
  ['peng', ['', 'k']],
  ['peny', ['s', 'c']],
  ['pem', ['', 'p']],
  ['pen', ['', 't']],
  ['per', ['']],
  ['pe', ['']],
  ['ber', ['']],
  ['ter', ['']],
  ['ke', ['']],
  ['ka', ['']],
  ['di', ['']],
  ['ng', ['', 'k']],
  ['ny', ['s', 'c']],
  ['m', ['', 'p']],
  ['n', ['', 't']],
];

/** Nasal prefixes that, before a vowel, always stand for a replaced consonant (never for a vowel-initial root). */
const NASAL_REPLACES: ReadonlySet<string> = new Set(['mem', 'men', 'pem', 'pen', 'm', 'n']);

/** A root shorter than this is too likely to be a coincidence ("ingin" is not "ing"). */
const MIN_ROOT_LENGTH = 3;

/** Possessive suffixes: only these may leave a three-letter root ("apine" → api, but "bahkan" is not "bah"). */
const POSSESSIVE: ReadonlySet<string> = new Set(['ipun', 'nya', 'ne', 'e', 'ku', 'mu']);

function withoutSuffixes(word: string): string[] {
  const out = [word];
  const fits = (root: string, suffix: string) => root.length > MIN_ROOT_LENGTH || (root.length === MIN_ROOT_LENGTH && POSSESSIVE.has(suffix));
  for (const s of SUFFIXES) {
    if (!word.endsWith(s)) continue;
    const once = word.slice(0, -s.length);
    if (!fits(once, s)) continue;
    out.push(once);
    for (const t of SUFFIXES) {
      if (once.endsWith(t) && fits(once.slice(0, -t.length), t)) out.push(once.slice(0, -t.length));
    }
  }
  return out;
}

function withoutPrefixes(word: string): string[] {
  const out: string[] = [];
  for (const [prefix, restores] of PREFIXES) {
    if (!word.startsWith(prefix)) continue;
    const rest = word.slice(prefix.length);
    // A nasal that replaced a consonant is followed by a vowel (nabrak); one before a consonant just comes off (mbledos).
    const vowelNext = /^[aiueo]/.test(rest);
    for (const r of restores) {
      if (r !== '' && !vowelNext) continue;
      // "m" and "n" before a vowel always replaced a consonant: "makan" is not m + "akan".
      if (r === '' && vowelNext && NASAL_REPLACES.has(prefix)) continue;
      const candidate = r + rest;
      if (candidate.length >= MIN_ROOT_LENGTH) out.push(candidate);
    }
  }
  return out;
}

/**
 * The first form of `word` that `isKnown` accepts: the word itself, then without suffixes, then without a prefix
 * (with the consonant a nasal replaced put back), then both. Undefined when none is known.
 */
export function findWordRoot(word: string, isKnown: (candidate: string) => boolean): string | undefined {
  if (isKnown(word)) return word;
  const stems = withoutSuffixes(word);
  for (const stem of stems.slice(1)) if (isKnown(stem)) return stem;
  for (const stem of stems) {
    // Without a prefix, a three-letter root is too often a coincidence ("perapian" is not "api").
    for (const root of withoutPrefixes(stem)) if (root.length > MIN_ROOT_LENGTH && isKnown(root)) return root;
  }
  return undefined;
}
