import { coreWords, hasPhrase, plainWords } from './message-words.ts';

export interface Satisfaction {
  verdict: 'puas' | 'belum';
  /** The citizen's own words when they said more than the verdict ("masih banjir min"); "" otherwise. */
  reason: string;
}

const PUAS = [
  'puas', 'sudah puas', 'udah puas', 'sangat puas', 'puas sekali', 'cukup puas', 'selesai', 'sudah selesai', 'udah selesai', 'beres',
  'sudah beres', 'udah beres', 'wis beres', 'wes beres', 'wis rampung', 'wes rampung', 'rampung', 'sudah diperbaiki', 'udah diperbaiki',
  'sudah ditangani', 'udah ditangani', 'sudah bagus', 'udah bagus', 'sudah oke', 'udah oke', 'sudah aman', 'udah aman', 'aman', 'mantap',
  'mantab', 'solved', 'satisfied', 'yes solved', 'its solved', 'it is solved', 'fixed', 'its fixed', 'all good',
  'sudah', 'udah', 'sudah kok', 'sudah normal', 'udah normal', 'sudah lancar', 'udah lancar', 'sudah nyala', 'udah nyala',
  'sudah bersih', 'udah bersih', 'sudah diangkut', 'udah diangkut', 'sudah dikerjakan', 'udah dikerjakan', 'ya sudah', 'terima kasih sudah',
  'makasih sudah', 'matur nuwun sampun', 'sampun', 'sampun rampung',
];
const BELUM_BARE = [
  'belum', 'belom', 'blm', 'durung', 'belum selesai', 'belum puas', 'belum beres', 'tidak puas', 'gak puas', 'ga puas', 'nggak puas',
  'kurang puas', 'not solved', 'not yet', 'not solved yet', 'unsatisfied', 'not satisfied', 'no', 'tidak', 'gak', 'nggak', 'ndak',
  'belum sama sekali', 'blm selesai', 'belum min', 'durung rampung', 'durung beres', 'kecewa', 'sangat kecewa', 'mengecewakan',
];
/** A sentence with one of these says the problem is still there: "masih banjir min", "tetep bau", "sama saja". */
const STILL = [
  'masih', 'tetap', 'tetep', 'msh', 'still', 'sama saja', 'sama aja', 'podo ae', 'padha wae', 'belum ada yang datang',
  'tidak ada perubahan', 'gak ada perubahan', 'ga ada perubahan', 'nggak ada perubahan', 'no change', 'nothing changed', 'belum diperbaiki',
  'belum ditangani', 'belum dikerjakan', 'belum diangkut', 'belum dibersihkan', 'belum ada tindakan', 'belum ada tindak lanjut',
  'tidak ditangani', 'gak ditangani', 'ga ditangani', 'tidak diperbaiki', 'gak diperbaiki', 'malah', 'makin parah', 'tambah parah',
  'semakin parah', 'kambuh', 'lagi lagi', 'balik lagi', 'muncul lagi', 'rusak lagi', 'mati lagi', 'banjir lagi', 'bohong', 'hoax',
  'not fixed', 'isnt fixed', 'is not fixed', 'nobody came', 'no one came', 'belum ada petugas', 'tidak ada petugas', 'gak ada petugas',
  'durung', 'jek', 'sek', 'isih',
];

/**
 * "puas" or "belum" after an agency's answer, from free text: "sudah beres min, makasih" is puas; "masih banjir
 * min" and "belum, airnya masih mati" are belum, and the text is kept as the citizen's reason. Undefined when
 * the text says neither, so an unrelated message goes on to the intake flow.
 */
export function readSatisfaction(text: string): Satisfaction | undefined {
  const core = coreWords(text);
  const plain = plainWords(text);
  if (core === '') return undefined;
  if (BELUM_BARE.includes(core) || BELUM_BARE.includes(plain)) return { verdict: 'belum', reason: '' };
  // "belum, airnya masih mati" and "belum diperbaiki" answer the question; "Belum ada lampu jalan di gang saya"
  // is a new complaint and is left to the intake flow.
  const lead = /^(?:belum|belom|blm|durung)(?:\s*[,.:;!-]+\s*|\s+(?=(?:di\w+|selesai|beres|rampung|ada\s+(?:perubahan|tindak|petugas|yang|respon|kabar|perbaikan)|juga|kok|min|kak|pak|bu|sama\s+sekali)\b))([\s\S]+)$/i.exec(text.trim());
  if (lead) return { verdict: 'belum', reason: lead[1].trim() };
  if (hasPhrase(plain, STILL)) return { verdict: 'belum', reason: text.trim() };
  if (PUAS.includes(core) || PUAS.includes(plain)) return { verdict: 'puas', reason: '' };
  const words = core.split(' ');
  // "sudah beres makasih", "puas banget min": a puas phrase at the start, thanks or praise after it.
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    if (PUAS.includes(words.slice(0, n).join(' ')) && /^(?:\s*(?:terima kasih|makasih|makasi|suwun|matur nuwun|thanks|thank you|banget|bgt|sekali|ya|sangat|pol|mantap|tq)\b)*\s*$/.test(words.slice(n).join(' '))) {
      return { verdict: 'puas', reason: '' };
    }
  }
  return undefined;
}
