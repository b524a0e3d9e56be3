import type { Classification } from '../nlp/classifier.ts';

/** Channels a conversation can live on; the prefix of every conversation key. */
export const CHANNELS = ['tg', 'wa', 'term'] as const;
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

export type InboundAttachment = PhotoAttachment | LocationAttachment;

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
}

export type Privacy = 'biasa' | 'anonim' | 'rahasia';

export interface IntakeDraft {
  description?: string;
  locationText?: string;
  latitude?: number;
  longitude?: number;
  kelurahan?: string;
  kecamatan?: string;
  placeCode?: string;
  photos: PhotoAttachment[];
  privacy?: Privacy;
  classification?: Classification;
  /** Set while the citizen is changing one field from the summary; the flow returns to the summary after. */
  editing?: boolean;
  /** The start of a complaint said with the opening ("mau lapor soal sampah"), put before the description. */
  lead?: string;
  /** The place lies outside the city (its name); kept so the question is asked once. */
  outside?: string;
}

export type CitizenStep =
  | 'idle'
  | 'menu'
  | 'description'
  | 'location'
  | 'photo'
  | 'privacy'
  | 'classifying'
  | 'confirm'
  | 'edit'
  | 'filing'
  | 'status_id'
  /** "Batalkan laporan ini?" after batal on a draft with content. */
  | 'confirm_cancel'
  /** "Titik itu di luar Kota Malang … Tetap lanjut?" */
  | 'location_outside'
  /** A pin was shared and no boundary file is configured: which kelurahan? */
  | 'location_area';

/** Everything the citizen flow remembers between messages; stored as JSON with a version. */
export interface CitizenState {
  lang: Language;
  step: CitizenStep;
  draft?: IntakeDraft;
  /** Counts reports started in this conversation; with the key it makes each filing idempotent. */
  draftSeq: number;
  /** A question about an answered case waiting for the citizen (what is still wrong, or a 1-5 rating). */
  followUp?: { trackingId: string; awaiting: 'reason' | 'rating' };
  /** The citizen picked the language (english, /lang): detection no longer switches it. */
  langChosen?: boolean;
  /** When the citizen last wrote (ISO time): after a long silence the pending question comes with a reminder. */
  lastAt?: string;
  /** The step to go back to when a "batal" is not confirmed. */
  cancelFrom?: CitizenStep;
}

export interface CaseEventView {
  at: string;
  action: string;
  toStatus?: string | null;
  note?: string | null;
}

export interface CaseView {
  trackingId: string;
  status: string;
  reportKind: string;
  description: string;
  categoryName?: string;
  opdName?: string;
  locationText?: string | null;
  submittedAt: string;
  events: CaseEventView[];
}

export interface CaseSummaryView {
  trackingId: string;
  status: string;
  description: string;
  submittedAt: string;
}

/** Work a step asks the edge to do after it returns; results come back as FlowEvent inputs. */
export type Effect =
  | { type: 'classify'; text: string; location?: string }
  | { type: 'fileCase'; intakeKey: string; draft: IntakeDraft }
  | { type: 'lookupCase'; trackingId: string }
  | { type: 'listMyCases' }
  | { type: 'setLanguage'; lang: Language }
  /** Let the LLM read a free first message (description, place, report kind); answered by 'messageRead'. */
  | { type: 'readMessage'; text: string };

/** Results of effects, fed back into the flow as inputs. */
export type FlowEvent =
  | { kind: 'classified'; classification: Classification }
  | { kind: 'filed'; trackingId: string }
  | { kind: 'fileFailed' }
  | { kind: 'caseFound'; view: CaseView | null; trackingId: string }
  | { kind: 'myCases'; cases: CaseSummaryView[] }
  /** The LLM's reading of a first message, or null when it failed (the offline path answers then). */
  | { kind: 'messageRead'; text: string; reading: MessageReading | null };

/** What an LLM read from a citizen's free first message. */
export interface MessageReading {
  /** Whether the message reports a problem, asks or suggests (false: a greeting, a question about the bot…). */
  isReport: boolean;
  /** The complaint in the citizen's words, without greetings and the place. */
  description?: string;
  /** The place as written ("depan pasar besar"), if the message names one. */
  place?: string;
  reportKind?: import('../nlp/classifier.ts').ReportKind;
  language?: Language;
}

export type FlowInput = { kind: 'message'; message: InboundMessage } | FlowEvent;

export interface StepResult<S> {
  state: S;
  replies: Reply[];
  effects: Effect[];
}

/** Read-only facts a step may consult; nothing in here performs I/O. */
export interface FlowContext {
  profile: import('../lib/city-profile.ts').CityProfile;
  maxMessageLength: number;
  conversationKey: string;
  now: Date;
  /** The city's boundary, when BOUNDARY_FILE is configured: a shared pin becomes kelurahan and kecamatan. */
  boundary?: import('../lib/geo.ts').CityBoundary;
  /** First message of this conversation since the process started (a restart): the flow reminds where it was. */
  resumed?: boolean;
  /** An LLM may read free first messages ('readMessage' effect). */
  llmReads?: boolean;
}
