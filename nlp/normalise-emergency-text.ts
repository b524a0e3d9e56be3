import { LRUCache } from 'lru-cache';
import { normalizeForMatch } from '../lib/city-profile.ts';
import { PHRASES, SPELLINGS } from './emergency-spellings.ts';
import { findWordRoot } from './find-word-root.ts';

/**
 * Words seen while normalising, with what they became. Chat vocabulary is small, so this fills up with the
 * common words and stays there; the least recently used go at the cap, so a long-running process with odd input
 * (random strings, other languages) cannot grow it without bound.
 */
const ROOT_CACHE_MAX_ENTRIES = 20_000;

/**
 * English articles, copulas and "can" carry nothing the rules use: "the water is rising" reads as "air naik", and
 * "I can smell gas" is not a "bisa" (could) before the sign.
 */
const ENGLISH_FILLERS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'of', 'is', 'are', 'am', 'was', 'were', 'be', 'been', 'being', 'can']);

// Longest first, so "fell down the stairs" wins over "fell down". Keys are letters, digits and spaces only.
const PHRASE_PATTERN = new RegExp(
  `(?<= |^)(?:${Object.keys(PHRASES)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?= |$)`,
  'g',
);

/**
 * Builds the normaliser for a vocabulary: lower-case words, chat and Javanese spellings mapped to Indonesian
 * (SPELLINGS, PHRASES), affixed forms reduced to a word of the vocabulary or of SPELLINGS ("ketabrak" →
 * "tabrak", "omahe" → "omah" → "rumah"). Words it does not know stay as written.
 */
export function createEmergencyNormaliser(vocabulary: ReadonlySet<string>): (text: string) => string {
  const cache = new LRUCache<string, string>({ max: ROOT_CACHE_MAX_ENTRIES });
  // Spellings are accepted as roots only from 4 letters: short keys ("ing", "ga") would catch too many words.
  const isKnown = (w: string) => vocabulary.has(w) || (w.length >= 4 && Object.hasOwn(SPELLINGS, w));
  const normaliseWord = (word: string): string => {
    const cached = cache.get(word);
    if (cached !== undefined) return cached;
    let out: string;
    if (Object.hasOwn(SPELLINGS, word)) out = SPELLINGS[word];
    else if (/\d/.test(word) || word.length < 4) out = word;
    else {
      const root = findWordRoot(word, isKnown);
      out = root === undefined ? word : Object.hasOwn(SPELLINGS, root) ? SPELLINGS[root] : root;
    }
    cache.set(word, out);
    return out;
  };

  return (text: string): string => {
    const prepared = text
      // Masked personal data ([TELEPON], [NIK]…) is not a word of the message.
      .replace(/\[(?:NOMOR_ID|TELEPON|NIK|EMAIL|PHONE)[^\]]*\]/gi, ' ')
      // A hiss written out ("sssss", "sss sss") is how a leaking gas tube sounds.
      .replace(/\b[sS]{3,}\b/g, ' desis ')
      // "kejet2", "ngacung2in", "anak-anak": the 2 or the hyphen repeats the word.
      .replace(/([A-Za-z]{2,})2([a-z]*)/g, '$1 $1$2')
      .replace(/\b([A-Za-z]{2,})-\1/gi, '$1 $1')
      // "tolonggg", "cepettt": letters held down for emphasis.
      .replace(/([a-z])\1{2,}/gi, '$1');
    // A phrase's replacement is already canonical: joined by "_" so the word step leaves it alone.
    const words = normalizeForMatch(prepared).replace(PHRASE_PATTERN, (p) => PHRASES[p].replace(/ /g, '_'));
    if (words === '') return '';
    return words
      .split(' ')
      .filter((w) => !ENGLISH_FILLERS.has(w))
      .map((w) => (w.includes('_') ? w.replace(/_/g, ' ') : normaliseWord(w)))
      .join(' ');
  };
}
