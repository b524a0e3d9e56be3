import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: tracking ids are read aloud and typed from paper. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const PREFIX = 'LPR';
const BODY_LENGTH = 6;

/** A new tracking id such as LPR-K7Q2MX; 31^6 ≈ 887 million values, so ids are not guessable by counting. */
export function newTrackingId(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return `${PREFIX}-${body}`;
}

/** Accepts "LPR-K7Q2MX", "#lpr-k7q2mx", "LPRK7Q2MX" or "K7Q2MX"; returns the canonical form or null. */
export function parseTrackingId(input: string): string | null {
  const cleaned = input.trim().replace(/^#/, '').toUpperCase().replace(/[\s-]/g, '');
  const body = cleaned.startsWith(PREFIX) ? cleaned.slice(PREFIX.length) : cleaned;
  if (body.length !== BODY_LENGTH) return null;
  for (const ch of body) if (!ALPHABET.includes(ch)) return null;
  return `${PREFIX}-${body}`;
}
