import type { InboundMessage } from './types.ts';

// Control characters (C0 but tab/newline/carriage return, DEL, C1) and bidirectional overrides/isolates.
// NUL is rejected by PostgreSQL text columns, escape sequences can drive an admin's terminal, and bidi
// overrides make a report display differently from what it says. Invisible characters (zero-width space and
// joiners, LRM/RLM, the Arabic letter mark, BOM, word joiner and invisible operators, Unicode tag characters)
// hide text from the admin who reads it, split words so keyword rules and masking miss them, and smuggle
// instructions to an LLM. None of them carries meaning in a chat. (U+200D, the zero-width joiner, also glues
// some emoji sequences together; they fall apart into their parts, which still read fine.)
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one: invalid UTF-16. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Makes platform text safe to store and show: lone surrogates become U+FFFD, control characters go. */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(UNWANTED, '');
}

/** The inbound message with every free-text field cleaned; the same object when nothing needed cleaning. */
export function cleanInbound(message: InboundMessage): InboundMessage {
  const clean = (v: string | undefined) => (v === undefined ? v : cleanText(v));
  const text = clean(message.text);
  const choice = clean(message.choice);
  const name = clean(message.sender.name);
  const attachments = message.attachments?.map((a) => {
    if (a.kind !== 'location' || a.label === undefined) return a;
    const label = cleanText(a.label);
    return label === a.label ? a : { ...a, label };
  });
  const changed =
    text !== message.text ||
    choice !== message.choice ||
    name !== message.sender.name ||
    attachments?.some((a, i) => a !== message.attachments![i]);
  if (!changed) return message;
  return { ...message, text, choice, sender: { ...message.sender, name }, attachments };
}
