import { recognizeArea, type CityProfile } from '../lib/city-profile.ts';
import { isOnlyFiller, plainWords } from './message-words.ts';

/** What a text names of the city: a service point, a landmark, a kelurahan or kecamatan, or a place outside. */
export interface PlaceMatch {
  /** A service point of the profile (puskesmas, pasar…): the case can go to its unit. */
  placeCode?: string;
  /** The canonical name of the landmark or service point named ("Politeknik Negeri Malang"). */
  landmark?: string;
  kelurahan?: string;
  kecamatan?: string;
  /** A place outside the city ("Surabaya", "Kec. Dau, Kabupaten Malang"): the bot asks before going on. */
  outside?: string;
  latitude?: number;
  longitude?: number;
}

export type PlaceAnswer =
  | ({ kind: 'place'; text: string; specific: boolean } & PlaceMatch)
  /** More of the complaint ("udah lama bgt"): added to the description, and the location is asked again. */
  | { kind: 'continuation' }
  /** Nothing a place can be read from ("min", "?", "ok"). */
  | { kind: 'filler' }
  | { kind: 'unclear' };

// Abbreviations citizens use in addresses, expanded before matching.
const PLACE_ABBREVIATIONS: Record<string, string> = {
  jl: 'jalan', jln: 'jalan', gg: 'gang', dkt: 'dekat', deket: 'dekat', dket: 'dekat', dpn: 'depan', dpan: 'depan',
  sblh: 'sebelah', sbelah: 'sebelah', smpg: 'samping', sbrg: 'seberang', sebrang: 'seberang', blkg: 'belakang', blakang: 'belakang',
  perum: 'perumahan', kel: 'kelurahan', kec: 'kecamatan', pkm: 'puskesmas', psr: 'pasar', msjd: 'masjid', mesjid: 'masjid',
  kmp: 'kampung', kp: 'kampung', komp: 'kompleks', komplek: 'kompleks', cedhak: 'dekat', cedak: 'dekat', parek: 'dekat', ngarep: 'depan',
  mburi: 'belakang', sandinge: 'samping', nang: 'di', ning: 'di', neng: 'di', nde: 'di', ndek: 'di', nok: 'di', gok: 'di',
};

function placeWords(text: string): string {
  return plainWords(text)
    .split(' ')
    .map((w) => PLACE_ABBREVIATIONS[w] ?? w)
    .join(' ');
}

/** Words after "jalan" that make it the complaint's subject ("jalan rusak"), not a street's name. */
const NOT_A_STREET_NAME = new Set([
  'rusak', 'berlubang', 'bolong', 'lubang', 'ambles', 'amblas', 'retak', 'bergelombang', 'licin', 'gelap', 'sempit', 'becek', 'banjir',
  'macet', 'tergenang', 'raya', 'menuju', 'ke', 'di', 'yang', 'yg', 'ini', 'itu', 'nya', 'kampung', 'depan', 'dekat', 'utama', 'umum',
  'kaki', 'jalan', 'kecil', 'besar', 'tikus', 'pintas', 'masuk', 'keluar', 'menuju', 'penuh', 'kotor', 'dan', 'tidak', 'gak', 'sudah',
  'udah', 'mau', 'sering', 'sangat', 'banyak', 'rawan', 'tertutup', 'ditutup', 'diperbaiki', 'rusaknya', 'e', 'ne', 'sing', 'kok',
  'saya', 'kami', 'aku', 'kita', 'sy', 'kamu', 'rumah', 'sini', 'situ', 'sana', 'sebelah', 'samping', 'belakang', 'tersebut', 'itu',
  'warga', 'kampung', 'kecil', 'buntu', 'my', 'our', 'the', 'this', 'that', 'rt', 'rw', 'no', 'nomor', 'arah', 'menuju',
]);
const STREET = /\b(?:jalan|gang|perumahan|griya|kompleks|blok|dusun|dsn|kampung|kav|kavling|ruko|perempatan|pertigaan|prapatan|perapatan|bundaran|simpang|tikungan|lampu merah|flyover|underpass|street|road|avenue|lane|alley)\b/;
const NUMBERED = /\b(?:no|nomor|nmr|number|blok|kav)\s*\d+[a-z]?\b|\b(?:rt|rw)\s*\d{1,3}\b|\brt\s*rw\b/;
const RELATION = /\b(?:depan|dekat|samping|sebelah|seberang|belakang|pojok|ujung|sekitar|area|kawasan|daerah|wilayah|arah|utara|selatan|barat|timur|lor|kidul|kulon|wetan|near|behind|opposite|beside|next to|in front of|across from|around)\s+\w+/;
const BUILDING = /\b(?:masjid|musholla|mushola|musala|langgar|gereja|pura|vihara|klenteng|sekolah|sd|sdn|smp|smpn|sma|sman|smk|smkn|mi|mts|tk|paud|kampus|universitas|univ|politeknik|poltek|pasar|terminal|stasiun|puskesmas|rumah sakit|rs|rsud|rsu|klinik|kantor|balai|alun alun|taman|toko|indomaret|alfamart|alfamidi|mall|mal|plaza|hotel|lapangan|stadion|makam|kuburan|tpu|apartemen|kos|kost|kosan|warung|bank|atm|spbu|pom bensin|polsek|polres|koramil|gor|perpustakaan|museum|bandara|halte|jembatan|sungai|bendungan|waduk|pabrik|gudang|pos ronda|posyandu|pertokoan|cafe|kafe|resto|restoran|rumah makan|depot|bengkel|apotek|kelurahan|kecamatan|perumahan|gedung|school|market|hospital|mosque|church|station|bridge|park|river|campus|office|university)\b/;
/** Words that tell more of the complaint, not where it is. */
const COMPLAINT_WORDS = new Set([
  'lama', 'bgt', 'banget', 'sekali', 'parah', 'bahaya', 'berbahaya', 'rusak', 'bolong', 'berlubang', 'lubang', 'bocor', 'mati', 'banjir',
  'bau', 'mambu', 'macet', 'numpuk', 'menumpuk', 'berserakan', 'kotor', 'gelap', 'peteng', 'sudah', 'udah', 'sdh', 'wis', 'wes', 'sejak',
  'kemarin', 'kemaren', 'minggu', 'bulan', 'hari', 'tahun', 'jam', 'tolong', 'mohon', 'segera', 'cepat', 'diperbaiki', 'ditangani',
  'dibersihkan', 'diangkut', 'tidak', 'gak', 'ga', 'nggak', 'ndak', 'belum', 'masih', 'sering', 'setiap', 'tiap', 'hujan', 'jatuh',
  'kecelakaan', 'terganggu', 'mengganggu', 'resah', 'kasihan', 'fix', 'since', 'broken', 'still', 'days', 'weeks', 'months', 'long',
  'dangerous', 'please', 'padahal', 'soalnya', 'karena', 'krn', 'akibat', 'gara', 'bikin', 'membuat', 'susah', 'sulit', 'pernah',
  'sampai', 'sampe', 'lagi', 'terus', 'trus', 'makin', 'tambah', 'semakin', 'dino', 'suwe', 'ambles', 'ambrol', 'tumbang', 'roboh',
  'mampet', 'buntu', 'meluap', 'tergenang', 'genangan', 'sampah', 'uwuh', 'limbah', 'asap', 'berisik', 'bising', 'liar', 'pungli',
  'minta', 'dibantu', 'pelayanan', 'lambat', 'antri', 'antre', 'antrean', 'antrian', 'jelek', 'kecewa', 'marah', 'rugi', 'biaya',
]);

/** Chat words that are never a place ("hah?", "maksudnya gimana", "bentar"). */
const CHAT_WORDS = new Set([
  'apa', 'what', 'hah', 'hmm', 'hm', 'maksudnya', 'maksud', 'gimana', 'bagaimana', 'kenapa', 'kok', 'lho', 'loh', 'siapa', 'mana',
  'where', 'why', 'how', 'huh', 'eh', 'wah', 'wkwk', 'wkwkwk', 'haha', 'hehe', 'oke', 'ok', 'sip', 'ya', 'iya', 'nanti', 'sebentar',
  'bentar', 'tunggu', 'wait', 'sorry', 'maaf', 'test', 'tes', 'halo', 'hai', 'lokasi', 'lokasinya', 'alamat', 'alamatnya', 'ini',
  'itu', 'yang', 'mana', 'sek', 'dulu', 'ulang', 'lagi', 'again', 'repeat', 'pardon', 'sorry', 'opo', 'piye', 'he', 'lah',
]);
/** "Tidak tahu alamatnya", "lupa": the citizen cannot say; the question is asked again with its hint. */
const DONT_KNOW = /\b(?:tidak|gak|ga|nggak|ndak|kurang|ora)\s+(?:tahu|tau|ngerti|paham|hafal|apal)\b|\blupa\b|\bdon'?t\s+know\b|\bnot\s+sure\b/i;

interface Needle {
  needle: string;
  /** Short aliases ("UB", "UM", "MOG") count only in capitals or as the whole answer. */
  short: boolean;
  raw: string;
  match: PlaceMatch;
}

const indexes = new WeakMap<CityProfile, Needle[]>();

function needlesOf(profile: CityProfile): Needle[] {
  const cached = indexes.get(profile);
  if (cached) return cached;
  const needles: Needle[] = [];
  const add = (raw: string, match: PlaceMatch) => {
    const needle = placeWords(raw);
    if (needle === '') return;
    needles.push({ needle, short: needle.replace(/ /g, '').length <= 3, raw, match });
  };
  for (const place of profile.places) {
    const match: PlaceMatch = { placeCode: place.code, landmark: place.name, kelurahan: place.kelurahan, kecamatan: place.kecamatan };
    for (const name of [place.name, ...place.aliases]) add(name, match);
  }
  for (const landmark of profile.landmarks) {
    const match: PlaceMatch = landmark.outside
      ? { landmark: landmark.name, outside: `${landmark.name} (${landmark.outside})` }
      : { landmark: landmark.name, kelurahan: landmark.kelurahan, kecamatan: landmark.kecamatan };
    for (const name of [landmark.name, ...landmark.aliases]) add(name, match);
  }
  for (const other of profile.elsewhere) {
    for (const name of [other.name, ...other.aliases]) add(name, { outside: other.name });
  }
  // Longest first: "Puskesmas Janti" before "Janti", "Stasiun Kotalama" before "Kotalama".
  needles.sort((a, b) => b.needle.length - a.needle.length);
  indexes.set(profile, needles);
  return needles;
}

/** A service point, landmark or place outside the city named in the text (the longest name wins). */
export function matchNamedPlace(profile: CityProfile, text: string): (PlaceMatch & { name: string }) | undefined {
  const plain = placeWords(text);
  const haystack = ` ${plain} `;
  for (const n of needlesOf(profile)) {
    if (!haystack.includes(` ${n.needle} `)) continue;
    // Malang's streets are named after other cities (Jl. Bandung, Jl. Surabaya): after a street word it is a street.
    if (n.match.outside && !n.match.landmark && new RegExp(`\\b(?:jalan|gang|perumahan|kompleks|raya) ${escapeRegExp(n.needle)}\\b`).test(plain)) continue;
    if (n.short && plain !== n.needle && !new RegExp(`(^|[^A-Za-z])${escapeRegExp(n.raw)}($|[^A-Za-z])`).test(text)) continue;
    return { ...n.match, name: n.raw };
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "-7.9467, 112.6155" or a maps link with the coordinates in it. */
export function readCoordinates(text: string): { latitude: number; longitude: number } | undefined {
  const m =
    /(?:@|q=|ll=|query=|loc:)?(-?\d{1,2}\.\d{2,})\s*[,;]\s*(-?\d{1,3}\.\d{2,})/.exec(text) ??
    /(-?\d{1,2}\.\d{3,})\s+(-?\d{2,3}\.\d{3,})/.exec(text);
  if (!m) return undefined;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude };
}

/** Whether the words name a street ("jalan Sumbersari", "jl. ijen"), not a road's condition ("jalan rusak"). */
function namesStreet(plain: string): boolean {
  const m = /\b(?:jalan|gang)\s+(\w+)/.exec(plain);
  if (m && !NOT_A_STREET_NAME.has(m[1])) return true;
  return /\b(?:perumahan|griya|kompleks|dusun|kampung|blok|kav|kavling|ruko|bundaran|perempatan|pertigaan|simpang)\s+\w+/.test(plain) || /\b\w+\s+(?:street|road|avenue|lane)\b/.test(plain);
}

/** A building named with its name ("SDN Sumbersari 2", "masjid al ikhlas", "pasar blimbing"), not "rumah saya". */
function namesBuilding(plain: string): boolean {
  const m = new RegExp(`${BUILDING.source}\\s+(\\w+)`).exec(plain);
  return Boolean(m && !['saya', 'kami', 'aku', 'sy', 'warga', 'ini', 'itu', 'yang', 'yg', 'my', 'our', 'the', 'tersebut', 'nya'].includes(m[1]));
}

export interface PlaceSignals extends PlaceMatch {
  /** Something a person could find: a named street, landmark, area, numbered RT/RW or a named building. */
  specific: boolean;
  /** Anything place-like at all, even vague ("depan rumah"). */
  any: boolean;
}

/** Everything in the text that tells where: names from the profile, streets, RT/RW, landmarks' relations. */
export function placeSignals(profile: CityProfile, text: string): PlaceSignals {
  const plain = placeWords(text);
  const named = matchNamedPlace(profile, text);
  const area = recognizeArea(profile, text);
  const coordinates = readCoordinates(text);
  const street = namesStreet(plain);
  const numbered = NUMBERED.test(plain);
  const building = namesBuilding(plain);
  const relation = RELATION.test(plain);
  const generic = (STREET.test(plain) && !/^jalan\b/.test(plain)) || BUILDING.test(plain);
  const specific = Boolean(named || area.kelurahan || area.kecamatan || coordinates || street || numbered || building);
  return {
    placeCode: named?.placeCode,
    landmark: named?.landmark,
    outside: named?.outside,
    kelurahan: named?.kelurahan ?? area.kelurahan,
    kecamatan: named?.kecamatan ?? area.kecamatan,
    latitude: coordinates?.latitude,
    longitude: coordinates?.longitude,
    specific,
    any: specific || relation || generic || /\b(?:rumah|rmh|omah)\b/.test(plain),
  };
}

function complaintWordCount(plain: string): number {
  return plain.split(' ').filter((w) => COMPLAINT_WORDS.has(w)).length;
}

/**
 * Reads an answer to "Di mana lokasinya?": a place (with what the profile knows of it), more of the complaint
 * ("udah lama bgt"), or filler ("min"). Step words (kembali, lewati, batal) and greetings are the caller's.
 */
export function readPlaceAnswer(profile: CityProfile, text: string): PlaceAnswer {
  const trimmed = text.trim();
  const plain = placeWords(trimmed);
  if (plain === '' || isOnlyFiller(trimmed) || !/\p{L}|\d/u.test(trimmed)) return { kind: 'filler' };
  const words = plain.split(' ');
  if (words.every((w) => CHAT_WORDS.has(w) || isOnlyFiller(w))) return { kind: 'filler' };
  const signals = placeSignals(profile, trimmed);
  if (!signals.specific && DONT_KNOW.test(trimmed)) return { kind: 'filler' };
  const complaintWords = complaintWordCount(plain);
  const { any, specific, ...match } = signals;
  if (specific) return { kind: 'place', text: trimmed, specific: true, ...stripUndefined(match) };
  // A vague place ("depan rumah") is still a place, unless most of the words are the complaint going on.
  if (any && complaintWords * 2 < words.length) return { kind: 'place', text: trimmed, specific: false, ...stripUndefined(match) };
  if (complaintWords > 0) return { kind: 'continuation' };
  if (!/\p{L}/u.test(trimmed) || plain.replace(/ /g, '').length < 3) return { kind: 'unclear' };
  // A bare name ("Soekarno Hatta", "Sawojajar gang 3" is caught above): short, no complaint words. Taken as the
  // place; the admin sees exactly what was typed.
  if (words.length <= 6) return { kind: 'place', text: trimmed, specific: false, ...stripUndefined(match) };
  return { kind: 'unclear' };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// Where a place phrase starts in a complaint, and where it stops.
const PHRASE_START = String.raw`(?:\b(?:di|nang|ning|neng|ndek|at|in|on)\s+)?(?:\b(?:depan|dpn|dekat|dkt|deket|samping|smpg|sebelah|sblh|seberang|sbrg|belakang|blkg|pojok|ujung|sekitar|area|kawasan|daerah|wilayah|cedak|cedhak|ngarep|mburi|near|behind|opposite|beside|next\s+to|in\s+front\s+of|across\s+from|around)\s+|\b(?:di|nang|ning|neng|ndek|at|in|on)\s+(?=(?:jl|jln|jalan|gg|gang|perum|perumahan|kel|kelurahan|kec|kecamatan|rt|rw|kampung|desa|dusun|komplek|kompleks|griya|blok|puskesmas|pkm|pasar|terminal|stasiun|sekolah|sd|sdn|smp|smpn|sma|sman|smk|masjid|kantor|rs|rsud|taman|alun|lapangan|stadion|perumahan)\b))`;
const PHRASE_STOP =
  /[,.;!?\n]|\s(?:sudah|udah|sdh|wis|wes|sejak|semenjak|selama|mohon|tolong|tlg|yang|yg|sing|dan|tapi|tp|karena|krn|soalnya|sehingga|jadi|sampai|sampe|bikin|membuat|setiap|tiap|kalau|kalo|lek|nek|min|kak|pak|bu|which|that|since|for|and|but|because|please|is|are|has|have|was|been|it|its|tidak|gak|ga|nggak|ndak|belum|masih|sering|kok|lho|banyak|ada|mau|bisa)\b/i;

export interface FoundPlace extends PlaceMatch {
  /** The place as the citizen wrote it ("dekat terminal hamid rusdi"). */
  text: string;
}

/**
 * A specific place named inside a complaint: "dalan e bolong-bolong dekat terminal hamid rusdi" → "dekat terminal
 * hamid rusdi" (Wonokoyo, Kedungkandang). Vague places ("depan rumah saya") are left for the location question.
 */
export function findPlaceInText(profile: CityProfile, text: string): FoundPlace | undefined {
  const candidates: string[] = [];
  // Periods of abbreviations ("kel.", "jl.", "no.") do not end a phrase; the copy keeps every index in place.
  const masked = text.replace(/\b(?:jl|jln|kel|kec|gg|no|rt|rw|perum|kp|dsn|ds|komp|kav|blk|pkm|rs|sd|sdn)\./gi, (m) => `${m.slice(0, -1)} `);
  const phraseAt = (index: number) => text.slice(index, index + cut(masked.slice(index)).length);
  const starts = new RegExp(PHRASE_START, 'gi');
  for (const m of masked.matchAll(starts)) candidates.push(phraseAt(m.index));
  // "Jl. Sumbersari", "kel. bunulrejo", "RT 03 RW 05" anywhere, with or without a leading "di".
  const inline = /\b(?:jl|jln|jalan|gg|gang|perum|perumahan|kel|kelurahan|kec|kecamatan|rt|rw|kampung|dusun|komplek|kompleks|griya|perempatan|pertigaan|bundaran|simpang)\b\.?\s*\S/gi;
  for (const m of masked.matchAll(inline)) {
    const phrase = phraseAt(m.index);
    // "lampu jalan mati …" is not a street: an inline "jalan"/"gang" must be followed by the street's name.
    const street = /^(?:jalan|gang)\s+(\w+)/.exec(placeWords(phrase));
    if (street && (NOT_A_STREET_NAME.has(street[1]) || COMPLAINT_WORDS.has(street[1]))) continue;
    candidates.push(phrase);
  }
  const named = matchNamedPlace(profile, text);
  if (named) {
    // The name as the citizen wrote it, with the word before it when that says where ("dekat", "depan").
    const pattern = placeWords(named.name).split(' ').map(escapeRegExp).join('[\\s\\W]*');
    const found = new RegExp(`(?:\\b(?:depan|dpn|dekat|dkt|deket|samping|sebelah|seberang|belakang|sekitar|near|behind)\\s+)?${pattern}`, 'i').exec(text);
    candidates.push(found ? found[0] : named.name);
  }
  let best: FoundPlace | undefined;
  for (const candidate of candidates) {
    const phrase = trimComplaintWords(candidate.trim().replace(/^(?:di|nang|ning|neng|ndek|at|on|in(?!\s+front))\s+/i, ''));
    if (phrase.length < 3) continue;
    const signals = placeSignals(profile, phrase);
    if (!signals.specific) continue;
    // Inside a complaint a street or building needs a name that looks like one ("Jl. ijen", "gang 3", "SDN
    // Sumbersari 2"): "di pinggir jalan miring" is the complaint, not an address.
    const known = signals.placeCode || signals.landmark || signals.kelurahan || signals.kecamatan || signals.outside || signals.latitude !== undefined;
    if (!known && !NUMBERED.test(placeWords(phrase)) && !looksNamed(phrase)) continue;
    const { any: _any, specific: _specific, ...match } = signals;
    const found: FoundPlace = { text: phrase, ...stripUndefined(match) };
    // The longest specific phrase tells the most ("Jl. Sumbersari depan SDN 2" over "SDN 2").
    if (!best || phrase.length > best.text.length) best = found;
  }
  return best;
}

/** An abbreviation ("Jl.", "gg") or a capitalised word or a number after the first word: a proper name. */
function looksNamed(phrase: string): boolean {
  if (/\b(?:jl|jln|gg)\b\.?\s*\S/i.test(phrase)) return true;
  return /\s(?:[A-Z][\w'-]*|\d+\w*)/.test(phrase);
}

/**
 * "puskesmas janti lama banget" → "puskesmas janti", "jl. danau toba sawojajar mati 3 hari" → "jl. danau toba
 * sawojajar": the place ends where the complaint's words start again.
 */
function trimComplaintWords(phrase: string): string {
  const words = phrase.split(/\s+/);
  const stop = words.findIndex((w, i) => i > 0 && COMPLAINT_WORDS.has(placeWords(w)));
  if (stop > 0) words.length = stop;
  return words.join(' ').replace(/[\s,;:]+$/, '');
}

function cut(s: string): string {
  // Skip the first word so a stop word cannot end the phrase at its own start ("di" + "jalan …").
  const firstSpace = s.search(/\s/);
  if (firstSpace < 0) return s;
  const rest = s.slice(firstSpace);
  const stop = PHRASE_STOP.exec(rest.slice(1));
  return stop ? s.slice(0, firstSpace + 1 + stop.index) : s;
}

/**
 * The complaint without the names of places, for classification: "dalan e bolong-bolong dekat terminal hamid
 * rusdi" → "dalan e bolong-bolong", "… kel. bunulrejo" → "…". Deliberately narrower than findPlaceInText: only
 * the names the city profile knows (landmarks, service points, kelurahan, kecamatan) go, so no word of the
 * complaint itself is lost. "RT"/"RW" and "Jl." stay: they say something about the complaint (a matter for the
 * RT, a road), which the keyword scores were tuned with.
 */
export function withoutPlaces(profile: CityProfile, text: string): string {
  const plain = placeWords(text);
  const haystack = ` ${plain} `;
  const { byFirstWord } = nameVariants(profile);
  let out = text;
  // Only names whose first word occurs in the text are tried: most complaints name no place at all.
  const tried = new Set<string>();
  for (const word of plain.split(' ')) {
    if (tried.has(word)) continue;
    tried.add(word);
    for (const { padded, pattern } of byFirstWord.get(word) ?? []) {
      if (haystack.includes(padded)) out = out.replace(pattern, ' ');
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

interface NameVariant {
  padded: string;
  pattern: RegExp;
}
const variantCache = new WeakMap<CityProfile, { byFirstWord: Map<string, NameVariant[]> }>();

/**
 * Every name of a landmark, kelurahan and kecamatan as a pattern, longest first. Service points stay: "ke
 * dispendukcapil" or "antre di puskesmas" names the service the complaint is about.
 */
function nameVariants(profile: CityProfile): { byFirstWord: Map<string, NameVariant[]> } {
  const cached = variantCache.get(profile);
  if (cached) return cached;
  const names = new Set<string>();
  for (const n of needlesOf(profile)) if (!n.match.outside && !n.match.placeCode && !n.short) names.add(n.needle);
  for (const kec of profile.kecamatan) {
    for (const name of [kec.name, ...kec.aliases]) names.add(placeWords(name));
    for (const kel of kec.kelurahan) for (const name of [kel.name, ...kel.aliases]) names.add(placeWords(name));
  }
  const relation = String.raw`(?:(?:di|nang|ning|neng|ndek|at|in|on)\s+)?(?:(?:depan|dpn|dekat|dkt|deket|samping|sebelah|seberang|belakang|sekitar|near|behind|opposite)\s+)?`;
  const patterns = [...names]
    .filter((n) => n.length >= 4)
    .sort((a, b) => b.length - a.length)
    .map((needle) => {
      const words = needle.split(' ').map(escapeRegExp).join(String.raw`[\s\W]*`);
      // "kel. bunulrejo", "kecamatan klojen", "dekat terminal hamid rusdi": the marker goes with the name.
      return { padded: ` ${needle} `, pattern: new RegExp(String.raw`${relation}\b(?:(?:kel|kelurahan|kec|kecamatan|desa|ds)\b\.?\s*)?${words}\b`, 'gi') };
    });
  // Longest first within each first word, so "terminal hamid rusdi" goes before "terminal".
  const byFirstWord = new Map<string, NameVariant[]>();
  for (const p of patterns) {
    const first = p.padded.trim().split(' ')[0];
    byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), p]);
  }
  const index = { byFirstWord };
  variantCache.set(profile, index);
  return index;
}
