import { CHANNELS, type Channel } from './messages.ts';

export class ConversationKeyError extends Error {
  readonly code = 'CONVERSATION_KEY_INVALID';
}

/**
 * Builds a namespaced conversation key. Parts are joined with ':'; a part may itself contain ':' only in the
 * last position (WhatsApp JIDs do not, Telegram chat ids do not), so parsing splits on the first separators.
 */
export function makeConversationKey(channel: Channel, ...parts: string[]): string {
  if (parts.length === 0 || parts.some((p) => p === '')) throw new ConversationKeyError('a conversation key needs a non-empty id');
  if (parts.slice(0, -1).some((p) => p.includes(':'))) throw new ConversationKeyError('only the last part may contain ":"');
  return [channel, ...parts].join(':');
}

export interface ParsedConversationKey {
  channel: Channel;
  parts: string[];
}

const PART_COUNT: Record<Channel, number> = { tg: 1, wa: 2, term: 1, api: 2 };

export function parseConversationKey(key: string): ParsedConversationKey {
  const [channel, ...rest] = key.split(':');
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new ConversationKeyError(`unknown channel in key "${channel}"`);
  const count = PART_COUNT[channel as Channel];
  if (rest.length < count || rest.some((p) => p === '')) throw new ConversationKeyError('malformed conversation key');
  const parts = [...rest.slice(0, count - 1), rest.slice(count - 1).join(':')];
  return { channel: channel as Channel, parts };
}
