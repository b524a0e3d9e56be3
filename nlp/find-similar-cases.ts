import { LRUCache } from 'lru-cache';
import { lightStem, tokenize } from './text.ts';
import { normalizedName } from '../lib/city-profile.ts';
import { DUPLICATE_RADIUS_METERS, DUPLICATE_WINDOW_DAYS } from '../lib/duplicate-rules.ts';

export { DUPLICATE_RADIUS_METERS, DUPLICATE_WINDOW_DAYS };
/**
 * TF-IDF cosine from which two descriptions in the same kelurahan count as one problem. Chosen on
 * test/fixtures/duplicate-pairs.ts (npm run eval:duplicates): between the similar rewordings (≥ 0.3) and the
 * same-street-other-problem pairs.
 */
export const TEXT_SIMILARITY_THRESHOLD = 0.3;
/**
 * Within the radius, the same category needs no shared words; the same OPD but another category ("lampu lalu
 * lintas mati" vs "parkir liar", both DISHUB, at one shop) needs clearly similar text, because reports from one
 * spot share their place words ("depan toko elektronik") whatever the problem.
 */
export const NEARBY_OTHER_CATEGORY_THRESHOLD = 0.5;

const DAY_MS = 86_400_000;

/**
 * Words that say nothing about which problem it is: function words, politeness, the people involved, time and
 * place fillers. Indonesian and a little Javanese and English, after tokenize()'s spelling fixes.
 */
const STOPWORDS = new Set(
  (
    'yang di ke dari dan atau ini itu ada adanya sudah belum tidak bukan dengan untuk pada karena saya kami kita kalian ' +
    'mohon tolong bapak ibu bu min admin kak mas mbak sangat sekali banget juga lagi masih sejak sampai hingga hari ' +
    'minggu bulan tahun pagi siang sore malam kemarin sekarang tadi sering selalu sudah segera cepat agar supaya bisa ' +
    'dapat akan mau harus perlu jadi seperti sama para oleh buat nya pun kok ya yg dong deh sih nih tuh lho kah ' +
    'rt rw kelurahan kecamatan kota warga rumah depan dekat sebelah samping belakang sekitar daerah wilayah lokasi ' +
    'terima kasih laporan lapor melaporkan keluhan diperbaiki perbaiki ditindaklanjuti tindak lanjut pemerintah ' +
    'dinas petugas pihak terkait mengganggu menggangu ganggu bikin membuat sehingga jadi tapi namun the a an of to in ' +
    'on at is are and or please near our my we there it for with has have been nang ning karo wes durung opo iki iku #num'
  ).split(/\s+/),
);

/** Informal and regional words for the same thing, mapped to one form so rewordings share terms. */
const SYNONYMS: Record<string, string> = {
  bolong: 'lubang',
  berlubang: 'lubang',
  lobang: 'lubang',
  lubangnya: 'lubang',
  pothole: 'lubang',
  potholes: 'lubang',
  mampet: 'sumbat',
  buntu: 'sumbat',
  tersumbat: 'sumbat',
  sumbatan: 'sumbat',
  clogged: 'sumbat',
  padam: 'mati',
  nyala: 'hidup',
  pju: 'lampu',
  penerangan: 'lampu',
  streetlight: 'lampu',
  genangan: 'banjir',
  tergenang: 'banjir',
  menggenang: 'banjir',
  flood: 'banjir',
  flooding: 'banjir',
  amblas: 'ambles',
  ambrol: 'ambles',
  roboh: 'tumbang',
  rubuh: 'tumbang',
  numpuk: 'tumpuk',
  menumpuk: 'tumpuk',
  bertumpuk: 'tumpuk',
  rubbish: 'sampah',
  garbage: 'sampah',
  trash: 'sampah',
  diangkut: 'angkut',
  mengangkut: 'angkut',
  pengangkutan: 'angkut',
  jukir: 'parkir',
  busuk: 'bau',
  bacin: 'bau',
  pdam: 'air',
  macet: 'macet',
  traffic: 'lalu',
  road: 'jalan',
  street: 'jalan',
  drain: 'saluran',
  rusak: 'rusak',
  broken: 'rusak',
};

/** "RW 3", "gang 5", "no. 12": the number tells two places apart, so it stays with its word ("rw3"). */
const ADDRESS_NUMBER = /\b(rt|rw|gang|gg|no|nomor|blok|kav|kavling)\.?\s*(\d+[a-z]?)\b/gi;

/** Content words of a description, spelling normalised, stopwords dropped, lightly stemmed. */
export function descriptionTerms(text: string): string[] {
  const out: string[] = [];
  // "bolong2" (reduplication, a plural) is the word once.
  const plain = text.replace(/([A-Za-z]{2,})2\b/g, '$1');
  for (const word of tokenize(plain.replace(ADDRESS_NUMBER, (_, w: string, n: string) => ` ${w.toLowerCase() === 'gg' ? 'gang' : w}${n} `))) {
    if (STOPWORDS.has(word) || word.length < 3) continue;
    const mapped = SYNONYMS[word] ?? SYNONYMS[lightStem(word)] ?? lightStem(word);
    if (!STOPWORDS.has(mapped)) out.push(mapped);
  }
  return out;
}

/** Inverse document frequency over a set of descriptions (smoothed as scikit-learn does, so no term gets 0). */
export function buildIdf(termLists: ReadonlyArray<readonly string[]>): Map<string, number> {
  const df = new Map<string, number>();
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = termLists.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log((1 + n) / (1 + d)) + 1);
  return idf;
}

function tfidfVector(terms: readonly string[], idf: ReadonlyMap<string, number>, unseenIdf: number): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v = new Map<string, number>();
  // Sub-linear tf: "sampah sampah sampah" is not three times as much about rubbish.
  for (const [t, n] of tf) v.set(t, (1 + Math.log(n)) * (idf.get(t) ?? unseenIdf));
  return v;
}

/** Cosine of two descriptions' TF-IDF vectors, 0..1. */
export function textSimilarity(a: string | readonly string[], b: string | readonly string[], idf?: ReadonlyMap<string, number>): number {
  const ta = typeof a === 'string' ? descriptionTerms(a) : a;
  const tb = typeof b === 'string' ? descriptionTerms(b) : b;
  if (ta.length === 0 || tb.length === 0) return 0;
  const weights = idf ?? buildIdf([ta, tb]);
  // A term the corpus never saw is as rare as the rarest: it is specific to these reports.
  const unseen = Math.max(1, ...weights.values());
  const va = tfidfVector(ta, weights, unseen);
  const vb = tfidfVector(tb, weights, unseen);
  let dot = 0;
  for (const [t, w] of va) dot += w * (vb.get(t) ?? 0);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  const denominator = norm(va) * norm(vb);
  return denominator === 0 ? 0 : Math.min(1, dot / denominator);
}

export interface LatLng {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Great-circle distance in metres. */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** What the duplicate rule looks at; the db rows (db/find-duplicate-candidates.ts) and a draft both fit. */
export interface DuplicateSubject {
  description: string;
  categoryCode?: string | null;
  opdCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  kelurahan?: string | null;
  /** For an open case: when it was filed. A draft's own date is `now`. */
  submittedAt?: Date;
}

export type DuplicateReason = 'nearby' | 'same_kelurahan_similar_text';

export interface DuplicateVerdict {
  duplicate: boolean;
  reason?: DuplicateReason;
  distanceMeters?: number;
  similarity: number;
}

export interface DuplicateOptions {
  now?: Date;
  /** IDF over the descriptions being compared (findSimilarCases builds it from the candidates). */
  idf?: ReadonlyMap<string, number>;
  textThreshold?: number;
  radiusMeters?: number;
  windowDays?: number;
}

function coordinates(s: DuplicateSubject): LatLng | undefined {
  return typeof s.latitude === 'number' && typeof s.longitude === 'number' ? { latitude: s.latitude, longitude: s.longitude } : undefined;
}

/**
 * Terms per description. Every summary step compares the draft with up to 200 open cases of its area, mostly the
 * same ones as the previous lookup, so their terms are kept rather than tokenized again on every lookup.
 */
/** Enough for a city's open cases in the hottest kelurahan many times over; the least recently used goes first. */
const TERM_CACHE_MAX = 5_000;
const termCache = new LRUCache<string, string[]>({ max: TERM_CACHE_MAX });
function termsOf(subject: DuplicateSubject): readonly string[] {
  let terms = termCache.get(subject.description);
  if (terms === undefined) {
    terms = descriptionTerms(subject.description);
    termCache.set(subject.description, terms);
  }
  return terms;
}

// Category, OPD and kelurahan names: a bounded set, normalised once.
const sameText = (a?: string | null, b?: string | null) => !!a && !!b && normalizedName(a) === normalizedName(b);

/**
 * Is the draft `candidate` probably the same problem as `openCase`? Same OPD or category, filed in the last 30 days,
 * and either within 150 m (same category, or same OPD with a few shared words), or, when one of them has no
 * coordinates, in the same kelurahan with similar text. When both have coordinates the distance decides: the same
 * words 600 m apart are another TPS, another pothole.
 */
export function isLikelyDuplicate(candidate: DuplicateSubject, openCase: DuplicateSubject, options: DuplicateOptions = {}): DuplicateVerdict {
  const now = options.now ?? candidate.submittedAt ?? new Date();
  const windowMs = (options.windowDays ?? DUPLICATE_WINDOW_DAYS) * DAY_MS;
  const sameCategory = sameText(candidate.categoryCode, openCase.categoryCode);
  const sameOpd = sameText(candidate.opdCode, openCase.opdCode);
  const recent = !openCase.submittedAt || now.getTime() - openCase.submittedAt.getTime() <= windowMs;
  if ((!sameCategory && !sameOpd) || !recent) return { duplicate: false, similarity: 0 };
  const similarity = textSimilarity(termsOf(candidate), termsOf(openCase), options.idf);
  const a = coordinates(candidate);
  const b = coordinates(openCase);
  if (a && b) {
    const distanceMeters = haversineMeters(a, b);
    const near = distanceMeters <= (options.radiusMeters ?? DUPLICATE_RADIUS_METERS);
    const duplicate = near && (sameCategory || similarity >= NEARBY_OTHER_CATEGORY_THRESHOLD);
    return { duplicate, reason: duplicate ? 'nearby' : undefined, distanceMeters, similarity };
  }
  const duplicate = sameText(candidate.kelurahan, openCase.kelurahan) && similarity >= (options.textThreshold ?? TEXT_SIMILARITY_THRESHOLD);
  return { duplicate, reason: duplicate ? 'same_kelurahan_similar_text' : undefined, similarity };
}

export interface SimilarCase<T extends DuplicateSubject> extends DuplicateVerdict {
  openCase: T;
}

/**
 * The open cases that are likely duplicates of the draft, best first (nearest, then most similar). IDF comes from
 * the candidates themselves plus the draft, so words common in this neighbourhood's reports weigh less.
 */
export function findSimilarCases<T extends DuplicateSubject>(
  candidate: DuplicateSubject,
  openCases: readonly T[],
  options: Omit<DuplicateOptions, 'idf'> & { limit?: number } = {},
): Array<SimilarCase<T>> {
  const idf = buildIdf([termsOf(candidate), ...openCases.map(termsOf)]);
  return openCases
    .map((openCase) => ({ openCase, ...isLikelyDuplicate(candidate, openCase, { ...options, idf }) }))
    .filter((v) => v.duplicate)
    .sort((x, y) => (x.distanceMeters ?? Infinity) - (y.distanceMeters ?? Infinity) || y.similarity - x.similarity)
    .slice(0, options.limit ?? 3);
}
