/**
 * The neutral message types: what every channel adapter translates its platform's updates into, and the one
 * reply type flows, notices and the outbox speak. No platform, no flow, no database here.
 */
/** Channels a conversation can live on; the prefix of every conversation key. */
/** `api`: filed through the Open311 API (api:<key name>:<request id>); its reporter follows the public page. */
export const CHANNELS = ['tg', 'wa', 'term', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Language = 'id' | 'en';

export interface PhotoAttachment {
  kind: 'photo';
  /** Path relative to DATA_DIR where the adapter stored the file. */
  path: string;
  mime?: string;
  size?: number;
}

export interface LocationAttachment {
  kind: 'location';
  latitude: number;
  longitude: number;
  /** Venue name or address the platform sent with the pin, if any. */
  label?: string;
}

/** A voice note or audio file the adapter downloaded (within STT_MAX_AUDIO_BYTES); transcribed in flows/, never by the adapter. */
export interface AudioAttachment {
  kind: 'audio';
  /** Path relative to DATA_DIR where the adapter stored the file. */
  path: string;
  mime: string;
  /** The platform's figure (Telegram `duration`, WhatsApp `seconds`); the transcriber measures Ogg/Opus itself. */
  durationSeconds?: number;
  size?: number;
}

export type InboundAttachment = PhotoAttachment | LocationAttachment | AudioAttachment;

/** The one neutral inbound message type; every adapter translates its platform's updates into this. */
export interface InboundMessage {
  /** Namespaced conversation key: tg:<chatId>, wa:<account>:<jid>, term:<name>. */
  key: string;
  channel: Channel;
  /** Platform message id; a redelivered id is processed once. */
  messageId: string;
  text?: string;
  /** Value of the option the person picked on a keyboard, when the platform has one. */
  choice?: string;
  attachments?: InboundAttachment[];
  /** Content we cannot use (sticker, voice, video, document…), named for a polite reply. */
  unsupported?: string;
  sender: { id: string; name?: string; phone?: string };
  /** Tracking id of the case the person replied to (e.g. a Telegram reply to a case message). */
  replyToCase?: string;
  /** The admin command the replied-to message asked the text for (a force-reply prompt: "tolak", "catatan"…). */
  replyToCommand?: string;
  receivedAt?: Date;
}

export interface Choice {
  value: string;
  label: string;
}

/** The one reply type; adapters render choices as a keyboard (Telegram) or numbered lines (WhatsApp, terminal). */
export interface Reply {
  text: string;
  choices?: Choice[];
  /** A picture to send with the text (path relative to DATA_DIR, or absolute). */
  image?: { path: string };
  /** Tracking id this message is about, so a reply to it can be tied back to the case. */
  caseRef?: string;
  /**
   * The choices stay on the message after a newer keyboard is sent (admin action buttons: several alerts each keep
   * theirs); the flow checks every press itself. Default: only the latest keyboard of a chat is live.
   */
  keepChoices?: boolean;
  /** Asks for the text of this admin command about caseRef: Telegram opens a reply to the message (force reply). */
  expectReply?: string;
}

export type Privacy = 'biasa' | 'anonim' | 'rahasia';
