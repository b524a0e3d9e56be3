import { CHANNELS } from './messages.ts';
import { parseConversationKey } from './conversation-key.ts';

/**
 * Which conversation keys this deployment can ever deliver to. A key no sender will ever take (another WhatsApp
 * account, a group, a channel that does not exist) must not wait in the outbox for ever: it is marked
 * undeliverable with one of these reasons and the admin instansi is told (cases/notify.ts). The same rules refuse
 * such a key when an admin is added (cases/manage-admins.ts), so the mistake is caught where it is made.
 */
export type NeverDeliverableReason =
  /** The key's channel is none of tg, wa, term, api. */
  | 'UNKNOWN_CHANNEL'
  /** wa:<account>:… of a WhatsApp account other than this bot's WHATSAPP_ACCOUNT: this bot never holds its socket. */
  | 'WA_OTHER_ACCOUNT'
  /** A WhatsApp group, broadcast list, channel (newsletter), bot or call address: the bot writes to people only. */
  | 'WA_NOT_PRIVATE'
  /** A Telegram group or channel (negative chat id): the bot answers private chats only. */
  | 'TG_GROUP';

/**
 * One rule as plain data, so the outbox can select matching rows in SQL (db/outbox.ts markNeverDeliverable)
 * rather than reading every waiting row: a row matches when every given condition holds.
 */
export interface NeverDeliverableRule {
  reason: NeverDeliverableReason;
  channel?: string;
  channelNotIn?: readonly string[];
  keyStartsWith?: string;
  keyNotStartsWith?: string;
  keyEndsWith?: string;
}

/** WhatsApp address suffixes that are not one person (Baileys: isJidGroup, isJidBroadcast, isJidNewsletter, …). */
const WA_NOT_PRIVATE_SUFFIXES = ['@g.us', '@broadcast', '@newsletter', '@bot', '@call'] as const;
/** WhatsApp addresses of one person: by phone number or by LID (Baileys 7). */
const WA_PRIVATE_SUFFIXES = ['@s.whatsapp.net', '@lid'] as const;

export function neverDeliverableRules(whatsappAccount: string): NeverDeliverableRule[] {
  return [
    { reason: 'UNKNOWN_CHANNEL', channelNotIn: CHANNELS },
    { reason: 'WA_OTHER_ACCOUNT', channel: 'wa', keyNotStartsWith: `wa:${whatsappAccount}:` },
    ...WA_NOT_PRIVATE_SUFFIXES.map((suffix): NeverDeliverableRule => ({ reason: 'WA_NOT_PRIVATE', channel: 'wa', keyEndsWith: suffix })),
    { reason: 'TG_GROUP', channel: 'tg', keyStartsWith: 'tg:-' },
  ];
}

function matches(rule: NeverDeliverableRule, channel: string, key: string): boolean {
  return (
    (rule.channel === undefined || rule.channel === channel) &&
    (rule.channelNotIn === undefined || !rule.channelNotIn.includes(channel)) &&
    (rule.keyStartsWith === undefined || key.startsWith(rule.keyStartsWith)) &&
    (rule.keyNotStartsWith === undefined || !key.startsWith(rule.keyNotStartsWith)) &&
    (rule.keyEndsWith === undefined || key.endsWith(rule.keyEndsWith))
  );
}

/** Why no sender of this deployment can ever deliver to `key`, or null when one can (or may, once it is up). */
export function whyNeverDeliverable(key: string, whatsappAccount: string): NeverDeliverableReason | null {
  const channel = key.split(':', 1)[0];
  return neverDeliverableRules(whatsappAccount).find((rule) => matches(rule, channel, key))?.reason ?? null;
}

export type AdminKeyProblem =
  | { code: 'ADMIN_KEY_INVALID'; detail: string }
  | { code: 'ADMIN_KEY_OTHER_ACCOUNT'; detail: string }
  | { code: 'ADMIN_KEY_NOT_PRIVATE'; detail: string };

/**
 * What is wrong with a key for an admin, or null. Stricter than the outbox: an admin's chat must be a private chat
 * of a person this bot can write to (on WhatsApp by phone number or LID; on Telegram a positive chat id), since
 * alerts carry reporters' names and must never land in a group.
 */
export function adminKeyProblem(key: string, whatsappAccount: string): AdminKeyProblem | null {
  let parsed;
  try {
    parsed = parseConversationKey(key);
  } catch {
    return { code: 'ADMIN_KEY_INVALID', detail: `"${key}" is not a conversation key (tg:<chat id>, wa:<account>:<jid>, term:<name>)` };
  }
  switch (parsed.channel) {
    case 'tg': {
      const chatId = parsed.parts[0];
      if (/^-\d+$/.test(chatId)) return { code: 'ADMIN_KEY_NOT_PRIVATE', detail: `${key} is a Telegram group or channel (negative chat id); use the admin's private chat id` };
      if (!/^[1-9]\d*$/.test(chatId)) return { code: 'ADMIN_KEY_INVALID', detail: `a Telegram key is tg:<chat id>, digits only (got "${chatId}")` };
      return null;
    }
    case 'wa': {
      const [account, jid] = parsed.parts;
      if (account !== whatsappAccount)
        return { code: 'ADMIN_KEY_OTHER_ACCOUNT', detail: `${key} is for WhatsApp account "${account}", but this bot's account is "${whatsappAccount}" (WHATSAPP_ACCOUNT): use wa:${whatsappAccount}:<jid>` };
      const suffix = WA_PRIVATE_SUFFIXES.find((s) => jid.endsWith(s));
      const user = suffix ? jid.slice(0, -suffix.length).split(':')[0] : '';
      if (!suffix || !/^[1-9]\d{4,}$/.test(user))
        return { code: 'ADMIN_KEY_NOT_PRIVATE', detail: `${jid} is not one person's WhatsApp chat; use <phone number>@s.whatsapp.net (e.g. 6281234567890@s.whatsapp.net), never a group` };
      return null;
    }
    case 'term':
      return null;
    case 'api':
      return { code: 'ADMIN_KEY_INVALID', detail: 'an api: key is an Open311 client, not a chat an admin can write from' };
  }
}
