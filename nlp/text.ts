import { normalizeForMatch } from '../lib/city-profile.ts';

/**
 * Informal Indonesian (and a little Javanese) spelling as citizens type it on a phone, mapped to the form the
 * city profile's keywords use. Only unambiguous abbreviations: "kel" is kelurahan in a complaint far more often
 * than anything else, "sd" is left alone (school or "sampai dengan").
 */
const ABBREVIATIONS: Record<string, string> = {
  jln: 'jalan',
  jl: 'jalan',
  jlan: 'jalan',
  gg: 'gang',
  yg: 'yang',
  utk: 'untuk',
  untk: 'untuk',
  tdk: 'tidak',
  tdak: 'tidak',
  gak: 'tidak',
  ga: 'tidak',
  nggak: 'tidak',
  ngga: 'tidak',
  enggak: 'tidak',
  gk: 'tidak',
  tak: 'tidak',
  blm: 'belum',
  sdh: 'sudah',
  udh: 'sudah',
  udah: 'sudah',
  dg: 'dengan',
  dgn: 'dengan',
  krn: 'karena',
  karna: 'karena',
  mhn: 'mohon',
  tlg: 'tolong',
  tolonglah: 'tolong',
  bgmn: 'bagaimana',
  gmn: 'bagaimana',
  gimana: 'bagaimana',
  kel: 'kelurahan',
  kelurhan: 'kelurahan',
  kec: 'kecamatan',
  kecamatn: 'kecamatan',
  pak: 'bapak',
  bpk: 'bapak',
  sy: 'saya',
  sya: 'saya',
  aku: 'saya',
  kami: 'saya',
  tsb: 'tersebut',
  dr: 'dari',
  dri: 'dari',
  bs: 'bisa',
  bsa: 'bisa',
  pdhl: 'padahal',
  skrg: 'sekarang',
  skrng: 'sekarang',
  sampe: 'sampai',
  smpe: 'sampai',
  lg: 'lagi',
  lgi: 'lagi',
  hrs: 'harus',
  byk: 'banyak',
  bnyk: 'banyak',
  ektp: 'ktp',
  ktpel: 'ktp',
  kk: 'kartu keluarga',
  pemkot: 'pemerintah kota',
  sampahnya: 'sampah',
  got: 'saluran',
  selokan: 'saluran',
  parit: 'saluran',
  lampunya: 'lampu',
  jalannya: 'jalan',
  airnya: 'air',
};

/**
 * Spellings seen in citizens' complaints (read from the training split) and common Javanese of Malang, for the
 * keyword classifier only: the trained model learns its own features from the words as written, and its figures
 * were measured on those.
 */
const INFORMAL: Record<string, string> = {
  lobang: 'lubang',
  berlobang: 'berlubang',
  penyebrangan: 'penyeberangan',
  nyebrang: 'menyeberang',
  ktpnya: 'ktp',
  banyu: 'air',
  banyune: 'air',
  udan: 'hujan',
  ujan: 'hujan',
  dino: 'hari',
  wis: 'sudah',
  wes: 'sudah',
  durung: 'belum',
  kabeh: 'semua',
  omah: 'rumah',
  nang: 'di',
  neng: 'di',
  gok: 'di',
  ndek: 'di',
  lek: 'kalau',
  nek: 'kalau',
  gorong2: 'gorong gorong',
};

/** Affix-stripped variants tried when a word is not in the keyword lists as written ("sampahnya" → "sampah"). */
const SUFFIXES = ['nya', 'kan', 'lah', 'an'] as const;

/**
 * Lower-case, accent-free words with abbreviations expanded and "-nya" dropped. Cheap enough to run per message
 * in the hot path (a few microseconds for a typical complaint).
 */
export function tokenize(text: string, options: { informal?: boolean } = {}): string[] {
  const normalized = normalizeForMatch(text.replace(/\[(NOMOR_ID|TELEPON|NIK|EMAIL|PHONE)[^\]]*\]/gi, ' '));
  if (normalized === '') return [];
  const out: string[] = [];
  const lookup = (w: string) => ABBREVIATIONS[w] ?? (options.informal ? INFORMAL[w] : undefined);
  for (const word of normalized.split(' ')) {
    const expanded = lookup(word);
    if (expanded !== undefined) {
      for (const w of expanded.split(' ')) out.push(w);
      continue;
    }
    // "bolong2", "pohon2": the 2 repeats the word, as in "bolong-bolong".
    const repeated = options.informal ? /^([a-z]{3,})2$/.exec(word) : null;
    if (repeated) {
      const w = stripNya(repeated[1]);
      out.push(lookup(w) ?? w, lookup(w) ?? w);
      continue;
    }
    if (/^\d+$/.test(word)) {
      out.push('#num');
      continue;
    }
    out.push(stripNya(word));
  }
  return out;
}

function stripNya(word: string): string {
  return word.length > 6 && word.endsWith('nya') ? word.slice(0, -3) : word;
}

/** Light Indonesian stemming for feature extraction: drops common suffixes and the di-/ter-/ber- prefixes. */
export function lightStem(word: string): string {
  let w = word;
  if (w.length > 6) {
    for (const s of SUFFIXES) {
      if (w.endsWith(s) && w.length - s.length >= 4) {
        w = w.slice(0, -s.length);
        break;
      }
    }
  }
  if (w.length > 6) {
    for (const p of ['di', 'ter', 'ber', 'me', 'pe']) {
      if (w.startsWith(p) && w.length - p.length >= 4) {
        w = w.slice(p.length);
        break;
      }
    }
  }
  return w;
}
