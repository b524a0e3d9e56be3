import type { Classification } from '../nlp/classifier.ts';
import type { InboundMessage, Language, Privacy, Reply } from '../domain/messages.ts';
import type { IntakeDraft } from '../domain/intake-draft.ts';
import type { CaseView, CaseSummaryView } from '../domain/case-access.ts';

/**
 * The conversations' own types (the citizen flow's state, effects and events). The neutral message types live
 * in domain/messages.ts and are re-exported here, so a flow imports everything it speaks from one place.
 */
export type { Channel, Choice, InboundAttachment, InboundMessage, Language, LocationAttachment, PhotoAttachment, Privacy, Reply } from '../domain/messages.ts';
export { CHANNELS } from '../domain/messages.ts';
export type { IntakeDraft } from '../domain/intake-draft.ts';
export type { CaseEventView, CaseView, CaseSummaryView } from '../domain/case-access.ts';

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




/** Work a step asks the edge to do after it returns; results come back as FlowEvent inputs. */
export type Effect =
  | { type: 'classify'; text: string; location?: string; privacy?: Privacy }
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
  /** PUBLIC_BASE_URL: where the public case pages are (flows/public-link.ts); unset when there are none. */
  publicBaseUrl?: string;
}
