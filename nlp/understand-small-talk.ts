import { plainWords } from './message-words.ts';

export interface SmallTalk {
  /** "assalamualaikum" and its spellings: answered with "Waalaikumsalam". */
  salam: boolean;
  /** halo, pagi, selamat siang, permisi, punten, good morning… */
  greeting: boolean;
  /** The whole message is thanks (makasih, suwun, thank you…), nothing else. */
  thanks: boolean;
  /** The whole message is a goodbye or an "ok, noted" that needs no answer but a polite one. */
  closing: boolean;
  /** What follows the greeting, in the citizen's own words ("" when the message was only a greeting). */
  rest: string;
}

const SEP = String.raw`[\s,.!?;:~\-–—()*_"'’🙏👋😊🙂😁☺️]*`;
// Each pattern matches at the start of the remaining text and is followed by a separator or the end.
const SALAM = [
  String.raw`a+s+a*l+a*m+u*['’\s]*a*l+a*i*k+u+m+(?:\s*(?:wr\.?\s*wb\.?|wr\s*wb|warahmatullahi\s*wabarakatuh|warohmatullahi\s*wabarokatuh))?`,
  String.raw`ass?\s*wr\.?\s*wb\.?`,
  String.raw`asw`,
  String.raw`ass?lm(?:km)?`,
  String.raw`aslkm`,
  String.raw`salam(?:\s+sejahtera)?`,
  String.raw`shalom`,
  String.raw`om\s+swastiastu`,
];
const GREETING = [
  String.raw`(?:selamat|slmt|met|sugeng)\s+(?:pagi|siang|sore|malam|malem|enjing|siyang|sonten|dalu|ndalu)`,
  String.raw`good\s+(?:morning|afternoon|evening|day)`,
  String.raw`h+a+l+o+|h+e+l+o+|hel+o+w?|h+a+i+|h+i+|h+e+y+|hy|hola|halloo*`,
  String.raw`pagi|siang|sore|malam|malem|met\s+pagi`,
  String.raw`permisi|misi|punten|nuwun\s+sewu|excuse\s+me|sorry\s+to\s+bother`,
  String.raw`tes|test|testing|p|ping|woi|woy|oi|oy|hallo`,
  String.raw`dear\s+(?:sir|madam|admin)`,
  String.raw`maaf\s+mengganggu|mohon\s+maaf\s+mengganggu|maaf\s+ganggu|ngapunten|nyuwun\s+sewu`,
];
/** Vocatives that follow a greeting ("halo min", "pagi kak"). */
const VOCATIVE = String.raw`(?:min|mimin|admin|kak|kakak|ka|pak|bapak|bu|ibu|mas|mbak|mba|cak|sir|madam|all|semua|bot|lapor|sobat|gan|rek)`;

const THANKS = [
  'makasih', 'makasi', 'makasih banyak', 'mksh', 'mks', 'trims', 'trimakasih', 'terimakasih', 'terima kasih', 'terima kasih banyak',
  'thx', 'thanks', 'thank you', 'thank u', 'thankyou', 'thanks a lot', 'tq', 'ty', 'tengkyu', 'suwun', 'matur nuwun', 'maturnuwun',
  'nuwun', 'matur suwun', 'suwun sanget', 'makasih ya', 'ok makasih', 'oke makasih', 'oke terima kasih', 'ok thanks', 'siap makasih',
  'thanks a lot', 'many thanks', 'hatur nuhun', 'oke siap', 'siap', 'siap terima kasih', 'baik terima kasih', 'baik makasih',
];
const CLOSING = [
  'ok', 'oke', 'okey', 'okay', 'sip', 'siap', 'baik', 'noted', 'ok siap', 'oke siap', 'siap min', 'ok sip', 'oke sip', 'baik siap', 'oke noted', 'ok noted', 'mantap', 'mantab', 'bye', 'dadah', 'wassalam',
  'wassalamualaikum', 'sampai jumpa', 'good bye', 'goodbye', 'see you',
];
const VOCATIVE_WORDS = new Set(['min', 'mimin', 'admin', 'kak', 'kakak', 'ka', 'pak', 'bapak', 'bu', 'ibu', 'mas', 'mbak', 'mba', 'cak', 'sir', 'ya', 'yaa', 'sekali', 'banget', 'bgt', 'atas', 'infonya', 'informasinya', 'bantuannya', 'responnya', 'tanggapannya', 'lagi', 'all', 'semua', 'rek', 'nggih', 'njih', 'dulu', 'so', 'much', 'very']);

function compile(patterns: string[]): RegExp {
  return new RegExp(String.raw`^(?:${patterns.join('|')})(?:\s+${VOCATIVE})*(?=$|[\s,.!?;:~\-–—()*_"'’🙏👋😊🙂😁☺️])${SEP}`, 'iu');
}
const SALAM_RE = compile(SALAM);
const GREETING_RE = compile(GREETING);

/** Whether the plain words are thanks, with or without vocatives ("makasih banyak min", "suwun nggih"). */
function isThanks(plain: string): boolean {
  if (THANKS.includes(plain)) return true;
  const words = plain.split(' ');
  // Drop vocatives and intensifiers from the end: "terima kasih banyak ya min atas infonya".
  while (words.length > 1 && VOCATIVE_WORDS.has(words[words.length - 1])) words.pop();
  return THANKS.includes(words.join(' ')) || THANKS.includes(words.filter((w) => !VOCATIVE_WORDS.has(w)).join(' '));
}

function isClosing(plain: string): boolean {
  const words = plain.split(' ').filter((w) => !VOCATIVE_WORDS.has(w));
  return CLOSING.includes(words.join(' ')) && words.length > 0;
}

/**
 * Reads the greeting, salam or thanks a message opens with, and what comes after it: "Assalamualaikum min,
 * mau lapor jalan rusak" → salam, rest "mau lapor jalan rusak". A message that is only "pagi min" has rest "".
 */
export function readSmallTalk(text: string): SmallTalk {
  let rest = text.trim();
  let salam = false;
  let greeting = false;
  for (let i = 0; i < 4; i++) {
    const s = SALAM_RE.exec(rest);
    if (s && s[0].trim() !== '') {
      salam = true;
      rest = rest.slice(s[0].length);
      continue;
    }
    const g = GREETING_RE.exec(rest);
    if (g && g[0].trim() !== '') {
      greeting = true;
      rest = rest.slice(g[0].length);
      continue;
    }
    break;
  }
  rest = rest.trim();
  const plain = plainWords(rest);
  const thanks = plain !== '' && isThanks(plain);
  const closing = !thanks && plain !== '' && isClosing(plain);
  if (thanks || closing) rest = '';
  // Only emoji or punctuation left ("halo 👋", "pagi!!") is the greeting itself.
  if (plain === '' && !/\p{L}|\p{N}/u.test(rest)) rest = '';
  return { salam, greeting, thanks, closing, rest };
}
