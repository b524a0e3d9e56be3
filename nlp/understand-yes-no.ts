import { coreWords, plainWords, undoubled } from './message-words.ts';

const YES = [
  'ya', 'y', 'yy', 'iya', 'iy', 'iyah', 'iyo', 'iye', 'yo', 'yoi', 'yup', 'yap', 'yep', 'yes', 'yess', 'yeah', 'ok', 'oke', 'okey', 'okay',
  'okee', 'okeh', 'k', 'kk', 'sip', 'sipp', 'siap', 'betul', 'benar', 'bener', 'leres', 'nggih', 'njih', 'enggih', 'inggih', 'ho oh',
  'hooh', 'he eh', 'heeh', 'lanjut', 'lanjutkan', 'gas', 'gass', 'boleh', 'setuju', 'kirim', 'kirimkan', 'sure', 'correct', 'right',
  'go ahead', 'go', 'of course', 'tentu', 'tentu saja', 'pasti', 'mantap', 'sudah benar', 'udah benar', 'udah bener', 'sudah bener',
  'sudah', 'udah', 'sdh', 'wis', 'wes', 'ya benar', 'iya benar', 'ya betul', 'iya betul', 'bener banget', 'benar sekali', 'ya kirim',
  'iya kirim', 'ya lanjut', 'iya lanjut', 'tetap lanjut', 'tetap', 'lanjut saja', 'sip lanjut', 'oke lanjut', 'ok lanjut', 'yes please',
  'yes send', 'send', 'send it', 'that is right', 'thats right', 'its right', 'ya sudah', 'yaudah', 'ya udah', 'iya dong', 'jelas',
  'he em', 'hem', 'ok sip', 'oke sip', 'siap lanjut', 'nggih leres', 'mangga', 'monggo', 'silakan', 'silahkan',
];
const NO = [
  'tidak', 'tdk', 'tak', 'gak', 'ga', 'gk', 'g', 'nggak', 'ngga', 'nggk', 'enggak', 'engga', 'enggak', 'ndak', 'nda', 'ndk', 'gak', 'kagak',
  'no', 'nope', 'nah', 'nay', 'not', 'bukan', 'bkn', 'jangan', 'jgn', 'ojo', 'ora', 'mboten', 'mboten leres', 'salah', 'keliru',
  'tidak jadi', 'gak jadi', 'ga jadi', 'nggak jadi', 'ndak jadi', 'gk jadi', 'tdk jadi', 'ora sido', 'gak sido', 'ga sido', 'nggak sido',
  'ndak sido', 'gak usah', 'ga usah', 'nggak usah', 'tidak usah', 'tdk usah', 'ndak usah', 'no thanks', 'no thank you', 'not really',
  'tidak perlu', 'gak perlu', 'ga perlu', 'nggak perlu', 'bukan itu', 'belum', 'belom', 'durung', 'tidak benar', 'kurang tepat', 'wrong',
  'tidak tidak', 'gak gak', 'mboten wonten', 'mboten enten', 'boten', 'ora ono', 'ora ana', 'ora usah', 'mboten usah',
];

export type YesNo = 'yes' | 'no';

/**
 * Informal yes and no in Indonesian, Javanese and English ("iya min", "yoi", "nggih", "gak", "ndak",
 * "tidak jadi", "nope"). Undefined for anything else, so a longer sentence is never taken for an answer.
 */
export function readYesNo(text: string): YesNo | undefined {
  if (/^\s*(?:👍|👌|✅|🙏|👍🏻|👍🏼|👍🏽)+\s*$/u.test(text)) return 'yes';
  if (/^\s*(?:👎|❌|🙅|🙅‍♂️|🙅‍♀️)+\s*$/u.test(text)) return 'no';
  const core = coreWords(text);
  if (YES.includes(core)) return 'yes';
  if (NO.includes(core)) return 'no';
  const single = undoubled(core);
  if (YES.includes(single)) return 'yes';
  if (NO.includes(single)) return 'no';
  // "iya, kirim saja", "ya, sudah benar", "gak, salah": the first word decides when the rest agrees with it.
  const [first, ...rest] = core.split(' ');
  const tail = rest.join(' ');
  if (YES.includes(first) && (tail === '' || YES.includes(tail))) return 'yes';
  if (NO.includes(first) && (tail === '' || NO.includes(tail))) return 'no';
  return undefined;
}

/** Whether the plain text is one of the yes words (kept for callers that match words, not answers). */
export function isYesWord(text: string): boolean {
  return YES.includes(plainWords(text));
}
