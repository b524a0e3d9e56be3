import { tokenize } from './text.ts';
import { EMERGENCY_KINDS, type EmergencyKind } from '../lib/emergency-kinds.ts';

export { EMERGENCY_KINDS, type EmergencyKind };

export interface EmergencyDetection {
  /** An emergency happening now: answer with emergency numbers first and flag the case urgent. */
  urgent: boolean;
  /** The most likely kind when any emergency sign was found (also when not urgent, for the admin's view). */
  kind?: EmergencyKind;
  /** 0..1; urgent when at least URGENT_THRESHOLD. */
  confidence: number;
}

/**
 * Score from which a message counts as an emergency. A strong sign alone (kebakaran, ngamuk, gas bocor) reaches
 * it; a weak one (banjir, kecelakaan, pohon tumbang) needs a danger cue (korban, terjebak, menutup jalan) too.
 */
export const URGENT_THRESHOLD = 0.6;
const STRONG = 0.7;
const MEDIUM = 0.5;
const WEAK = 0.35;
/** Victims, people trapped, a road blocked: what turns a weak sign into an emergency. */
const DANGER_BONUS = 0.25;
/** "sekarang", "barusan", "tolong cepat": happening now. Small: anyone can write "darurat". */
const NOW_BONUS = 0.1;
/** A second, different sign of the same kind ("tawuran … celurit"). */
const CORROBORATION_BONUS = 0.1;

/**
 * Spellings the shared tokenizer leaves alone but emergencies are written with (Javanese and chat forms). The
 * tokenizer already expands skrg, blm, sdh, tlg, gak/ga/nggak (→ tidak) and the like.
 */
const EXTRA_SPELLINGS: Record<string, string> = {
  kmrn: 'kemarin',
  kemaren: 'kemarin',
  gede: 'besar',
  gedhe: 'besar',
  meluber: 'meluap',
  luber: 'meluap',
  kejepit: 'terjepit',
  ketabrak: 'tertabrak',
  keserempet: 'terserempet',
  dikroyok: 'dikeroyok',
  nodong: 'menodong',
  ditodong: 'menodong',
  lahiran: 'melahirkan',
  pake: 'pakai',
  mukul: 'memukul',
  nampar: 'menampar',
  nendang: 'menendang',
  kerendam: 'terendam',
  konslet: 'korsleting',
  wingi: 'kemarin',
  saiki: 'sekarang',
  skrang: 'sekarang',
  tulung: 'tolong',
  cepet: 'cepat',
  cpt: 'cepat',
  kobongan: 'kebakaran',
  kobong: 'terbakar',
  nggowo: 'bawa',
  gowo: 'bawa',
  nafas: 'napas',
  bernafas: 'bernapas',
  nafasnya: 'napas',
  napasnya: 'napas',
  ambulan: 'ambulans',
  ambulance: 'ambulans',
  rubuh: 'roboh',
  ketimpa: 'tertimpa',
  kabelnya: 'kabel',
  apinya: 'api',
  elpiji: 'gas',
  lpg: 'gas',
};

interface Sign {
  kind: EmergencyKind;
  pattern: RegExp;
  strength: number;
}

// Patterns run on normalised words joined by single spaces (see normalise): "\b" is a word edge.
const W = (source: string) => new RegExp(`\\b(?:${source})\\b`, 'g');
/** Two word groups at most `gap` words apart, in that order. */
const near = (a: string, b: string, gap = 3) => `(?:${a})(?: \\S+){0,${gap}} (?:${b})`;

/** People, and the states that mean someone needs help now. */
const PERSON = 'orang|warga|lansia|nenek|kakek|anak|bayi|balita|ibu|bapak|pengendara|penghuni|penumpang|pasien|someone|person|man|woman';
const PERSON_STATE =
  'tidak bergerak|tidak gerak|tidak bisa bangun|tidak bisa bernapas|napas berat|napas sesak|sesak|terjebak|tergeletak|kejang|lemas|muntah|berdarah|luka parah|terluka|membiru|tidak menangis|tidak merespon|tidak merespons|not moving|cannot breathe|unresponsive';
const WEAPONS = 'senjata tajam|senjata|sajam|celurit|clurit|parang|golok|pisau|pedang|samurai|pistol|senapan|benda tajam|kayu|balok|botol|knife|gun|machete';
const FALL_VERBS = 'tumbang|roboh|ambruk|patah|jatuh|nimpa|menimpa|melintang|fell|fallen|down';
const POLES = 'pohon|dahan|batang pohon|tiang listrik|tiang telepon|tiang|baliho|billboard|reklame|papan reklame|papan nama|kanopi|tree|pole|power line';
const STRUCTURES = 'rumah|atap|bangunan|gedung|tembok|dinding|jembatan|sekolah|plafon|ruko|kios|pagar|kelas|masjid|pasar|building|roof|ceiling|wall|bridge';
const COLLAPSE_VERBS = 'ambruk|runtuh|roboh|ambrol|jebol|longsor|collapsed|collapse|caved in';

const SIGNS: Sign[] = [
  // Fire. "hidran kebakaran" and "pemadam kebakaran" are things, not events: see NOT_EVENT_BEFORE.
  { kind: 'fire', pattern: W('kebakaran|terbakar|kebakar|berkobar|kobaran|merembet|on fire|flames|fire'), strength: STRONG },
  {
    kind: 'fire',
    pattern: W(
      'ada api|api dari|keluar api|asap dan api|api keluar|api (?:makin |semakin )?(?:besar|membesar|menyala|berkobar)|asap (?:hitam|tebal|mengepul)(?: tebal)?|meledak|ledakan|hangus|burning|smoke everywhere|explosion|blaze',
    ),
    strength: STRONG,
  },
  { kind: 'fire', pattern: W('api|meletup|meletus|percikan api|korsleting|keluar asap|berasap'), strength: MEDIUM },
  // Flood: "banjir" alone is usually a drainage complaint; rising water, a breached dyke or people trapped is not.
  {
    kind: 'flood',
    pattern: W(
      'banjir bandang|air bah|tanggul(?: \\S+){0,2} jebol|jebol|hanyut|terseret|arus deras|arusnya deras|meluap|air naik|naik terus|terus naik|makin naik|naik cepat|makin tinggi|semakin tinggi|sepinggang|sedada|seleher|sampai atap|water rising|rising fast',
    ),
    strength: STRONG,
  },
  { kind: 'flood', pattern: W('terendam|tergenang(?: \\S+){0,2} rumah|masuk rumah|air deras'), strength: MEDIUM },
  { kind: 'flood', pattern: W('banjir|kebanjiran|flood|flooding|floods'), strength: WEAK },
  // Accidents count with injuries (a danger cue); "sering kecelakaan di tikungan" is a request for signs.
  {
    kind: 'accident',
    pattern: W(
      'kecelakaan|tabrakan|ditabrak|tertabrak|menabrak|terserempet|diserempet|terguling|terbalik|tergelincir|masuk jurang|nyungsep|terperosok|jatuh ke (?:selokan|jurang|sungai|kali|got|saluran)|laka|lakalantas|jatuh dari motor|accident|crash|crashed|collided|collision|hit by|overturned',
    ),
    strength: WEAK,
  },
  // Violence or a threat.
  {
    kind: 'violence',
    pattern: W(
      'ngamuk|mengamuk|amuk massa|tawuran|bentrok|saling lempar|lempar batu|lempar lemparan|saling serang|carok|berkelahi|perkelahian|dibacok|membacok|bacok|ditusuk|menusuk|dipukuli|memukuli|dihajar|menghajar|dikeroyok|mengeroyok|keroyokan|main hakim sendiri|diserang|menyerang|dianiaya|penganiayaan|memukul|menampar|menendang|mencekik|menyiksa|disiksa|mengancam|ngancam|diancam|menodong|bunuh|dirampok|perampokan|begal|dibegal|diperkosa|pemerkosaan|disandera|diculik|penculikan|threatening|stabbed|attacking|fighting|assaulted|robbery',
    ),
    strength: STRONG,
  },
  { kind: 'violence', pattern: new RegExp(near('bawa|membawa|acung|mengacungkan|pakai|carrying|with a', WEAPONS, 1), 'g'), strength: STRONG },
  { kind: 'violence', pattern: W(WEAPONS.replace('|kayu|balok|botol', '')), strength: MEDIUM },
  // Medical.
  {
    kind: 'medical',
    pattern: W(
      'pingsan|tidak sadarkan diri|jatuh dari (?:tangga|pohon|atap|ketinggian|lantai \\S+)|kepala(?:nya)? bocor|darah(?:nya)? banyak|muntah darah|patah tulang|digigit ular|tersedak|henti jantung|bunuh diri|gantung diri|mau (?:loncat|lompat)|tidak sadar|kejang|sesak napas|tidak bernapas|napas pendek|serangan jantung|stroke|pendarahan|overdosis|keracunan|melahirkan|ketuban(?:nya)? pecah|tenggelam|kesetrum|tersengat listrik|collapsed|not breathing|unconscious|seizure|heart attack|suicide|choking',
    ),
    strength: STRONG,
  },
  { kind: 'medical', pattern: new RegExp(near(PERSON, PERSON_STATE, 4), 'g'), strength: STRONG },
  { kind: 'medical', pattern: W('tidak bergerak|tidak gerak|tidak bisa bangun|napas berat|not moving'), strength: MEDIUM },
  { kind: 'medical', pattern: W('ambulans'), strength: WEAK },
  // A tree, pole or live wire down.
  { kind: 'fallen_tree_or_pole', pattern: new RegExp(near(POLES, FALL_VERBS), 'g'), strength: MEDIUM },
  { kind: 'fallen_tree_or_pole', pattern: W('kabel(?: listrik)? putus|kabel(?: listrik)? menjuntai ke jalan|power lines? down'), strength: STRONG },
  // Gas leak.
  { kind: 'gas_leak', pattern: W('kebocoran gas|bau gas|gas leak|smell of gas'), strength: STRONG },
  { kind: 'gas_leak', pattern: new RegExp(near('gas', 'bocor|merembes|leaking'), 'g'), strength: STRONG },
  // Building collapse, landslide.
  { kind: 'collapse', pattern: new RegExp(near(STRUCTURES, COLLAPSE_VERBS), 'g'), strength: MEDIUM },
  { kind: 'collapse', pattern: W('tanah longsor|longsor|landslide|tertimbun|terkubur|reruntuhan'), strength: MEDIUM },
];

/** Victims, people trapped, a road blocked. */
const DANGER = W(
  'korban|luka|terluka|berdarah|darah|pingsan|tergeletak|tidak bergerak|tidak gerak|tidak bisa bangun|patah|tidak sadar|meninggal|tewas|terjebak|terjepit|tidak bisa keluar|masih di dalam|tertimbun|tertimpa|menimpa|nimpa|menimbun|hanyut|dievakuasi|evakuasi|jatuh|kena (?:pengendara|orang|warga|mobil|motor|rumah)|menutup jalan|menghalangi jalan|jalan ketutup|jalan tertutup|tidak bisa lewat|melintang|terhalang|injured|hurt|injuries|casualties|bleeding|trapped|blocking|across the road',
);
/** Happening now, help wanted now. */
const NOW = W('sekarang|barusan|baru saja|tadi|sedang|masih|tolong|cepat|segera|darurat|help|right now|just now|urgent|now');
/** The event is over. */
const RESOLVED = W(
  'sudah padam|sudah dipadamkan|telah padam|sudah surut|sudah ditangani|sudah dievakuasi|sudah aman|sudah dipotong|sudah dibersihkan|sudah diangkut|sisa|bekas|terima kasih|was put out',
);
/** In the past: "kemarin" but not "sejak kemarin" (still going on since yesterday). */
const PAST = /(?<!\b(?:sejak|dari) )\bkemarin\b|\b(?:minggu|bulan|tahun|pekan) lalu\b|\bbeberapa hari lalu\b|\bpernah\b|\bdulu\b|\blast (?:week|month|year|night)\b|\byesterday\b/;
/** Every time it rains: a standing problem, not an emergency. */
const HABITUAL = W('tiap|setiap|selalu|sering|langganan|musim hujan|every time|always|often|whenever');
/** Conditional, preventive or a question about how things work. */
const HYPOTHETICAL = W(
  '(?:kalau|kalo|jika|apabila|seandainya)(?! bisa)|antisipasi|pencegahan|mencegah|sosialisasi|simulasi|pelatihan|usul|usulan|prosedur|bagaimana cara|tanya|informasi|info|nomor darurat|how to|prevent',
);
/** Words right before a sign that make it a risk, not an event ("takut roboh", "rawan begal", "sebelum ambruk"). */
const RISK_BEFORE = /\b(?:takut|khawatir|rawan|hampir|nyaris|sebelum|berpotensi|risk of|before it)(?: \S+){0,1} $/;
/** "mau roboh" is a risk, but "mau melahirkan" and "mau bunuh" are emergencies: these apply to other kinds only. */
const INTENT_BEFORE = /\b(?:bisa|mau|akan)(?: \S+){0,1} $/;
/** Negation right before a sign ("bukan kebakaran", "tidak ada korban" is handled as NO_VICTIM). */
const NEGATION_BEFORE = /\b(?:tidak|bukan|belum|tanpa|no|not)(?: ada)? $/;
/** "kebakaran" naming a thing, not an event ("hidran kebakaran", "pemadam kebakaran", "mobil kebakaran"). */
const FIRE_THING_BEFORE = /\b(?:hidran|hydrant|pemadam|kembang|mobil|pos|dinas|petugas|alat|bahaya|latihan) $/;
/** No one hurt: an accident without victims is not an emergency. */
const NO_VICTIM = W('tidak ada korban|tanpa korban|tidak ada yang luka|no one (?:was )?hurt|no injuries|nobody hurt');

const INTENT_EXEMPT: ReadonlySet<EmergencyKind> = new Set(['medical', 'violence']);

/** Lower-case words, chat spellings expanded ("skrg" → "sekarang"), "anak2" → "anak anak". */
export function normaliseForEmergency(text: string): string {
  const reduplicated = text.replace(/([A-Za-z]{2,})2\b/g, '$1 $1').replace(/([A-Za-z]{2,})-\1/gi, '$1 $1');
  return tokenize(reduplicated)
    .map((w) => EXTRA_SPELLINGS[w] ?? w)
    .join(' ');
}

/** Clauses a cue applies to: sentences, and the parts before and after "tapi"/"but". */
function splitClauses(text: string): string[] {
  return text
    .split(/[.!?;\n]+|,?\s+\b(?:tapi|tetapi|namun|but|however)\b/i)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

interface KindScore {
  kind: EmergencyKind;
  score: number;
}

function scoreClause(clause: string): KindScore[] {
  const words = normaliseForEmergency(clause);
  if (words === '') return [];
  const haystack = ` ${words} `;
  // A clause about the past, a standing problem or a hypothetical is context, not an emergency.
  if (RESOLVED.test(haystack) || PAST.test(haystack) || HABITUAL.test(haystack) || HYPOTHETICAL.test(haystack)) {
    resetRegexes();
    return [];
  }
  resetRegexes();
  const danger = DANGER.test(haystack) && !NO_VICTIM.test(haystack);
  const now = NOW.test(haystack);
  const noVictim = NO_VICTIM.test(haystack);
  resetRegexes();
  const best = new Map<EmergencyKind, { strength: number; hits: Set<string> }>();
  for (const sign of SIGNS) {
    sign.pattern.lastIndex = 0;
    for (const match of haystack.matchAll(sign.pattern)) {
      const before = haystack.slice(0, match.index);
      if (NEGATION_BEFORE.test(before) || (sign.kind === 'fire' && FIRE_THING_BEFORE.test(before))) continue;
      if (RISK_BEFORE.test(before) || (!INTENT_EXEMPT.has(sign.kind) && INTENT_BEFORE.test(before))) continue;
      const entry = best.get(sign.kind) ?? { strength: 0, hits: new Set<string>() };
      entry.strength = Math.max(entry.strength, sign.strength);
      entry.hits.add(match[0]);
      best.set(sign.kind, entry);
    }
  }
  const scores: KindScore[] = [];
  for (const [kind, { strength, hits }] of best) {
    let score = strength;
    if (danger) score += DANGER_BONUS;
    if (now) score += NOW_BONUS;
    if (hits.size > 1) score += CORROBORATION_BONUS;
    if (kind === 'accident' && noVictim) score = Math.min(score, WEAK);
    scores.push({ kind, score: Math.min(1, score) });
  }
  return scores;
}

// The /g patterns keep lastIndex between .test calls; reset so every clause starts fresh.
function resetRegexes(): void {
  for (const re of [DANGER, NOW, RESOLVED, HABITUAL, HYPOTHETICAL, NO_VICTIM]) re.lastIndex = 0;
}

/**
 * Offline emergency detection: keyword patterns with negation ("bukan kebakaran"), time and habit cues
 * ("kemarin sudah padam", "banjir tiap hujan") and risk words ("takut roboh") in the same clause. Pure and fast
 * (tens of microseconds); the LLM's flag, when configured, is combined with it by combineEmergency.
 */
export function detectEmergency(text: string): EmergencyDetection {
  let best: KindScore | undefined;
  for (const clause of splitClauses(text)) {
    const scores = scoreClause(clause);
    for (const s of scores) {
      // Someone hurt in an accident, a collapse or a fire is that emergency (its numbers), not a medical one.
      const cause = s.kind === 'medical' ? scores.find((o) => o.kind !== 'medical' && o.score >= URGENT_THRESHOLD) : undefined;
      const candidate = cause ? { kind: cause.kind, score: s.score } : s;
      if (!best || candidate.score > best.score) best = candidate;
    }
  }
  if (!best) return { urgent: false, confidence: 0 };
  const confidence = Math.round(best.score * 100) / 100;
  return { urgent: confidence >= URGENT_THRESHOLD, kind: best.kind, confidence };
}

/**
 * When the offline rules are this sure they flag a case even if the LLM said no. Missing a fire costs far more
 * than a false alarm, which an admin clears with one command; strong signs with a "now" cue reach this.
 */
export const OFFLINE_OVERRIDE_CONFIDENCE = 0.8;

export interface LlmEmergencyFlag {
  emergency: boolean;
  kind?: EmergencyKind;
}

/** The emergency decision for a case: the LLM's flag when it gave one, else (or when very sure) the rules'. */
export function combineEmergency(offline: EmergencyDetection, llm?: LlmEmergencyFlag): EmergencyDetection & { source: 'llm' | 'offline' } {
  if (!llm) return { ...offline, source: 'offline' };
  if (llm.emergency) return { urgent: true, kind: llm.kind ?? offline.kind, confidence: Math.max(offline.confidence, URGENT_THRESHOLD), source: 'llm' };
  if (offline.urgent && offline.confidence >= OFFLINE_OVERRIDE_CONFIDENCE) return { ...offline, source: 'offline' };
  return { urgent: false, kind: offline.kind, confidence: Math.min(offline.confidence, URGENT_THRESHOLD - 0.01), source: 'llm' };
}
