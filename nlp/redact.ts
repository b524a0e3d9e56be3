/**
 * Masks personal data before a complaint leaves the machine (the LLM may be a third-party service).
 * What is masked: NIK and KK numbers (16 digits, also written in groups), Indonesian phone numbers (+62, 62, 08…,
 * with spaces, dots or dashes), and e-mail addresses. Names and street addresses stay: the agency needs the
 * place, and a name alone is rarely enough to identify someone in a complaint about a pothole.
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

export function redact(text: string): RedactionResult {
  const counts = { nik: 0, phone: 0, email: 0 };
  let out = text.replace(EMAIL, () => {
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
