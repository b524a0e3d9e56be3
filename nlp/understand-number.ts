import { coreWords } from './message-words.ts';

/** Number words as citizens type them: Indonesian, Javanese, English, and the ordinals of a list ("yang kedua"). */
const NUMBER_WORDS: Record<string, number> = {
  nol: 0, kosong: 0, zero: 0,
  satu: 1, siji: 1, setunggal: 1, one: 1, pertama: 1, kesatu: 1, first: 1,
  dua: 2, loro: 2, kalih: 2, two: 2, kedua: 2, second: 2, duwa: 2,
  tiga: 3, telu: 3, tigo: 3, three: 3, ketiga: 3, third: 3,
  empat: 4, papat: 4, sekawan: 4, four: 4, keempat: 4, fourth: 4, ampat: 4,
  lima: 5, limo: 5, gangsal: 5, five: 5, kelima: 5, fifth: 5,
  enam: 6, enem: 6, six: 6, keenam: 6,
  tujuh: 7, pitu: 7, seven: 7, ketujuh: 7,
  delapan: 8, wolu: 8, eight: 8, kedelapan: 8,
  sembilan: 9, songo: 9, sanga: 9, nine: 9, kesembilan: 9,
  sepuluh: 10, sedoso: 10, ten: 10, kesepuluh: 10,
};
/** Words around a number that do not change it: "nomor 2", "pilih yang kedua", "5 bintang", "nilai 4". */
const AROUND = new Set([
  'no', 'nomor', 'nomer', 'nmr', 'angka', 'pilih', 'pilihan', 'option', 'opsi', 'yang', 'yg', 'sing', 'number', 'the', 'choose', 'pick',
  'bintang', 'bintange', 'star', 'stars', 'nilai', 'nilainya', 'skor', 'score', 'rating', 'rate', 'kasih', 'beri', 'saya', 'aku', 'sy',
  'kasi', 'ngasih', 'tak', 'tek', 'i', 'give', 'it', 'a', 'dari', 'out', 'of', 'saja', 'aja', 'ae', 'wae', 'poin', 'point', 'points', 'buat',
  'untuk', 'dengan', 'ya', 'deh', 'sih', 'dong', 'mau', 'ingin', 'pakai', 'pake', 'nilaine', 'tok',
]);
const STARS = /[⭐★🌟✨]/gu;

/**
 * The one number a short answer means: "2", "dua", "no. 2", "yang kedua", "lima bintang", "⭐⭐⭐⭐", "4/5",
 * "4 dari 5". Undefined when there is none or more than one ("2 atau 3"). A longer text with a number inside
 * ("sudah 2 minggu") is not an answer, so words other than these make it undefined.
 */
export function readNumber(text: string): number | undefined {
  const trimmed = text.trim();
  const stars = trimmed.match(STARS)?.length ?? 0;
  const withoutStars = trimmed.replace(STARS, ' ').replace(/\uFE0F/g, '');
  // "4/5", "4 / 5", "4 dari 5", "4 out of 5": the first number is the answer.
  const outOf = /^\s*(\d{1,2})\s*(?:\/|dari|out\s+of|of)\s*(?:5|10)\s*(?:bintang|stars?)?\s*$/i.exec(withoutStars);
  if (outOf) return Number(outOf[1]);
  const words = coreWords(withoutStars).split(' ').filter(Boolean);
  if (words.length === 0) return stars > 0 ? stars : undefined;
  const numbers: number[] = [];
  for (const word of words) {
    if (/^\d{1,3}$/.test(word)) numbers.push(Number(word));
    else if (word in NUMBER_WORDS) numbers.push(NUMBER_WORDS[word]);
    else if (/^ke\d{1,2}$/.test(word)) numbers.push(Number(word.slice(2)));
    else if (!AROUND.has(word)) return undefined;
  }
  if (numbers.length === 1) return stars > 0 && stars !== numbers[0] ? undefined : numbers[0];
  if (numbers.length === 0 && stars > 0) return stars;
  return undefined;
}

/** A 1-5 service rating ("lima", "5 bintang", "⭐⭐⭐⭐", "4/5"); undefined when the text is not one. */
export function readRating(text: string): number | undefined {
  const n = readNumber(text);
  return n !== undefined && n >= 1 && n <= 5 ? n : undefined;
}
