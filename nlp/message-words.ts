import { normalizeForMatch } from '../lib/city-profile.ts';

/**
 * The plain words of a chat message, the way every understanding function compares them: lower case, no
 * accents or punctuation, letters typed three or more times in a row squeezed ("iyaaa" → "iya", "makasihhh" →
 * "makasih"), and "2" used as a repeat mark expanded ("bolong2" → "bolong bolong"). Emoji are dropped here;
 * the few that carry meaning (⭐, 👍) are read by their own functions before this.
 */
export function plainWords(text: string): string {
  const squeezed = text
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/\b([a-z]{3,})2\b/g, '$1 $1');
  return normalizeForMatch(squeezed);
}

/**
 * Polite words and particles that wrap a short answer without changing it: "anonim aja min", "iya kak",
 * "lewati dulu ya pak". Dropped only around an answer, never from a description.
 */
const FILLERS = new Set([
  'min', 'mimin', 'admin', 'kak', 'ka', 'kakak', 'pak', 'bapak', 'bu', 'ibu', 'mas', 'mbak', 'mba', 'cak', 'ning', 'bro', 'sis',
  'gan', 'om', 'dong', 'deh', 'sih', 'aja', 'saja', 'ae', 'wae', 'nih', 'tuh', 'kok', 'lho', 'loh', 'lo', 'ah', 'eh', 'oh', 'yah',
  'please', 'pls', 'plz', 'sir', 'maam', 'dulu', 'rek', 'toh', 'lah', 'mawon',
]);

/** The answer's words without polite fillers around it ("anonim aja min" → "anonim"); never empties a filler-only text. */
export function coreWords(text: string): string {
  const words = plainWords(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !FILLERS.has(w));
  return (kept.length > 0 ? kept : words).join(' ');
}

/** Letters typed twice collapsed ("iyaa" → "iya", "okee" → "oke", "gakk" → "gak"): a second try for short answers. */
export function undoubled(plain: string): string {
  return plain.replace(/([a-z])\1+/g, '$1');
}

/** Whether the text consists only of polite fillers ("min", "kak", "dong min"). */
export function isOnlyFiller(text: string): boolean {
  const words = plainWords(text).split(' ').filter(Boolean);
  return words.length > 0 && words.every((w) => FILLERS.has(w));
}

/** Whether one of the phrases (already plain words) occurs in the plain text on word boundaries. */
export function hasPhrase(plain: string, phrases: readonly string[]): boolean {
  const haystack = ` ${plain} `;
  return phrases.some((p) => haystack.includes(` ${p} `));
}

/** Whether the whole plain text is one of the phrases. */
export function isPhrase(plain: string, phrases: readonly string[]): boolean {
  return phrases.includes(plain);
}

/** Number of words in a plain text. */
export function wordCount(plain: string): number {
  return plain === '' ? 0 : plain.split(' ').length;
}
