/**
 * Masks personal data before a complaint leaves the machine (the LLM may be a third-party service).
 * What is masked: NIK and KK numbers (16 digits, also written in groups), Indonesian phone numbers (+62, 62, 08…,
 * with spaces, dots, dashes or parentheses), and e-mail addresses. Names and street addresses stay: the agency
 * needs the place, and a name alone is rarely enough to identify someone in a complaint about a pothole.
 *
 * People write numbers every which way, so a normalisation pass runs first (normaliseForMasking): full-width
 * digits, typographic dashes, `(0812)` groups, digits spaced out one by one, the letter O typed for a zero and
 * `budi(at)gmail.com` all become the plain forms the patterns below know. The text sent on is the normalised one.
 */

export interface RedactionResult {
  text: string;
  /** How many items of each kind were masked (counts only; never the values). */
  counts: { nik: number; phone: number; email: number };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** 16 digits, optionally in groups separated by a space, dot or dash (e.g. 3573 0123 4567 8901). */
const NIK = /(?<![\d])\d(?:[ .-]?\d){15}(?![\d])/g;
/**
 * +62 / 62 / 0 followed by 8 and 7–11 more digits, separators allowed (0812-3456-7890, +62 812 3456 7890,
 * (0341) 551234 landlines too). Lookarounds keep it from biting into longer numbers.
 */
const PHONE = /(?<![\d+])(?:\+62|62|0)[ .-]?8\d{1,3}(?:[ .-]?\d{2,4}){2,3}(?![\d])|(?<![\d])\(?0\d{2,3}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d])/g;

export const MASK = { nik: '[NIK]', phone: '[TELEPON]', email: '[EMAIL]' } as const;

/** Hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign and their small forms. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;
/** `budi(at)gmail.com`, `budi [at] gmail [dot] com`, `budi{at}gmail.com`, `budi<at>…`. */
const OBFUSCATED_AT = /\s*[([{<]\s*(?:at|et)\s*[)\]}>]\s*/gi;
const OBFUSCATED_DOT = /\s*[([{<]\s*(?:dot|titik)\s*[)\]}>]\s*/gi;
/** A digit group in parentheses inside a number: `+62 (812) 3456 7890`, `(0341) 551234`. */
const PARENTHESISED_GROUP = /\(\s*(\d{1,5})\s*\)(?=\s?[.-]?\s?\d)/g;
/** A run of digits and letter O's at least 8 long (a NIK typed with O for 0): outside words only. */
const DIGITS_WITH_O = /(?<![A-Za-z\d])[\dOo](?:[ .-]?[\dOo]){7,}(?![A-Za-z\d])/g;
/** Six or more groups of one or two digits separated by single spaces, dots or dashes: 0 8 1 2 3 4 5 6… */
const SPACED_DIGITS = /(?<![\d+])\+?\d{1,2}(?:[ .-]\d{1,2}){5,}(?![\d])/g;

/**
 * Rewrites what people type instead of plain digits and e-mail addresses into the plain form. Ordinary text is
 * unchanged apart from NFKC (full-width and compatibility characters become their plain forms, which an LLM
 * reads the same).
 */
export function normaliseForMasking(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DASHES, '-')
    .replace(OBFUSCATED_AT, '@')
    .replace(OBFUSCATED_DOT, '.')
    .replace(PARENTHESISED_GROUP, '$1')
    .replace(DIGITS_WITH_O, (run) => {
      // Only a run that is mostly digits is a number with O's typed for zeros ("ooo" or "Oke" are words).
      const digits = run.replace(/\D/g, '').length;
      return digits >= 6 ? run.replace(/[Oo]/g, '0') : run;
    })
    .replace(SPACED_DIGITS, (run) => run.replace(/[ .-]/g, ''));
}

export function redact(text: string): RedactionResult {
  const counts = { nik: 0, phone: 0, email: 0 };
  let out = normaliseForMasking(text).replace(EMAIL, () => {
    counts.email++;
    return MASK.email;
  });
  // NIK before phone: a 16-digit number starting with 08… is an ID, not a phone.
  out = out.replace(NIK, () => {
    counts.nik++;
    return MASK.nik;
  });
  out = out.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 14) return match;
    counts.phone++;
    return MASK.phone;
  });
  return { text: out, counts };
}
