import type { Update, Message, PhotoSize } from 'grammy/types';
import type { InboundMessage, LocationAttachment } from '../../flows/types.ts';
import { makeConversationKey } from '../../domain/conversation-key.ts';
import { parsePromptRef } from '../../domain/admin-actions.ts';

/** A photo the adapter still has to download before the message can go to the flows. */
export interface PendingPhoto {
  fileId: string;
  /** Size Telegram announced, if any; checked against the cap before downloading. */
  fileSize?: number;
  mime?: string;
}

/** A voice note or audio file still to download (within STT_MAX_AUDIO_BYTES) before the message goes on. */
export interface PendingAudio {
  fileId: string;
  fileSize?: number;
  mime: string;
  durationSeconds?: number;
}

/** What one Telegram update means for the bot, before any I/O (photo or audio download, replies). */
export type TranslatedUpdate =
  | { kind: 'message'; chatId: number; message: InboundMessage; photo?: PendingPhoto; audio?: PendingAudio }
  | {
      kind: 'choice';
      chatId: number;
      message: InboundMessage;
      callbackQueryId: string;
      /** The bot message carrying the keyboard, so it can be removed once used. */
      keyboardMessageId?: number;
      /** Label of the pressed button, echoed back in the callback answer. */
      label?: string;
    }
  /** The person blocked (or unblocked) the bot in a private chat. */
  | { kind: 'membership'; chatId: number; key: string; blocked: boolean }
  /**
   * Someone wrote in (or added the bot to) a group, supergroup or channel. Only private chats are conversations:
   * a group would be one shared conversation, where members see each other's reports and answers. The group is
   * told once to write privately; nothing it sends is kept.
   */
  | { kind: 'group'; chatId: number }
  | { kind: 'ignored'; reason: string };

/** Which case a bot message (chat, message id) was about, when the bot sent it about exactly one case. */
export type CaseRefLookup = (chatId: number, messageId: number) => string | undefined;

/** Message kinds the flows cannot use; the name goes to `unsupported` for a polite answer. */
const UNSUPPORTED_KINDS = [
  'sticker',
  'video_note',
  'video',
  'animation',
  'document',
  'contact',
  'poll',
  'dice',
  'game',
  'story',
] as const satisfies ReadonlyArray<keyof Message>;

export function conversationKeyForChat(chatId: number | string): string {
  return makeConversationKey('tg', String(chatId));
}

/**
 * The case of the bot message the person replied to, only when the bot remembers sending that message about
 * exactly one case. A tracking id merely written in the quoted text (an /inbox list, a forwarded note) does not
 * count: an admin's casual "ok nanti saya cek" under a list must not become the official answer.
 */
function caseOfQuotedMessage(message: Message, caseRefFor: CaseRefLookup | undefined): string | undefined {
  const quoted = message.reply_to_message;
  if (!quoted || !caseRefFor) return undefined;
  return caseRefFor(message.chat.id, quoted.message_id);
}

/** Telegram sends a photo in several sizes; the largest is the last, but order by pixels to be safe. */
export function largestPhoto(sizes: PhotoSize[]): PhotoSize | undefined {
  return [...sizes].sort((a, b) => a.width * a.height - b.width * b.height).at(-1);
}

function senderOf(message: Pick<Message, 'from' | 'chat'>): InboundMessage['sender'] {
  const from = message.from;
  const name = from ? [from.first_name, from.last_name].filter(Boolean).join(' ') || undefined : undefined;
  return { id: String(from?.id ?? message.chat.id), name };
}

function locationOf(message: Message): LocationAttachment | undefined {
  if (message.venue) {
    const { location, title, address } = message.venue;
    return { kind: 'location', latitude: location.latitude, longitude: location.longitude, label: [title, address].filter(Boolean).join(', ') };
  }
  if (message.location) return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  return undefined;
}

function translateMessage(message: Message, receivedAt: Date, caseRefFor: CaseRefLookup | undefined): TranslatedUpdate {
  // Posts on behalf of a channel or an anonymous group admin have no person behind them we could answer.
  if (message.sender_chat) return { kind: 'ignored', reason: 'sender-chat' };
  if (message.from?.is_bot) return { kind: 'ignored', reason: 'from-bot' };
  const chatId = message.chat.id;
  if (message.chat.type !== 'private') return message.from ? { kind: 'group', chatId } : { kind: 'ignored', reason: 'no-sender' };
  const key = conversationKeyForChat(chatId);
  const inbound: InboundMessage = {
    key,
    channel: 'tg',
    // message_id is unique within a chat, and the key is per chat: together they identify a redelivery.
    messageId: `msg:${message.message_id}`,
    sender: senderOf(message),
    receivedAt,
  };
  const text = message.text ?? message.caption;
  if (text !== undefined) inbound.text = text;
  const quotedRef = caseOfQuotedMessage(message, caseRefFor);
  if (quotedRef) {
    // A force-reply prompt ("tulis alasan penolakan") remembers its command with the case.
    const { trackingId, command } = parsePromptRef(quotedRef);
    inbound.replyToCase = trackingId;
    if (command) inbound.replyToCommand = command;
  }

  const location = locationOf(message);
  if (location) return { kind: 'message', chatId, message: { ...inbound, attachments: [location] } };

  if (message.photo?.length) {
    const best = largestPhoto(message.photo)!;
    return { kind: 'message', chatId, message: inbound, photo: { fileId: best.file_id, fileSize: best.file_size, mime: 'image/jpeg' } };
  }
  // A picture sent "as a file" (uncompressed) is still a photo of the problem.
  const doc = message.document;
  if (doc?.mime_type?.startsWith('image/')) {
    return { kind: 'message', chatId, message: inbound, photo: { fileId: doc.file_id, fileSize: doc.file_size, mime: doc.mime_type } };
  }

  // Voice notes (Telegram's own, Ogg/Opus) and audio files: downloaded by the channel, transcribed in flows/.
  const voice = message.voice ?? message.audio;
  if (voice) {
    const mime = voice.mime_type ?? (message.voice ? 'audio/ogg' : 'audio/mpeg');
    return { kind: 'message', chatId, message: inbound, audio: { fileId: voice.file_id, fileSize: voice.file_size, mime, durationSeconds: voice.duration } };
  }

  const unsupported = UNSUPPORTED_KINDS.find((kind) => message[kind] !== undefined);
  if (unsupported) return { kind: 'message', chatId, message: { ...inbound, unsupported: unsupported === 'video_note' ? 'video' : unsupported } };
  if (text === undefined) return { kind: 'ignored', reason: 'service-message' };
  return { kind: 'message', chatId, message: inbound };
}

/** Translates one update; pure (the case lookup is passed in), so every branch is testable without a server. */
export function translateUpdate(update: Update, receivedAt = new Date(), caseRefFor?: CaseRefLookup): TranslatedUpdate {
  if (update.message) return translateMessage(update.message, receivedAt, caseRefFor);

  const query = update.callback_query;
  if (query) {
    if (query.data === undefined || !query.message) return { kind: 'ignored', reason: 'callback-without-data' };
    // The bot never sends keyboards to groups; a press there is not a conversation's.
    if (query.message.chat.type !== 'private') return { kind: 'ignored', reason: 'group-callback' };
    const chatId = query.message.chat.id;
    const keyboard = 'reply_markup' in query.message ? query.message.reply_markup?.inline_keyboard : undefined;
    const label = keyboard?.flat().find((b) => 'callback_data' in b && b.callback_data === query.data)?.text;
    return {
      kind: 'choice',
      chatId,
      callbackQueryId: query.id,
      keyboardMessageId: query.message.message_id,
      label,
      message: {
        key: conversationKeyForChat(chatId),
        channel: 'tg',
        // A press has no message id of its own; the callback query id is unique and reused on redelivery.
        messageId: `cb:${query.id}`,
        choice: query.data,
        sender: senderOf({ from: query.from, chat: query.message.chat }),
        receivedAt,
      },
    };
  }

  const member = update.my_chat_member;
  if (member && member.chat.type !== 'private') {
    const status = member.new_chat_member.status;
    // Added to a group or channel: say once that the bot works in private chats only.
    return status === 'member' || status === 'administrator' ? { kind: 'group', chatId: member.chat.id } : { kind: 'ignored', reason: 'group-membership' };
  }
  if (member) {
    const status = member.new_chat_member.status;
    return { kind: 'membership', chatId: member.chat.id, key: conversationKeyForChat(member.chat.id), blocked: status === 'kicked' || status === 'left' };
  }
  // Edited messages (including live-location updates), channel posts and the rest are not conversation input.
  return { kind: 'ignored', reason: 'update-type' };
}
