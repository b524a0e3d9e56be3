import { coreWords, hasPhrase, plainWords } from './message-words.ts';
import { readNumber } from './understand-number.ts';

export type PrivacyChoice = 'biasa' | 'anonim' | 'rahasia';

const BIASA = [
  'biasa', 'normal', 'umum', 'public', 'publik', 'terbuka', 'open', 'bebas', 'terserah', 'gpp', 'gapapa', 'nggak apa apa', 'tidak apa apa',
  'ga apa apa', 'gak apa apa', 'ndak apa apa', 'standar', 'standard', 'regular', 'biasa saja', 'yang biasa', 'pilihan biasa', 'apa adanya',
  'no need', 'its fine', 'fine', 'ok biasa', 'biasa wae', 'sembarang', 'bebas aja', 'terserah admin', 'gpp nama saya ditampilkan',
];
const ANONIM = [
  'anonim', 'anonym', 'anonymous', 'anon', 'anonimus', 'anonymously', 'tanpa nama', 'sembunyikan nama', 'sembunyikan identitas',
  'rahasiakan identitas', 'rahasiakan nama', 'rahasiakan nama saya', 'rahasiakan identitas saya', 'nama dirahasiakan',
  'identitas dirahasiakan', 'jangan sebut nama', 'jangan tampilkan nama', 'jangan tampilkan nama saya', 'nama jangan ditampilkan',
  'tidak usah pakai nama', 'gak usah pakai nama', 'hide my name', 'hide my identity', 'keep my name hidden', 'without my name',
  'no name', 'identitas disembunyikan', 'nama disembunyikan', 'sembunyikan', 'samarkan', 'hamba allah', 'nama saya dirahasiakan',
];
const RAHASIA = [
  'rahasia', 'confidential', 'private', 'secret', 'privat', 'pribadi', 'tertutup', 'closed', 'isi dirahasiakan', 'rahasiakan isinya',
  'rahasiakan isi', 'isi rahasia', 'jangan dipublikasikan', 'jangan dipublikasi', 'jangan disebar', 'jangan diumumkan', 'tidak untuk umum',
  'not public', 'keep it private', 'keep it secret', 'rahasia aja', 'sangat rahasia', 'sensitif', 'sensitive',
];

/**
 * Biasa, anonim or rahasia from "2", "dua", "yang kedua", "anonim aja min", "biasa aja", "rahasiakan nama saya",
 * "keep my name hidden". Undefined when the answer names none of them (or more than one).
 */
export function readPrivacy(text: string): PrivacyChoice | undefined {
  const n = readNumber(text);
  if (n !== undefined) return (['biasa', 'anonim', 'rahasia'] as const)[n - 1];
  const core = coreWords(text);
  const plain = plainWords(text);
  const found = new Set<PrivacyChoice>();
  for (const [choice, list] of [['biasa', BIASA], ['anonim', ANONIM], ['rahasia', RAHASIA]] as const) {
    if (list.includes(core) || list.includes(plain) || hasPhrase(plain, list.filter((p) => p.length >= 4))) found.add(choice);
  }
  // "rahasiakan identitas" names rahasia's word but means anonim; the longer phrase wins.
  if (found.has('anonim') && found.has('rahasia') && hasPhrase(plain, ANONIM.filter((p) => p.includes(' ')))) return 'anonim';
  return found.size === 1 ? [...found][0] : undefined;
}
