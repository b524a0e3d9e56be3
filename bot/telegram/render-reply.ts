import type { InlineKeyboardButton } from 'grammy/types';
import type { Choice, Reply } from '../../flows/types.ts';

/** Telegram's limits: message text, photo caption and callback data (bytes). */
export const TELEGRAM_LIMITS = { text: 4096, caption: 1024, callbackData: 64 } as const;

/** Buttons this short fit side by side on a phone; longer labels get a row each so they are not cut off. */
const SHORT_LABEL_CHARS = 14;
const MAX_BUTTONS_PER_ROW = 3;

export type OutgoingPart =
  | { method: 'sendMessage'; text: string; keyboard?: InlineKeyboardButton[][]; forceReply?: boolean }
  | { method: 'sendPhoto'; imagePath: string; keyboard?: undefined };

function fitsCallbackData(value: string): boolean {
  return value.length > 0 && Buffer.byteLength(value, 'utf8') <= TELEGRAM_LIMITS.callbackData;
}

/** Choices as an inline keyboard; a press sends the choice's value back as callback data. */
function inlineKeyboard(choices: Choice[]): InlineKeyboardButton[][] {
  const buttons = choices.map((c) => ({ text: c.label, callback_data: c.value }));
  const allShort = choices.every((c) => c.label.length <= SHORT_LABEL_CHARS);
  if (!allShort) return buttons.map((b) => [b]);
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) rows.push(buttons.slice(i, i + MAX_BUTTONS_PER_ROW));
  return rows;
}

/** Splits text at line breaks (or hard, for one very long line) so each part fits one Telegram message. */
export function splitText(text: string, limit: number = TELEGRAM_LIMITS.text): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    let rest = line;
    while (rest.length > limit) {
      parts.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    current = rest;
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * A reply as the Bot API calls that show it: the text (split if too long) with choices as an inline keyboard on
 * the last part, then the picture, if any, as a photo of its own without caption: a refused sendPhoto must never
 * hold back the text. Choices whose value cannot be callback data (over 64 bytes) are listed as text to type
 * instead, so nothing is silently dropped.
 */
export function renderReply(reply: Reply): OutgoingPart[] {
  const choices = reply.choices ?? [];
  const buttons = choices.filter((c) => fitsCallbackData(c.value));
  const typed = choices.filter((c) => !fitsCallbackData(c.value));
  const text = typed.length ? [reply.text, ...typed.map((c) => `• ${c.label}: ${c.value}`)].join('\n') : reply.text;
  const keyboard = buttons.length ? inlineKeyboard(buttons) : undefined;

  const parts: OutgoingPart[] = [];
  let texts = splitText(text).filter((t) => t.length > 0);
  // Telegram refuses an empty message; keep the keyboard usable anyway.
  if (texts.length === 0 && keyboard) texts = ['👇'];
  texts.forEach((t, i) => {
    const last = i === texts.length - 1;
    // A prompt for an admin's text opens Telegram's reply box (force reply); a keyboard wins if both were asked.
    parts.push({ method: 'sendMessage', text: t, keyboard: last ? keyboard : undefined, ...(last && reply.expectReply && !keyboard ? { forceReply: true } : {}) });
  });
  if (reply.image) parts.push({ method: 'sendPhoto', imagePath: reply.image.path });
  return parts;
}
