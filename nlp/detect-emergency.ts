import { EMERGENCY_KINDS, type EmergencyKind } from '../lib/emergency-kinds.ts';
import { createEmergencyNormaliser } from './normalise-emergency-text.ts';

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
 * Score from which a message counts as an emergency. A strong sign alone (kebakaran, dibacok, gas bocor) reaches
 * it; a medium one (pohon tumbang, rumah ambruk, orang ngamuk) needs a "now" or a danger cue; a weak one (banjir,
 * kecelakaan) needs a danger cue (korban, terjebak, menutup jalan).
 */
export const URGENT_THRESHOLD = 0.6;
const STRONG = 0.7;
const MEDIUM = 0.5;
const WEAK = 0.35;
/** Only backs up another sign of its kind ("tolong damkar" with "asap hitam"); a danger cue alone is not enough. */
const SUPPORT = 0.2;
/** Victims, people trapped, a road blocked: what turns a weak sign into an emergency. */
const DANGER_BONUS = 0.25;
/** "sekarang", "barusan", "tolong cepat": happening now. Small: anyone can write "darurat". */
const NOW_BONUS = 0.1;
/** A baby, an old or disabled person in the middle of it. */
const VULNERABLE_BONUS = 0.1;
/** A second, different sign of the same kind ("tawuran … celurit"). */
const CORROBORATION_BONUS = 0.1;
/** Characters either side of a sign read for its cues and windows: the longest window (10 words) fits easily. */
const LOOKBACK_CHARS = 120;
/** Words either side of a sign's head its `near` words may be in ("pohon trembesi besar di jalan kawi ambruk"). */
const DEFAULT_WINDOW = 4;

interface Sign {
  kind: EmergencyKind;
  strength: number;
  /** The event itself; negation, risk and figurative cues are read right before it. */
  head: RegExp;
  /** Each of these must be found within `window` words before or after the head. */
  near?: RegExp[];
  /** None of these may be within `window` words ("kabel internet menjuntai" is not a live wire). */
  notNear?: RegExp;
  window?: number;
  /** Words after the head `near` may be in, when fewer than `window` (a collapsed building is named before the verb). */
  after?: number;
  /** The sign does not count in a clause that matches this ("bakar sampah … asap mengepul" is not a fire). */
  unlessClause?: RegExp;
  /** Words right before the head that make it something else ("baru melahirkan" is over). */
  notBefore?: RegExp;
  /** Words right after the head that make it a thing ("fire hydrant", "fire drill"). */
  notAfter?: RegExp;
  /**
   * The first of `among` named before the head (within `window` words) must be one of `must`: "plengsengan depan
   * rumah ambrol" is about the retaining wall, not the house.
   */
  subject?: { among: RegExp; must: RegExp };
}

// Patterns run on normalised words (normaliseForEmergency) joined by single spaces: Indonesian roots and
// canonical words only ("tabrak" covers nabrak, ketabrak, tabrakan; "pohon" covers wit and tree).
const alt = (source: string) => `(?:${source})`;
/** A head pattern (global: every occurrence is a candidate). */
const W = (source: string) => new RegExp(`\\b${alt(source)}\\b`, 'g');
/** A cue pattern (tested once). */
const N = (source: string) => new RegExp(`\\b${alt(source)}\\b`);

/** People, and the states that mean someone needs help now. */
const PERSON =
  'orang|warga|lansia|anak|bayi|balita|ibu|bapak|pengendara|pengemudi|penghuni|penumpang|pasien|pekerja|siswa|mahasiswa|pemuda|pedagang|pembeli|pengunjung|pejalan|korban|teman|tetangga|istri|suami|pasangan|adik|adek|kakak|mas|mbak|dia|cewek|cowok|ojol|keluarga|satpam|pria|wanita|perempuan|orangtua|penjaga|tamu';
const PERSON_STATE =
  'tidak (?:bisa )?gerak|tidak (?:bisa )?bangun|tidak (?:bisa )?napas|napas (?:\\S+ )?(?:berat|sesak|pendek|pelan|lemah|lemas|tersengal|satu satu)|sesak napas|tidak sadar|tergeletak|kejang|lemas|berdarah|luka parah|terluka|membiru|tidak menangis|sekarat|kritis|berbusa|pingsan|tidak bisa (?:(?:di ?)?ajak )?bicara';
/** Vehicles: trapped, crushed or swept away like people. */
const VEHICLE = 'motor|mobil|angkot|bus|truk|becak|sepeda|kendaraan|pikap';
const WEAPONS =
  'senjata tajam|senjata|sajam|celurit|parang|golok|pisau|pedang|samurai|keris|badik|sangkur|gir|rantai|pistol|senapan|airsoft|panah|busur|ketapel|benda tajam|pentungan|bersenjata';
/** Things anyone may carry or fence with: a weapon only when swung or brandished ("ngamuk bawa kayu"). */
const BLUNT = 'kayu|balok|botol|batu|besi|tongkat|helm|kursi|bambu';
const WATER = 'air|banjir|sungai|kali|saluran|arus|genangan|bendungan|tanggul|waduk|hujan|kolam|rob|debit|bantaran';
const RIVER = 'sungai|kali|tanggul|bendungan|waduk|brantas|bengawan|bantaran';
const BODY_LEVEL = 'dada|pinggang|leher|paha|perut|pusar|atap|kepala|dagu|bahu|plafon|loteng';
const POLES =
  'pohon|dahan|ranting|batang pohon|tiang|baliho|papan nama|kanopi|tower|menara|antena|videotron|neon box|trembesi|beringin|mahoni|asem|sengon|kelapa|rumpun bambu|angsana|ketapang|flamboyan|cemara|palem|jati|akasia|randu|pju|lampu jalan|trafo';
const FALL_VERBS = 'tumbang|roboh|ambruk|patah|jatuh|timpa|melintang|ambrol|rebah|down';
/** Buildings: their collapse is an emergency with a "now" or a danger cue. */
const BUILDINGS =
  'rumah|atap|bangunan|gedung|tembok|dinding|jembatan|sekolah|plafon|ruko|kios|kelas|masjid|musala|mushola|langgar|pasar|gudang|pabrik|kos|toko|warung|kanopi|balkon|tangga|lantai|dak|cor|panggung|tribun|perancah|mall|hotel|bioskop|kandang|los|crane|menara';
/** Retaining walls, drains, soil: their collapse is usually a repair request unless someone is hurt. */
const EARTHWORKS = 'plengsengan|tebing|tanah|lemah|sumur|gorong gorong|saluran|pagar|lereng|talang|bendungan|jalan|paving|trotoar|makam|pondasi|tanggul';
const STRUCTURES = new RegExp(`\\b(?:${BUILDINGS}|${EARTHWORKS})\\b`, 'g');
const GAS_THINGS = 'gas|tabung|regulator|selang|pipa gas|kompor|elpiji';
const LIVE_WIRE_NOT = 'internet|wifi|optik|fiber|telepon|telkom|indihome|tv|rendah|semrawut';
/** Burning rubbish: smoke from it is a nuisance to report, not a fire to put out. */
const RUBBISH_BURNING = N('(?:membakar|bakar|pembakaran)(?: \\S+){0,2} (?:sampah|daun|rongsok|barang bekas|limbah|kabel|ban|sekam|jerami)|bakar bakar|pembakaran');
/** Long-term illness or someone already in care: a complaint about treatment, not a call for help. */
const CHRONIC_OR_IN_CARE = N(
  'dirawat|opname|rawat inap|igd|ugd|diagnosa|didiagnosa|penyakit|sakitnya|menderita|mengidap|riwayat|kronis|kursi roda|pelayanan|dilayani|rujukan|bertahun tahun|hemodialisa|ambeyen|wasir|kanker|tbc|liponsos|suster|persalinan|pembukaan|sakit (?:stroke|jantung|kanker|gula|ginjal|paru)',
);
/** Being asked for money ("ditodong 3rb" at a parking spot) is extortion to report, not an attack. */
const MONEY = N('\\d*rb|\\d*ribu|uang|duit|bayar|parkir|jukir|retribusi|iuran|pungli|\\d+ ?k');

/** "bikin sesak napas", "sampai pingsan kepanasan": a nuisance described by its effect, not someone collapsing now. */
const CAUSED_BY_BEFORE = /\b(?:bikin|membuat|menyebabkan|mengakibatkan|sampai)(?: \S+)? $/;

const SIGNS: Sign[] = [
  // --- Fire. "hidran kebakaran" and "pemadam kebakaran" are things, not events: see FIRE_THING_BEFORE.
  {
    kind: 'fire',
    strength: STRONG,
    head: W('kebakaran|terbakar|berkobar|kobaran|on fire|fire|hangus terbakar'),
    notNear: N('sampah|dedaunan'),
    notAfter: /^ (?:hydrant|hidran|extinguisher|alarm|station|safety|exit|drill|escape|insurance|keselamatan|damkar)\b/,
    window: 3,
  },
  {
    kind: 'fire',
    strength: STRONG,
    head: W('api'),
    near: [N('besar|membesar|tinggi|makin|semakin|sampai|merembet|keluar|muncul|menyala|berkobar|atap|asap|banget|meledak|terbakar')],
    notNear: N('petasan|mercon|obor|lilin|korek|rokok|dupa|kembang api'),
    window: 3,
  },
  {
    kind: 'fire',
    strength: STRONG,
    head: W('asap'),
    near: [N('hitam|tebal|mengepul|banyak|membumbung|besar|api|everywhere')],
    window: 3,
    unlessClause: RUBBISH_BURNING,
  },
  { kind: 'fire', strength: MEDIUM, head: W('api|meledak|percikan api|korsleting|berasap|hangus'), notNear: N('petasan|mercon|obor|lilin|korek|rokok|dupa|kembang api'), window: 3, unlessClause: RUBBISH_BURNING },
  { kind: 'fire', strength: STRONG, head: W('lalap|membara'), near: [N('api|kebakaran|terbakar|rumah|gudang|kios|bangunan|lapak|toko')], window: 3 },
  { kind: 'fire', strength: MEDIUM, head: W('merembet'), notNear: N('akar|tanaman|pohon|daun|ranting|penyakit|virus'), window: 3, unlessClause: RUBBISH_BURNING },
  { kind: 'fire', strength: WEAK, head: W('asap|percikan'), unlessClause: RUBBISH_BURNING },
  { kind: 'fire', strength: SUPPORT, head: W('damkar') },
  // --- Flood: "banjir" alone is usually a drainage complaint, and a drain "meluber" onto the road too; a river
  // overflowing, rising water, a breached dyke or people swept away or trapped is not.
  { kind: 'flood', strength: STRONG, head: W('banjir bandang|banjir besar') },
  { kind: 'flood', strength: STRONG, head: W('hanyut'), near: [N(`${PERSON}|motor|mobil|rumah|kendaraan|angkot|becak|sepeda`)], window: 4 },
  { kind: 'flood', strength: MEDIUM, head: W('hanyut'), notNear: N('sampah|daun|lumpur|pasir'), window: 3 },
  { kind: 'flood', strength: STRONG, head: W('jebol|bobol|ambrol'), near: [N('tanggul|bendungan|waduk')], window: 3 },
  { kind: 'flood', strength: STRONG, head: W('seret|terbawa'), near: [N('arus|air|banjir|sungai|kali|saluran')], window: 3 },
  { kind: 'flood', strength: STRONG, head: W('meluap'), near: [N(RIVER)], window: 5 },
  { kind: 'flood', strength: MEDIUM, head: W('meluap'), near: [N(WATER)], window: 5 },
  { kind: 'flood', strength: STRONG, head: W('naik|tambah tinggi|terus tambah|tambah terus'), near: [N(WATER), N('terus|cepat|makin|semakin|tambah|banget|deras|tinggi|tajam|drastis')], window: 8 },
  { kind: 'flood', strength: MEDIUM, head: W('naik'), near: [N(WATER)], window: 4 },
  { kind: 'flood', strength: MEDIUM, head: W('(?:makin|semakin|lebih|tambah) tinggi'), near: [N('air|banjir|sungai|kali')], notAfter: /^ (?:dari|daripada)\b/, window: 4 },
  {
    kind: 'flood',
    strength: STRONG,
    head: W(`(?:se|setinggi|sampai|hingga|capai|up to) ?(?:\\S+ )?(?:${BODY_LEVEL})|se(?:${BODY_LEVEL})`),
    near: [N(WATER)],
    window: 10,
  },
  {
    kind: 'flood',
    strength: STRONG,
    head: W('(?:setinggi|sampai|hingga|capai) (?:\\d+(?: \\d+)?|satu|dua|setengah) ?(?:meter|m)'),
    near: [N(WATER)],
    window: 10,
  },
  { kind: 'flood', strength: MEDIUM, head: W('banjir kiriman') },
  { kind: 'flood', strength: WEAK, head: W('(?:se|setinggi|sampai|hingga) ?lutut|selutut|setengah ban|se paha'), near: [N(WATER)], window: 8 },
  { kind: 'flood', strength: STRONG, head: W('loteng|lantai atas|atas atap|genteng'), near: [N(WATER), N('naik|masih|jebak|mengungsi|di')], window: 10 },
  { kind: 'flood', strength: MEDIUM, head: W('masuk|dalam'), near: [N(WATER), N('rumah|kamar|kampung|permukiman|perumahan|dapur|kos')], window: 3 },
  { kind: 'flood', strength: MEDIUM, head: W('terendam|tenggelam|mengambang'), near: [N('rumah|mobil|motor|kendaraan|kampung|jalan|angkot|permukiman|perumahan|kamar')], window: 4 },
  { kind: 'flood', strength: MEDIUM, head: W('deras'), near: [N('air|arus|sungai|kali|banjir')], notNear: N('hujan'), window: 3 },
  { kind: 'flood', strength: MEDIUM, head: W('perahu'), near: [N(`${WATER}|butuh|perlu|evakuasi|tolong`)], window: 6 },
  { kind: 'flood', strength: WEAK, head: W('banjir|genangan|terendam') },
  // --- Accidents count with injuries (a danger cue); "sering kecelakaan di tikungan" is a request for signs.
  {
    kind: 'accident',
    strength: WEAK,
    head: W(
      'kecelakaan|tabrak|serempet|lindas|terguling|terbalik|tergelincir|nyungsep|masuk jurang|terperosok|(?:motor|mobil|angkot|bus|truk|pikap) (?:\\S+ )?(?:masuk|tercebur|terjun) (?:ke )?(?:sungai|kali|selokan|saluran|sawah|parit|jurang)|jatuh (?:dari|di) (?:motor|sepeda|mobil|angkot|bus)|ringsek|terpental|overturned',
    ),
  },
  // Someone hit or run over, not two vehicles.
  { kind: 'accident', strength: MEDIUM, head: W('tabrak|serempet|lindas'), near: [N(PERSON)], window: 2 },
  { kind: 'accident', strength: MEDIUM, head: W('lindas') },
  { kind: 'accident', strength: MEDIUM, head: W('jatuh (?:dari|dr) (?:perancah|lantai|ketinggian|gedung|proyek|bangunan|tower|menara)') },
  // A fall at work (a builder off a roof) is an accident, like one on the road.
  { kind: 'accident', strength: MEDIUM, head: W('jatuh'), near: [N('pekerja|proyek|perancah|crane|setinggi|ketinggian')], window: 6 },
  { kind: 'accident', strength: WEAK, head: W('jatuh ke (?:selokan|jurang|sungai|kali|saluran|parit|sawah)') },
  // --- Violence or a threat. "pukul 21.30" is the time.
  {
    kind: 'violence',
    strength: STRONG,
    head: W(
      'tawuran|bentrok|lempar batu|saling serang|carok|berkelahi|perkelahian|bacok|tusuk|pukul(?! \\d)|hajar|keroyok|main hakim sendiri|amuk massa|hajar massa|massa (?:ngamuk|hajar|amuk)|serang|aniaya|penganiayaan|tendang|injak|cekik|siksa|rampok|perampokan|begal|jambret|perkosa|pemerkosaan|sandera|culik|penculikan|kerusuhan|tikam',
    ),
    notNear: N('kentongan|kentong|bedug|paku|kaleng|galon|drum|rata|hewan|burung|kucing|anjing|tikus|nyamuk|ayam|ular|kecoa|hama|taman|rumput|tanaman|bunga|hak|harga|biaya|pembayaran|cicilan|pajak|ekonomi|tagihan'),
    window: 2,
  },
  { kind: 'violence', strength: STRONG, head: W('todong|bunuh(?! diri)'), notNear: new RegExp(`${MONEY.source}|\\b(?:ekonomi|karakter|usaha|bisnis|waktu)\\b`), window: 3 },
  { kind: 'violence', strength: STRONG, head: W(WEAPONS), near: [N('bawa|acung|pegang|pakai|menggunakan|ayun|dengan|with|todong|ancam|bacok|ngamuk|serang')], window: 3 },
  { kind: 'violence', strength: STRONG, head: W(BLUNT), near: [N('bawa|acung|ayun|pukul|lempar|hantam|ngamuk|serang')], window: 2 },
  { kind: 'violence', strength: MEDIUM, head: W(WEAPONS) },
  { kind: 'violence', strength: MEDIUM, head: W('ngamuk|bobol|kdrt|tembak|ancam|palak|saling lempar|lecehkan|pelecehan|sekap|molotov'), notNear: N('bola|tanggung jawab|kesalahan|\\d*rb|\\d*ribu|uang|parkir|jukir|keselamatan|kehilangan|jiwa|nyawa|kesehatan|lingkungan|pekerjaan|listrik|air'), window: 3 },
  { kind: 'violence', strength: SUPPORT, head: W('maling|buntuti|kejar|sembunyi|teriak') },
  // --- Medical: someone suddenly in danger, not a long illness or a complaint about treatment.
  {
    kind: 'medical',
    strength: STRONG,
    head: W(
      'pingsan|tidak sadar diri|sekarat|kejang|sesak napas|tidak (?:bisa )?napas|napas buatan|tidak ada nadi|henti jantung|serangan jantung|tersedak|keracunan|overdosis|berbusa|pendarahan|perdarahan|muntah darah|kepala (?:\\S+ )?bocor|patah tulang|gigit ular|bunuh diri|gantung diri|(?:potong|iris|sayat|cut) (?:\\S+ )?nadi|ketuban (?:\\S+ )?pecah|kepala bayi|kesetrum|tersengat listrik|not breathing|seizure|heart attack|suicide',
    ),
    notBefore: CAUSED_BY_BEFORE,
    unlessClause: CHRONIC_OR_IN_CARE,
  },
  { kind: 'medical', strength: STRONG, head: W('(?:lompat|loncat|terjun) (?:dari|dr) (?:jembatan|gedung|lantai|atap|tower|menara|flyover)') },
  { kind: 'medical', strength: MEDIUM, head: W('sengat|bengkak|kepala terbentur|luka bakar|keguguran|koma|gagal napas|henti napas|asma kambuh|gigit anjing') },
  { kind: 'medical', strength: MEDIUM, head: W('(?:siram|tersiram|tumpah|kena) (?:\\S+ )?(?:air panas|minyak panas)|(?:air panas|minyak panas) (?:\\S+ )?(?:siram|tumpah)') },
  { kind: 'medical', strength: STRONG, head: W('(?:mau|akan|hendak|ingin|coba) (?:\\S+ )?(?:lompat|loncat|terjun|gantung diri|bunuh diri)') },
  { kind: 'medical', strength: STRONG, head: W('melahirkan'), notBefore: /\b(?:baru|habis|setelah|sehabis|pasca|sudah)(?: \S+)? $/, unlessClause: CHRONIC_OR_IN_CARE },
  {
    kind: 'medical',
    strength: STRONG,
    head: W('tenggelam'),
    notNear: N('rumah|mobil|motor|kendaraan|kampung|jalan|sawah|perumahan|permukiman|kamar|angkot'),
    window: 3,
  },
  { kind: 'medical', strength: STRONG, head: W('jatuh (?:dari|di) (?:tangga|pohon|atap|kamar mandi|wc)'), unlessClause: CHRONIC_OR_IN_CARE },
  {
    kind: 'medical',
    strength: STRONG,
    head: W('darah|berdarah'),
    near: [N('banyak|muncrat|mengucur|tidak berhenti|tidak mandek|deras|keluar|lot')],
    window: 3,
    unlessClause: CHRONIC_OR_IN_CARE,
  },
  {
    kind: 'medical',
    strength: STRONG,
    head: W('menelan|telan|minum'),
    near: [N('obat nyamuk|obat tikus|obat serangga|racun|pembersih|pemutih|baygon|bayclin|porstex|deterjen|minyak tanah|bensin|cairan|karbol|pestisida|insektisida|soda api|baterai|koin|kelereng|peniti')],
    window: 3,
  },
  { kind: 'medical', strength: STRONG, head: W(PERSON_STATE), near: [N(PERSON)], window: 8, notBefore: CAUSED_BY_BEFORE, unlessClause: CHRONIC_OR_IN_CARE },
  { kind: 'medical', strength: MEDIUM, head: W('biru|pucat'), near: [N('wajah|bibir|badan|kulit|kuku|bayi')], window: 3 },
  {
    kind: 'medical',
    strength: MEDIUM,
    head: W(
      'stroke|pelo|mencong|separuh badan|sebelah badan|lumpuh mendadak|keringat dingin|oplosan|kontraksi|epilepsi|napas berat|tergeletak',
    ),
    unlessClause: CHRONIC_OR_IN_CARE,
  },
  { kind: 'medical', strength: MEDIUM, head: W('kaku'), near: [N('badan|tubuh|mata|tangan|kaki|leher')], window: 3 },
  {
    kind: 'medical',
    strength: STRONG,
    head: W('tidak jawab'),
    near: [N(PERSON)],
    // "keluhan warga tidak direspon" is about an office, not a person collapsing.
    notNear: N('keluhan|laporan|pesan|wa|whatsapp|chat|telepon|telpon|email|admin|petugas|pihak|dinas|kelurahan|aduan|surat|kader|rt|rw|poli|loket|kantor|pegawai|staf|cs'),
    window: 8,
    unlessClause: CHRONIC_OR_IN_CARE,
  },
  { kind: 'medical', strength: MEDIUM, head: W('sakit|nyeri|sesak'), near: [N('dada')], window: 1, unlessClause: CHRONIC_OR_IN_CARE },
  { kind: 'medical', strength: MEDIUM, head: W('ambruk'), near: [N(PERSON)], notNear: N(`${BUILDINGS}|${EARTHWORKS}|${POLES}`), window: 5 },
  { kind: 'medical', strength: MEDIUM, head: W('muntah'), near: [N('lemas|pusing|tidak sadar|kejang|racun|keracunan|darah|jamur')], window: 6, unlessClause: CHRONIC_OR_IN_CARE },
  { kind: 'medical', strength: SUPPORT, head: W('ambulans') },
  // --- A tree, pole or live wire down.
  { kind: 'fallen_tree_or_pole', strength: MEDIUM, head: W(FALL_VERBS), near: [N(POLES)], window: 6 },
  // Into a river or a drain: a blockage to clear, unless someone is hurt (a danger cue).
  { kind: 'fallen_tree_or_pole', strength: STRONG, head: W('kabel(?: listrik| pln)? putus|kabel (?:\\S+ )?bertegangan|kabel listrik jatuh') },
  {
    kind: 'fallen_tree_or_pole',
    strength: MEDIUM,
    head: W('putus|patah|jatuh|bertegangan|percikan|menjuntai ke jalan|sampai (?:tanah|lemah)|terbakar|berasap'),
    near: [N('kabel')],
    notNear: N(LIVE_WIRE_NOT),
    window: 3,
  },
  // --- Gas leak.
  { kind: 'gas_leak', strength: STRONG, head: W('kebocoran gas|bau (?:\\S+ ){0,2}gas|gas (?:\\S+ )?bau') },
  { kind: 'gas_leak', strength: STRONG, head: W('kebocoran|bocor|desis|menyembur'), near: [N(GAS_THINGS)], window: 8 },
  { kind: 'gas_leak', strength: MEDIUM, head: W('keluar'), near: [N('gas'), N('terus|banyak|kuat')], window: 3 },
  { kind: 'gas_leak', strength: MEDIUM, head: W('bau (?:\\S+ )?telur busuk|desis') },
  { kind: 'gas_leak', strength: MEDIUM, head: W('lepas|copot|putus'), near: [N('selang gas|regulator|selang kompor|selang')], notNear: N('air|pdam|taman'), window: 2 },
  // --- Building collapse, landslide, sinkhole.
  {
    kind: 'collapse',
    strength: MEDIUM,
    head: W('ambruk|runtuh|roboh|ambrol|putus|tumbang'),
    subject: { among: STRUCTURES, must: N(BUILDINGS) },
    window: 7,
    after: 1,
  },
  // "plafon … jatuh", but "kakek di depan masjid jatuh" is about the man.
  { kind: 'collapse', strength: MEDIUM, head: W('jatuh'), subject: { among: STRUCTURES, must: N('plafon|atap|dak|kanopi|balkon|tembok|dinding') }, notNear: N(PERSON), window: 7, after: 1 },
  { kind: 'collapse', strength: WEAK, head: W('ambruk|runtuh|roboh|ambrol|jebol|longsor|ambles|rontok'), near: [N(`${BUILDINGS}|${EARTHWORKS}`)], window: 7, after: 1 },
  { kind: 'collapse', strength: MEDIUM, head: W('longsor|reruntuhan|runtuh') },
  { kind: 'collapse', strength: MEDIUM, head: W('timbun'), near: [N(`${PERSON}|${VEHICLE}|rumah|yang`)], window: 3 },
  { kind: 'collapse', strength: MEDIUM, head: W('menimbun'), near: [N('tanah|longsor|material|lumpur|reruntuhan')], window: 3 },
];

/** Any sign's head, to set aside at once the clauses that have none. */
const ANY_HEAD = new RegExp(SIGNS.map((s) => s.head.source).join('|'));

/**
 * Victims, people trapped, a road blocked, people in the building when it fell. Being trapped, pinned or swept
 * away is about a person or a vehicle ("ranting tersangkut di kabel" is not).
 */
const DANGER = W(
  [
    'korban|luka|terluka|berdarah|darah|meninggal|sekarat|kritis|pingsan|tergeletak|tidak sadar|tidak (?:bisa )?gerak|tidak (?:bisa )?bangun|patah tulang|kepala (?:\\S+ )?bocor|tercebur',
    '(?:kaki|tangan|tulang|leher|kepala|lengan)(?: \\S+){0,2} patah',
    `(?:${PERSON}|${VEHICLE}|yang)(?: \\S+){0,3} (?:jebak|jepit|tersangkut|terkunci|terpental|terperosok|jatuh|hanyut|seret|timbun|timpa)`,
    `(?:jebak|jepit|timpa|timbun|seret|hanyut) (?:\\S+ ){0,2}(?:${PERSON}|${VEHICLE}|rumah|atap|warung|kios)`,
    `jatuh (?:ke |di |on |onto )?(?:\\S+ )?(?:rumah|atap|warung|kios|${VEHICLE}|orang)`,
    `(?:kena|mengenai|tabrak|on|onto) (?:\\S+ )?(?:${PERSON}|${VEHICLE})`,
    'tidak bisa keluar|belum (?:bisa )?keluar|masih (?:di )?(?:dalam|bawah)',
    `(?:orang|anak|lansia|penghuni|warga|pengemudi|penumpang|pekerja|keluarga|${VEHICLE})(?: \\S+){0,2} (?:di )?(?:dalam|bawah)`,
    '(?:tanah|lemah|lumpur|material|reruntuhan) (?:\\S+ )?(?:tutup|timbun|masuk)',
    '(?:saat|ketika|pas|sewaktu) (?:\\S+ ){0,2}(?:belajar|pelajaran|sekolah|ibadah|sholat|salat|acara|ramai|kerja|berlangsung|lewat|melintas|dilewati|tidur|makan)',
    'percikan|bertegangan|tengah jalan|badan jalan|tutup (?:\\S+ )?jalan|jalan (?:\\S+ )?tutup|menghalangi|tidak bisa lewat|melintang|terhalang|blocking|across',
    'evakuasi|mengungsi|minta tolong|teriak|menangis|panik|lari|pusing|mual|belum ketemu|hilang',
  ].join('|'),
);
/** Words before a danger cue that make it a worry, not a fact ("sebelum ada korban", "takut ada yang jatuh"). */
const NOT_A_FACT_BEFORE = /\b(?:sebelum|agar tidak|supaya tidak|jangan sampai|takut|khawatir|kalau|bisa|hindari|menghindari|potensi|berpotensi|bahaya)(?: \S+){0,3} $/;
/** A baby, an old or disabled person in the middle of it. */
const VULNERABLE = N('bayi|balita|lansia|lumpuh|difabel|hamil|orangtua');
/** Happening now, help wanted now. */
const NOW = N('(?<!(?:sampai|hingga) )sekarang|barusan|tadi|sedang|masih|tolong|cepat|segera|darurat|mendadak|butuh|now');
/** "tolong segera diperbaiki": the help wanted is a repair, so "tolong" and "segera" say nothing about danger now. */
const REPAIR_REQUEST = N(
  '(?:mohon|tolong|segera|harap|minta|perlu|agar)(?: \\S+){0,3} (?:perbaiki|diperbaiki|perbaikan|tindak lanjut|tindaklanjuti|ditindaklanjuti|cek|pangkas|tebang|angkut|bersihkan|ganti|benahi|tambal|proses|rapikan|keruk|normalisasi|tertibkan|survei|evaluasi|perhatikan|tinjau|perantingan|pemangkasan|penebangan|pengerukan|ditangani|dibantu perbaikan)',
);
/** The event is over, or was nothing. */
const RESOLVED = N(
  '(?<!\\b(?:belum|tidak|gagal) )(?:sudah|telah|berhasil) (?:di)?(?:padam|padamkan|surut|aman|ditangani|tangani|dievakuasi|dipotong|dibersihkan|diangkut|ditangkap|diamankan|didamaikan|damaikan|sembuh|sehat|membaik|diobati|selesai|beres|teratasi|diperbaiki|diganti|dibenerin|dicek|diderek)|(?:api|kebakaran) (?:sudah |telah )?(?:padam|mati)|aman kok|ternyata|was put out|under control|terkendali|alhamdulillah aman',
);
/** In the past: "kemarin" but not "sejak kemarin" (still going on since yesterday). */
const PAST =
  /(?<!\b(?:sejak|dari) )\b(?:kemarin|semalam|dahulu)\b|\b(?:waktu|jaman|zaman|pas) dulu\b|\b(?:se)?(?:minggu|bulan|tahun|pekan|hari|waktu|malam|sasi|taun|wulan|januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember) (?:yang )?(?:lalu|kemarin|kepungkur)\b|\bbeberapa (?:hari|minggu|bulan|waktu) (?:yang )?lalu\b|\b(?:pernah|sempat|pasca|tempo hari|silam|tadi malam)\b|\blast (?:week|month|year|night|time)\b|\bago\b|\b(?:19|20)\d\d\b/;
/**
 * Every time it rains, several times already: a standing problem, not an emergency. ("pas hujan" is left out: in
 * chat it tells what happened during this rain, "ojol jatuh ke selokan pas hujan".)
 */
const HABITUAL = N(
  'setiap|selalu|sering|langganan|musim (?:hujan|angin|kemarau)|biasanya|kerap|rutin|whenever|beberapa kali|berkali kali|berulang kali|\\d+ ?x|(?:dua|tiga|\\d+) kali|banyak (?:terjadi|korban)|memakan (?:\\S+ )?korban|(?:sudah|sejak|selama) (?:\\d+|beberapa|dua|tiga|empat|lima) (?:hari|minggu|bulan|tahun)|berhari hari|berminggu minggu|berbulan bulan|(?:kalau|bila|jika|setiap|saat|ketika|waktu) (?:turun )?hujan(?!(?: \\S+){0,3} (?:ini|tadi|barusan|sekarang))',
);
/** A question about how things work, paperwork, a request for prevention, hearsay, a film or a joke. */
const NOT_AN_EVENT = N(
  'antisipasi|pencegahan|mencegah|sosialisasi|simulasi|pelatihan|latihan|edukasi|penyuluhan|mitigasi|usul|usulan|prosedur|mekanisme|santunan|bagaimana cara|cara|syarat|tanya|(?:minta|mohon|butuh|perlu) (?:info|informasi)|informasi (?:tentang|mengenai|terkait)|nomor (?:darurat|damkar|ambulans|polisi|telepon|pemadam)|prevent|prevention|training|drill|klaim|asuransi|ganti rugi|izin|akta|dokumen|berkas|ktp|kartu keluarga|bansos|pkh|bpnt|beasiswa|daftar|mendaftar|pendaftaran|rumor|isu|hoaks|hoax|bpjs|pendampingan|bantuan (?:untuk |bagi |buat )?korban|tidak layak huni|bedah rumah|rtlh|renovasi|biaya|aduan saya|laporan saya|pengaduan saya|laporan sebelumnya|sinetron|film|adegan|drama|movie|game|mimpi|video|tv|televisi|wkwk|wkwkwk|haha|hahaha|hehe|lol|lmao|awkwk',
);
/**
 * Conditions and hearsay: signs after them in the clause are hypothetical or rumour ("kalau hujan pasti banjir",
 * "katanya ada begal"), not those before ("bau gas nemen, jarene tabung warung bocor").
 */
const CONDITION = /\b(?:(?:kalau|jika|apabila|seandainya|andai|misal|misalnya|bilamana|in case)(?! bisa)|sebelum|sakdurunge|before|jare|katanya|konon|kabarnya)\b/;
/** Thanks at the start of a clause is for something already done ("makasih damkar tadi cepat"), not in advance. */
const THANKS_FIRST = /^(?:\S+ ){0,2}(?:terima kasih|thank)(?! (?:sebelumnya|sebelum|atas perhatian|in advance))/;
/** Words shortly before a sign that make it a risk, not an event ("takut roboh", "rawan begal", "agar tidak jatuh"). */
const RISK_BEFORE =
  /\b(?:takut|khawatir|was was|rawan|rentan|hampir|nyaris|berpotensi|potensi|risk of|risiko|resiko|berisiko|beresiko|agar|supaya|biar|jangan sampai|menghindari|bisa bisa|bahaya|membahayakan|berbahaya|terancam)(?: \S+){0,3} $/;
/** "mau roboh" is a risk, but "mau melahirkan" and "mau bunuh" are emergencies: these apply to other kinds only. */
const INTENT_BEFORE = /\b(?:bisa|dapat|mau|akan|kayak mau|seperti mau)(?: \S+){0,1} $/;
/** Negation right before a sign ("bukan kebakaran", "bukan karena pohon tumbang"). */
const NEGATION_BEFORE = /\b(?:(?:tidak|belum|tanpa|no)(?: ada)?|bukan(?: karena| akibat)?(?: \S+){0,2})(?: yang)? $/;
/** "kebakaran" naming a thing, not an event ("hidran kebakaran", "pemadam kebakaran", "surat keterangan kebakaran"). */
const FIRE_THING_BEFORE =
  /\b(?:hidran|hydrant|damkar|kembang|mobil|pos|dinas|petugas|alat|bahaya|latihan|simulasi|pencegahan|penanggulangan|keselamatan|keterangan|asuransi|rawan|lokasi|korban|ancaman|gunung) $/;
/** An aftermath, not an event ("bekas longsor", "sisa kebakaran", "pasca banjir"). */
const AFTERMATH_BEFORE = /\b(?:bekas|sisa|pasca|puing|akibat|musibah)(?: \S+)? $/;
/** Figurative: "otakku kebakaran", "harga cabe meledak", "hatiku ambruk", "tiktok ku meledak". */
const FIGURATIVE_BEFORE =
  /\b(?:otak|mulut|hati|ati|lidah|perut|dompet|jantung|pikiran|harga|views|follower|followers|tiktok|konten|saham|emosi|grup|chat|kepala)(?: \S+){0,1} $/;
const FIGURATIVE_AFTER = /^ (?:mental|soal|gara|perkara|masalah|tugas|wkwk|haha|harga|diskon|jenggot)\b/;
/** Body words before a sign are literal for medical signs ("mulutnya berbusa", "kepalanya bocor"). */
const FIGURATIVE_KINDS: ReadonlySet<EmergencyKind> = new Set(['fire', 'collapse', 'violence', 'flood']);
/** A comparison: "harga naik kayak banjir bandang", "rame kyk perang". ("kyk e kobong", it seems to burn, is not one.) */
const SIMILE_BEFORE = /\b(?:kayak|seperti|bagai|bagaikan|like|koyok|koyo|kaya|ibarat)(?: \S+)? $/;
/** No one hurt: an accident without victims is not an emergency. */
const NO_VICTIM = N('tidak ada (?:yang )?(?:korban|luka|terluka)|tanpa korban|tidak (?:ada )?luka|cuma lecet|hanya lecet|lecet|luka ringan|kecelakaan ringan|semua selamat|selamat semua');

const INTENT_EXEMPT: ReadonlySet<EmergencyKind> = new Set(['medical', 'violence']);
/** Of the exempt kinds, these are an emergency when only about to happen ("mau melahirkan", "mau bunuh"); "mau ambruk" is not. */
const INTENT_STILL_URGENT = /^(?:melahirkan|ketuban|bunuh|lompat|loncat|terjun|gantung|kejang|pingsan|tersedak|todong|bacok|tusuk|pukul|hajar|serang|celurit|parang|golok|pisau|pedang|pistol)/;

/** Every word the patterns use: the normaliser reduces affixed forms to these. */
const VOCABULARY: ReadonlySet<string> = new Set(
  [
    ...SIGNS.flatMap((s) => [s.head, ...(s.near ?? []), s.notNear, s.unlessClause, s.notBefore, s.notAfter, s.subject?.among].filter((re) => re !== undefined)),
    DANGER,
    VULNERABLE,
    NOW,
    REPAIR_REQUEST,
    RESOLVED,
    PAST,
    HABITUAL,
    NOT_AN_EVENT,
    NO_VICTIM,
    NOT_A_FACT_BEFORE,
    CONDITION,
    RISK_BEFORE,
    INTENT_BEFORE,
    CAUSED_BY_BEFORE,
    NEGATION_BEFORE,
    FIRE_THING_BEFORE,
    AFTERMATH_BEFORE,
    FIGURATIVE_BEFORE,
    FIGURATIVE_AFTER,
    SIMILE_BEFORE,
  ].flatMap((re) => re.source.replace(/\\[a-zA-Z]/g, ' ').match(/[a-z]{3,}/g) ?? []),
);

const normalise = createEmergencyNormaliser(VOCABULARY);

/**
 * Lower-case words, chat, Javanese, Madurese and English spellings mapped to Indonesian, affixed forms reduced to
 * the detector's words ("ketabrak" → "tabrak", "omahe kobong" → "rumah terbakar").
 */
export function normaliseForEmergency(text: string): string {
  return normalise(text);
}

/** Clauses a cue applies to: sentences (not the dot of "Jl." or "RT."), and the parts around "tapi"/"but". */
function splitClauses(text: string): string[] {
  return text
    .split(
      /[!?;\n]+|(?<!\b(?:jl|jln|gg|no|rt|rw|kel|kec|dr|drs|pak|bpk|bu|sdn|smpn|sman|st|kav|blok|telp|tlp|ds|dsn|kab|lt|rs|ps|hj|ir|prof|dkk|km|nmr|jend|kol|[a-z]))\.+(?!\d)|,?\s+\b(?:tapi|tetapi|namun|but|however|tp|tpi|nanging)\b/i,
    )
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

interface KindScore {
  kind: EmergencyKind;
  score: number;
  /** Where its first sign starts: the first event named is what happened ("pohon tumbang … genteng ambrol"). */
  position: number;
}

/** How one clause was read: for the eval script's listing of misses, and for debugging a rule. */
export interface ClauseExplanation {
  clause: string;
  normalised: string;
  /** The cue that made the whole clause context, not an event. */
  cancelledBy?: 'resolved' | 'past' | 'habitual' | 'not-an-event' | 'thanks';
  signs: Array<{ kind: EmergencyKind; strength: number; text: string }>;
  bonuses: Array<'danger' | 'now' | 'vulnerable'>;
  scores: KindScore[];
}

function hasDanger(haystack: string): boolean {
  DANGER.lastIndex = 0;
  for (let m = DANGER.exec(haystack); m !== null; m = DANGER.exec(haystack)) {
    const before = haystack.slice(Math.max(0, m.index - LOOKBACK_CHARS), m.index);
    if (!NOT_A_FACT_BEFORE.test(before) && !NEGATION_BEFORE.test(before)) return true;
  }
  return false;
}

function lastWords(text: string, n: number): string {
  const words = text.split(' ');
  return words.slice(Math.max(0, words.length - n)).join(' ');
}

function firstWords(text: string, n: number): string {
  return text.trim().split(' ').slice(0, n).join(' ');
}

function cancelCue(haystack: string, words: string): ClauseExplanation['cancelledBy'] {
  if (RESOLVED.test(haystack)) return 'resolved';
  if (PAST.test(haystack)) return 'past';
  if (HABITUAL.test(haystack)) return 'habitual';
  if (NOT_AN_EVENT.test(haystack)) return 'not-an-event';
  if (THANKS_FIRST.test(words)) return 'thanks';
  return undefined;
}

function scoreClause(clause: string): ClauseExplanation {
  const words = normaliseForEmergency(clause);
  const explanation: ClauseExplanation = { clause, normalised: words, signs: [], bonuses: [], scores: [] };
  if (words === '') return explanation;
  const haystack = ` ${words} `;
  // Most messages name no emergency at all: one pass over every sign's head settles them.
  if (!ANY_HEAD.test(haystack)) return explanation;
  const condition = CONDITION.exec(haystack);
  const conditionAt = condition ? condition.index : Infinity;
  const best = new Map<EmergencyKind, { strength: number; position: number; evidence: Array<{ sign: number; at: number }> }>();
  // Several signs share a clause condition: test each once per clause.
  const clauseTests = new Map<RegExp, boolean>();
  const clauseHas = (re: RegExp) => clauseTests.get(re) ?? clauseTests.set(re, re.test(haystack)).get(re)!;
  for (let signIndex = 0; signIndex < SIGNS.length; signIndex++) {
    const sign = SIGNS[signIndex];
    if (sign.unlessClause && clauseHas(sign.unlessClause)) continue;
    sign.head.lastIndex = 0;
    for (let match = sign.head.exec(haystack); match !== null; match = sign.head.exec(haystack)) {
      const at = match.index;
      if (at > conditionAt) continue;
      // Cues before a sign are read from its last words only: enough for every window, and fast on long clauses.
      const from = at > LOOKBACK_CHARS ? haystack.indexOf(' ', at - LOOKBACK_CHARS) : 0;
      const before = haystack.slice(from, at);
      const after = haystack.slice(at + match[0].length, at + match[0].length + LOOKBACK_CHARS);
      if (NEGATION_BEFORE.test(before) || AFTERMATH_BEFORE.test(before)) continue;
      // "mobil kebakaran" is a fire engine, "mobil terbakar" a burning car.
      if (sign.kind === 'fire' && /^(?:kebakaran|fire)$/.test(match[0]) && FIRE_THING_BEFORE.test(before)) continue;
      if (RISK_BEFORE.test(before) || SIMILE_BEFORE.test(before) || sign.notBefore?.test(before) || sign.notAfter?.test(after)) continue;
      if (INTENT_BEFORE.test(before) && !(INTENT_EXEMPT.has(sign.kind) && INTENT_STILL_URGENT.test(match[0]))) continue;
      if (FIGURATIVE_AFTER.test(after) || (FIGURATIVE_KINDS.has(sign.kind) && FIGURATIVE_BEFORE.test(before))) continue;
      let position = at;
      if (sign.near || sign.notNear || sign.subject) {
        const window = sign.window ?? DEFAULT_WINDOW;
        const trimmed = before.trimEnd();
        const beforeWindow = lastWords(trimmed, window);
        const afterWindow = firstWords(after, sign.after ?? window);
        if (sign.notNear && (sign.notNear.test(beforeWindow) || sign.notNear.test(afterWindow))) continue;
        let found = true;
        for (const re of sign.near ?? []) {
          const earlier = re.exec(beforeWindow);
          // The thing named before the event is its subject ("pohon … ambruk"): the event starts there.
          if (earlier) position = Math.min(position, from + trimmed.length - beforeWindow.length + earlier.index);
          else if (!re.test(afterWindow)) found = false;
        }
        if (!found) continue;
        if (sign.subject) {
          const named = [...beforeWindow.matchAll(sign.subject.among)][0] ?? [...afterWindow.matchAll(sign.subject.among)][0];
          if (!named || !sign.subject.must.test(named[0])) continue;
        }
      }
      const entry = best.get(sign.kind) ?? { strength: 0, position, evidence: [] };
      entry.strength = Math.max(entry.strength, sign.strength);
      entry.position = Math.min(entry.position, position);
      entry.evidence.push({ sign: signIndex, at });
      best.set(sign.kind, entry);
      explanation.signs.push({ kind: sign.kind, strength: sign.strength, text: match[0] });
    }
  }
  if (best.size === 0) return explanation;
  // A clause about the past, a standing problem or a question is context, not an emergency.
  explanation.cancelledBy = cancelCue(haystack, words);
  if (explanation.cancelledBy) {
    explanation.signs = [];
    return explanation;
  }
  const noVictim = NO_VICTIM.test(haystack);
  const danger = !noVictim && hasDanger(haystack);
  const now = NOW.test(haystack) && !REPAIR_REQUEST.test(haystack);
  const vulnerable = VULNERABLE.test(haystack);
  if (danger) explanation.bonuses.push('danger');
  if (now) explanation.bonuses.push('now');
  if (vulnerable) explanation.bonuses.push('vulnerable');
  for (const [kind, { strength, position, evidence }] of best) {
    let score = strength;
    if (danger) score += DANGER_BONUS;
    if (now) score += NOW_BONUS;
    if (vulnerable) score += VULNERABLE_BONUS;
    // Independent evidence: two different signs at two different places ("tawuran … bawa celurit").
    // A generic weak sign ("banjir", "kecelakaan") is in every such message: it backs up nothing.
    const independent = evidence.filter((e) => SIGNS[e.sign].strength !== WEAK);
    const corroborated = independent.some((a) => independent.some((b) => a.sign !== b.sign && a.at !== b.at));
    if (corroborated) score += CORROBORATION_BONUS;
    if (kind === 'accident' && noVictim) score = Math.min(score, WEAK);
    explanation.scores.push({ kind, score: Math.min(1, Math.round(score * 100) / 100), position });
  }
  return explanation;
}

/**
 * The clause's emergency: of the kinds that reach the threshold, the strongest, and on a tie the first one named, because the first event is
 * usually the cause ("pohon tumbang … gentengnya ambrol"); someone hurt (medical) only when nothing caused it (an
 * accident, a collapse or a fire has its own numbers). Below the threshold, the strongest sign.
 */
/** Kinds scoring this close are a tie, decided by which was named first; a clearly stronger kind wins outright. */
const KIND_TIE = 0.05;
function pickKind(scores: KindScore[]): KindScore | undefined {
  if (scores.length === 0) return undefined;
  const top = Math.max(...scores.map((s) => s.score));
  const urgent = scores.filter((s) => s.score >= URGENT_THRESHOLD);
  const causes = urgent.filter((s) => s.kind !== 'medical');
  const pool = causes.length > 0 ? causes : urgent.length > 0 ? urgent : scores;
  const poolTop = Math.max(...pool.map((s) => s.score));
  const first = pool.filter((s) => s.score >= poolTop - KIND_TIE).reduce((a, b) => (b.position < a.position ? b : a));
  return { ...first, score: top };
}

/** detectEmergency with the reading of every clause. */
export function explainEmergency(text: string): EmergencyDetection & { clauses: ClauseExplanation[] } {
  let best: KindScore | undefined;
  const clauses = splitClauses(text).map(scoreClause);
  for (const c of clauses) {
    // "ada bau gas? ternyata bau limbah": a later clause saying it is over or was nothing clears what came before.
    if (best && best.score >= URGENT_THRESHOLD && c.scores.length === 0 && RESOLVED.test(` ${c.normalised} `)) best = undefined;
    const candidate = pickKind(c.scores);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  if (!best) return { urgent: false, confidence: 0, clauses };
  const confidence = Math.round(best.score * 100) / 100;
  return { urgent: confidence >= URGENT_THRESHOLD, kind: best.kind, confidence, clauses };
}

/**
 * Offline emergency detection: patterns over normalised words (Indonesian, Javanese, Madurese, English), with
 * negation ("bukan kebakaran"), time and habit cues ("kemarin sudah padam", "banjir tiap hujan"), conditions
 * ("kalau hujan pasti banjir"), risk words ("takut roboh") and figurative use ("otakku kebakaran") in the same
 * clause. Pure and fast (tens of microseconds for a chat message); the LLM's flag, when configured, is combined
 * with it by combineEmergency.
 */
export function detectEmergency(text: string): EmergencyDetection {
  const { urgent, kind, confidence } = explainEmergency(text);
  return kind === undefined ? { urgent, confidence } : { urgent, kind, confidence };
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
