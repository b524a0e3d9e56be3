import { normalizeForMatch } from '../lib/city-profile.ts';

/**
 * Detects integrity complaints: an officer or office of the city asking for money (pungli, bribes, "biar
 * cepat"), cutting aid, refusing service or treating citizens rudely. These go to the Inspektorat, never to the
 * unit or OPD accused (domain/route-case). Offline rules, not a model: the classes are few and their wording
 * is formulaic, a miss only means the case follows the normal route (where the admin instansi still sees it),
 * and the rules run before any LLM so the decision never depends on a provider.
 */

export type IntegrityKind = 'extortion' | 'bribery' | 'refused_service' | 'rudeness';

export interface IntegrityVerdict {
  integrity: boolean;
  kind?: IntegrityKind;
  /** The phrases that decided it, for the case's classification note (never logged: they are citizen text). */
  cues: string[];
}

// Patterns run on normalizeForMatch output: lower case, letters and digits separated by single spaces.
const rx = (source: string) => new RegExp(`(?:^| )(?:${source})(?= |$)`);

/** Words that alone name a bribe or an extortion. */
const STRONG: Array<[RegExp, IntegrityKind]> = [
  [rx('pungli|pungutan liar|pungutan tidak resmi|pungutan tdk resmi'), 'extortion'],
  [rx('pemerasan|diperas|memeras|meras|malak|dipalak|memalak'), 'extortion'],
  [rx('suap|disuap|menyuap|nyuap|suapan|sogok|sogokan|nyogok|disogok|menyogok|gratifikasi'), 'bribery'],
  [rx('uang pelicin|pelicin|uang rokok|uang damai|uang terima kasih|uang lelah|uang bensin|uang kopi|di bawah meja|bawah meja'), 'bribery'],
];
/** A strong word right after these is the opposite ("tidak ada pungli", "bebas pungli"). */
const NEGATED = rx('(?:tidak ada|tdk ada|gak ada|ga ada|nggak ada|tanpa|bebas|anti|stop|cegah|berantas) (?:pungli|pungutan liar|suap|sogok|pemerasan|gratifikasi|korupsi)');

const MONEY = '(?:uang|duit|biaya|bayar|bayaran|imbalan|ongkos|tip|jatah|fee|komisi|sumbangan|setoran|sejumlah uang)';
/** The citizen was asked to pay: passive forms name the victim, so an office in the text is enough context. */
const ASKED_PASSIVE = rx(`(?:dimintai|diminta|dimintain|dimintak|disuruh|ditarik|dipungut|dikenakan|ditarikin|dipinta) (?:\\S+ ){0,4}${MONEY}`);
/** Someone asks for money: only an officer asking counts (a citizen "minta uang bantuan" is not misconduct). */
const ASKS_ACTIVE = rx(`(?:minta|meminta|mintain|mintak|narik|menarik|memungut|minta minta|mematok|matok) (?:\\S+ ){0,2}${MONEY}`);
/** Paying to get a free service, or with no receipt. */
const PAID_FOR_FREE = rx('(?:padahal|harusnya|seharusnya|katanya) (?:gratis|tidak dipungut biaya|tdk bayar|tidak bayar|free)|tanpa (?:kuitansi|kwitansi|bukti bayar|nota)|biar cepat|supaya cepat|agar cepat|biar dipercepat|lewat orang dalam|kalau tidak (?:kasih|bayar|ngasih)|kalau gak (?:kasih|bayar|ngasih)');
const PAY = rx(`(?:bayar|membayar|kasih|ngasih|memberi|setor|${MONEY})`);
/** Aid cut by whoever hands it out. */
const AID_CUT = rx('(?:dipotong|potongan|dipangkas|disunat|motong|memotong)');
const AID = rx('bansos|bantuan|bpnt|pkh|blt|sembako|beras bantuan');

const REFUSED = rx(
  'menolak melayani|tidak mau melayani|tdk mau melayani|gak mau melayani|ga mau melayani|nggak mau melayani|enggan melayani|tidak dilayani|tdk dilayani|gak dilayani|ga dilayani|nggak dilayani|ditolak berobat|menolak pasien|pasien ditolak|ditolak (?:di |oleh )?(?:puskesmas|pustu|rsud)|ditolak petugas|dipersulit|mempersulit|dilempar lempar|diusir|mengusir',
);
const RUDE = rx('kasar|membentak|dibentak|bentak|bentak bentak|judes|ketus|tidak sopan|tdk sopan|gak sopan|tidak ramah|tdk ramah|marah marah|dimarahi|memaki|dimaki|maki maki|menghina|dihina|merendahkan|cuek');

/** Who: people working for the city (including contracted and school staff). */
const OFFICER = rx(
  'petugas|pegawai|staf|staff|karyawan|oknum|aparat|aparatur|asn|pns|honorer|operator|lurah|camat|sekcam|seklur|perangkat kelurahan|orang kelurahan|orang kecamatan|orang dinas|pihak kelurahan|pihak kecamatan|pihak puskesmas|pihak dinas|perawat|dokter|bidan|apoteker|guru|kepala sekolah|kepsek|pendamping|satpol pp|satpol|admin kelurahan|bagian pendaftaran|petugas loket|orang dalam',
);
/** Where: city offices and service points. */
const OFFICE = rx('kelurahan|kecamatan|kantor lurah|kantor camat|puskesmas|pustu|dispendukcapil|dukcapil|capil|mpp|mal pelayanan publik|balai kota|balaikota|rsud|kantor dinas|loket');
/** People who ask for money but are not the city's officers: their cases belong to Dishub, Satpol PP, the police. */
const NON_OFFICER = rx('jukir|juru parkir|tukang parkir|parkir liar|preman|pengamen|pengemis|ormas|calo tiket|debt collector|pinjol');

/** Decides whether a complaint accuses an officer or office of the city of misconduct. */
export function detectIntegrityComplaint(text: string): IntegrityVerdict {
  const haystack = normalizeForMatch(text);
  const cues: string[] = [];
  const found = (re: RegExp) => {
    const m = re.exec(haystack);
    if (m) cues.push(m[0].trim());
    return !!m;
  };
  const officer = found(OFFICER);
  const office = found(OFFICE);
  // A parking attendant or a street thug asking for money is not the city's officer, unless one is named too.
  const onlyNonOfficer = NON_OFFICER.test(haystack) && !officer;
  const verdict = (kind: IntegrityKind): IntegrityVerdict => ({ integrity: true, kind, cues });

  const negated = NEGATED.test(haystack);
  for (const [re, kind] of STRONG) {
    if (!negated && !onlyNonOfficer && found(re)) return verdict(kind);
  }
  if (onlyNonOfficer) return { integrity: false, cues: [] };
  if (found(ASKED_PASSIVE) && (officer || office)) return verdict('extortion');
  if (found(ASKS_ACTIVE) && officer) return verdict('extortion');
  if ((officer || office) && PAY.test(haystack) && found(PAID_FOR_FREE)) return verdict('extortion');
  if (officer && AID.test(haystack) && found(AID_CUT)) return verdict('extortion');
  if ((officer || office) && found(REFUSED)) return verdict('refused_service');
  if (officer && found(RUDE)) return verdict('rudeness');
  return { integrity: false, cues: [] };
}
