import {
  isJidBot,
  isJidBroadcast,
  isJidGroup,
  isJidMetaAI,
  isJidNewsletter,
  isJidStatusBroadcast,
  normalizeMessageContent,
  type proto,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { InboundAttachment, InboundMessage } from '../../flows/types.ts';
import { makeConversationKey } from '../../domain/conversation-key.ts';
import { imageExtension, photoProblem, storeAttachment } from '../store-attachment.ts';
import { errorCode } from '../../lib/errors.ts';
import { audioProblem, storeAudio } from '../store-audio.ts';
import { AttachmentTooLargeError } from '../read-capped.ts';

// Kept here for test/helpers/fake-whatsapp.ts, whose fake downloader reads through it.
import type { Logger } from '../../lib/logger.ts';
import { resolveCitizenJid, type LidMappingLookup } from './normalize-jid.ts';

/** What one WhatsApp message holds, as far as the citizen flow cares. */
export type WhatsAppContent =
  | { kind: 'text'; text: string }
  | { kind: 'image'; caption?: string; mime: string; declaredBytes?: number }
  | { kind: 'location'; latitude: number; longitude: number; label?: string }
  /** A voice note (ptt) or an audio file: downloaded here, transcribed in flows/. */
  | { kind: 'audio'; mime: string; declaredBytes?: number; seconds?: number }
  | { kind: 'unsupported'; what: string }
  /** Protocol traffic (receipts, reactions, edits, key distribution…): no reply at all. */
  | { kind: 'ignore' };

/** Fetches the bytes of an image message; gives up (AttachmentTooLargeError) past `maxBytes`. */
export type MediaDownloader = (message: WAMessage, maxBytes: number) => Promise<Buffer>;

function toNumber(value: number | { toNumber(): number } | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'number' ? value : value.toNumber();
}

function locationLabel(name?: string | null, address?: string | null): string | undefined {
  const parts = [name, address].map((p) => p?.trim()).filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Content kinds that are protocol or housekeeping traffic rather than something a person said to the bot. */
const IGNORED_KINDS: Array<keyof proto.IMessage> = [
  'protocolMessage',
  'reactionMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
  'pollUpdateMessage',
  'keepInChatMessage',
  'pinInChatMessage',
  'encReactionMessage',
  'call',
  'callLogMesssage',
];

/**
 * True for "view once" media: the sender chose that it disappears after one look, so the bot keeps none of it
 * (neither the file nor its caption) and asks for a normal photo instead.
 */
function isViewOnce(message: proto.IMessage | null | undefined): boolean {
  if (!message) return false;
  if (message.viewOnceMessage || message.viewOnceMessageV2 || message.viewOnceMessageV2Extension) return true;
  const inner = normalizeMessageContent(message);
  return Boolean(inner?.imageMessage?.viewOnce || inner?.videoMessage?.viewOnce || inner?.audioMessage?.viewOnce);
}

/** Names the content of a message (after unwrapping ephemeral / document-with-caption wrappers). */
export function classifyContent(message: proto.IMessage | null | undefined): WhatsAppContent {
  if (isViewOnce(message)) return { kind: 'unsupported', what: 'view-once' };
  const content = normalizeMessageContent(message);
  if (!content) return { kind: 'ignore' };
  if (content.conversation) return { kind: 'text', text: content.conversation };
  if (content.extendedTextMessage?.text) return { kind: 'text', text: content.extendedTextMessage.text };
  if (content.imageMessage) {
    const image = content.imageMessage;
    return { kind: 'image', caption: image.caption ?? undefined, mime: image.mimetype ?? 'image/jpeg', declaredBytes: toNumber(image.fileLength) };
  }
  const location = content.locationMessage ?? content.liveLocationMessage;
  if (location && typeof location.degreesLatitude === 'number' && typeof location.degreesLongitude === 'number') {
    const venue = content.locationMessage;
    return {
      kind: 'location',
      latitude: location.degreesLatitude,
      longitude: location.degreesLongitude,
      label: locationLabel(venue?.name, venue?.address),
    };
  }
  if (content.documentMessage) {
    const doc = content.documentMessage;
    // A photo sent "as document" (to keep its quality) is still a photo of the problem.
    if (doc.mimetype && imageExtension(doc.mimetype)) {
      return { kind: 'image', caption: doc.caption ?? undefined, mime: doc.mimetype, declaredBytes: toNumber(doc.fileLength) };
    }
    return { kind: 'unsupported', what: 'document' };
  }
  if (content.stickerMessage || content.lottieStickerMessage) return { kind: 'unsupported', what: 'sticker' };
  if (content.audioMessage) {
    const audio = content.audioMessage;
    // WhatsApp labels voice notes "audio/ogg; codecs=opus"; the parameters are not part of the type.
    const mime = (audio.mimetype ?? 'audio/ogg').split(';')[0].trim() || 'audio/ogg';
    return { kind: 'audio', mime, declaredBytes: toNumber(audio.fileLength), seconds: audio.seconds ?? undefined };
  }
  if (content.videoMessage || content.ptvMessage) return { kind: 'unsupported', what: 'video' };
  if (content.contactMessage || content.contactsArrayMessage) return { kind: 'unsupported', what: 'contact' };
  if (content.pollCreationMessage || content.pollCreationMessageV2 || content.pollCreationMessageV3) return { kind: 'unsupported', what: 'poll' };
  const present = (Object.keys(content) as Array<keyof proto.IMessage>).filter((k) => content[k] !== null && content[k] !== undefined);
  if (present.length === 0 || present.every((k) => IGNORED_KINDS.includes(k))) return { kind: 'ignore' };
  return { kind: 'unsupported', what: 'other' };
}

/** Why an upsert entry is not a citizen's message for us, or undefined when it is. */
function skipReason(message: WAMessage, upsertType: string): string | undefined {
  if (upsertType !== 'notify') return 'not-notify';
  const jid = message.key?.remoteJid;
  if (!jid) return 'no-jid';
  if (message.key.fromMe) return 'from-me';
  if (isJidStatusBroadcast(jid)) return 'status';
  if (isJidGroup(jid)) return 'group';
  if (isJidBroadcast(jid)) return 'broadcast';
  if (isJidNewsletter(jid)) return 'newsletter';
  // Not a person: Meta AI and other bots (…@bot, …@c.us bots), call events (…@call), the server itself (0@…).
  if (isJidMetaAI(jid) || isJidBot(jid) || jid.endsWith('@call')) return 'not-a-person';
  if (jid.split('@')[0].split(':')[0] === '0') return 'server';
  const alt = message.key.remoteJidAlt;
  if (alt && (isJidGroup(alt) || isJidBroadcast(alt) || isJidMetaAI(alt) || alt.endsWith('@call'))) return 'not-a-person';
  if (!message.message) return 'no-content';
  return undefined;
}

export interface TranslateContext {
  /** The bot's WhatsApp account name (second part of the conversation key). */
  account: string;
  dataDir: string;
  maxAttachmentBytes: number;
  /** Cap of a voice note or audio file (STT_MAX_AUDIO_BYTES); maxAttachmentBytes when unset. */
  maxAudioBytes?: number;
  download: MediaDownloader;
  lidMapping?: LidMappingLookup;
  /** Tracking id of the case a quoted bot message (sent to this chat JID) was about, when the bot remembers sending it. */
  caseRefFor?(chatJid: string, messageId: string): string | undefined;
  log: Logger;
}

function quotedId(message: proto.IMessage | null | undefined): string | undefined {
  const content = normalizeMessageContent(message);
  const context = content?.extendedTextMessage?.contextInfo ?? content?.imageMessage?.contextInfo ?? content?.locationMessage?.contextInfo;
  return context?.stanzaId ?? undefined;
}

/**
 * Translates one `messages.upsert` entry into the neutral inbound message, or undefined for what the bot must
 * not answer (groups, status, its own messages, protocol traffic). Images are downloaded here, capped at
 * `maxAttachmentBytes`, and stored under DATA_DIR; a photo that cannot be used becomes an `unsupported` note.
 */
export async function translateMessage(message: WAMessage, upsertType: string, ctx: TranslateContext): Promise<InboundMessage | undefined> {
  if (skipReason(message, upsertType)) return undefined;
  const content = classifyContent(message.message);
  if (content.kind === 'ignore') return undefined;
  const messageId = message.key.id;
  if (!messageId) return undefined;
  const citizen = await resolveCitizenJid(message.key, ctx.lidMapping);
  if (!citizen) return undefined;
  const key = makeConversationKey('wa', ctx.account, citizen.jid);
  const timestamp = toNumber(message.messageTimestamp as number | { toNumber(): number } | null | undefined);
  const inbound: InboundMessage = {
    key,
    channel: 'wa',
    messageId,
    sender: { id: citizen.jid, name: message.pushName ?? undefined, phone: citizen.phone },
    receivedAt: timestamp ? new Date(timestamp * 1000) : new Date(),
  };
  const quoted = quotedId(message.message);
  const caseRef = quoted ? ctx.caseRefFor?.(citizen.jid, quoted) : undefined;
  if (caseRef) inbound.replyToCase = caseRef;

  switch (content.kind) {
    case 'text':
      return { ...inbound, text: content.text };
    case 'location': {
      const attachment: InboundAttachment = { kind: 'location', latitude: content.latitude, longitude: content.longitude, label: content.label };
      return { ...inbound, attachments: [attachment] };
    }
    case 'unsupported':
      return { ...inbound, unsupported: content.what };
    case 'audio': {
      const limit = ctx.maxAudioBytes ?? ctx.maxAttachmentBytes;
      try {
        if (content.declaredBytes !== undefined && content.declaredBytes > limit) throw new AttachmentTooLargeError(limit, content.declaredBytes);
        const data = await ctx.download(message, limit);
        const stored = await storeAudio(ctx.dataDir, data, { maxBytes: limit, durationSeconds: content.seconds, key });
        return { ...inbound, attachments: [stored] };
      } catch (err) {
        ctx.log.warn({ messageId, code: errorCode(err) }, 'whatsapp voice note not stored');
        return { ...inbound, unsupported: audioProblem(err) };
      }
    }
    case 'image': {
      const withCaption = content.caption?.trim() ? { ...inbound, text: content.caption } : inbound;
      if (content.declaredBytes !== undefined && content.declaredBytes > ctx.maxAttachmentBytes) {
        ctx.log.info({ messageId, bytes: content.declaredBytes }, 'whatsapp photo over the size cap; not downloaded');
        return { ...withCaption, unsupported: 'photo-too-large' };
      }
      try {
        const data = await ctx.download(message, ctx.maxAttachmentBytes);
        const stored = await storeAttachment(ctx.dataDir, data, { key });
        const attachment: InboundAttachment = { kind: 'photo', path: stored.path, mime: stored.mime, size: stored.size };
        return { ...withCaption, attachments: [attachment] };
      } catch (err) {
        ctx.log.warn({ messageId, code: errorCode(err) }, 'whatsapp photo not stored');
        return { ...withCaption, unsupported: photoProblem(err) };
      }
    }
  }
}
