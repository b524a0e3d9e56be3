import { normalizeForMatch } from '../lib/city-profile.ts';

export type SearchQuery =
  | { kind: 'tracking'; trackingId: string }
  | { kind: 'words'; words: string[]; page: number };

export type SearchQueryResult = { ok: true; query: SearchQuery } | { ok: false; code: 'SEARCH_EMPTY' | 'SEARCH_PAGE_INVALID' | 'SEARCH_TOO_SHORT'; word?: string };

/** More words than this only make the search slower (every word must match); nobody types a paragraph. */
export const MAX_SEARCH_WORDS = 8;
/** Same cap as the inbox's, for the same reason (a typo must not ask for an offset far past the end). */
export const MAX_SEARCH_PAGE = 1000;

// Words that match nearly every case and would only slow the search.
const STOPWORDS = new Set(['di', 'ke', 'dari', 'dan', 'yang', 'yg', 'di', 'ada', 'ini', 'itu', 'untuk', 'utk', 'dengan', 'dgn', 'the', 'of', 'in']);

/**
 * Parses `/cari <tracking id | words> [hal N]`. A tracking id needs its LPR prefix or a '#' (a bare six-letter
 * word such as "SAMPAH" would otherwise read as an id); the id parser is passed in, since it lives with the
 * tracking ids. Words are normalised as the case text is matched (lower case, no punctuation); numbers stay
 * words ("rt 5"), a page only with "hal N".
 */
export function parseSearchQuery(args: string, parseTrackingId: (text: string) => string | null): SearchQueryResult {
  const text = args.trim();
  if (!text) return { ok: false, code: 'SEARCH_EMPTY' };
  const single = text.split(/\s+/);
  if (single.length === 1 && /^(#|lpr)/i.test(text)) {
    const trackingId = parseTrackingId(text);
    if (trackingId) return { ok: true, query: { kind: 'tracking', trackingId } };
  }
  let page = 1;
  const tokens = normalizeForMatch(text).split(' ').filter(Boolean);
  const pageAt = tokens.findIndex((t, i) => (t === 'hal' || t === 'halaman') && /^\d+$/.test(tokens[i + 1] ?? ''));
  if (pageAt >= 0) {
    page = Number(tokens[pageAt + 1]);
    if (!Number.isSafeInteger(page) || page < 1 || page > MAX_SEARCH_PAGE) return { ok: false, code: 'SEARCH_PAGE_INVALID', word: tokens[pageAt + 1] };
    tokens.splice(pageAt, 2);
  }
  const words = [...new Set(tokens.filter((t) => !STOPWORDS.has(t)))];
  if (words.length === 0) return { ok: false, code: tokens.length > 0 ? 'SEARCH_TOO_SHORT' : 'SEARCH_EMPTY' };
  return { ok: true, query: { kind: 'words', words: words.slice(0, MAX_SEARCH_WORDS), page } };
}
