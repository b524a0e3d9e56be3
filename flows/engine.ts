import type { Db } from '../db/client.ts';
import type { CityProfile } from '../lib/city-profile.ts';
import type { Classifier, Classification } from '../nlp/classifier.ts';
import type { Logger } from '../lib/logger.ts';
import type { CaseFiledHook } from '../db/file-case.ts';
import { fileCase } from '../db/file-case.ts';
import { findCaseForReporter, listCasesForReporter } from '../db/find-cases.ts';
import { loadForMessage, saveConversation, ConversationConflictError } from '../db/conversations.ts';
import { errorCode } from '../lib/errors.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { initialCitizenState, stepCitizen } from './citizen-flow.ts';
import { cleanInbound } from './clean-text.ts';
import type { CitizenState, Effect, FlowContext, FlowEvent, FlowInput, InboundMessage, Language, Reply } from './types.ts';
import type { CityBoundary } from '../lib/geo.ts';
import type { MessageReader } from '../nlp/read-message.ts';

/** A flow step may ask for effects whose results feed the next step; this caps that loop. */
const MAX_STEPS_PER_MESSAGE = 8;
/** One retry after an optimistic-version conflict: another process wrote the same conversation. */
const CONFLICT_RETRIES = 1;
/**
 * Conversations this process has seen, so the first message after a restart can remind the citizen of their
 * draft. Capped: past it the set starts over, and a few citizens get one reminder too many, which is harmless.
 */
const MAX_REMEMBERED_CONVERSATIONS = 100_000;

const SYSTEM_ERROR: Record<Language, string> = {
  id: 'Maaf, sistem sedang mengalami gangguan dan pesan Kakak belum tersimpan. Silakan kirim lagi beberapa saat lagi.',
  en: 'Sorry, the system is having a problem and your message was not saved. Please send it again in a moment.',
};

/**
 * Something that may answer a message before the citizen flow does (admin commands, follow-up answers on a
 * case, flood control). Runs inside the conversation's lock, after duplicate detection; returning replies
 * means "handled" and the message is marked processed.
 */
export type MessageInterceptor = (message: InboundMessage, ctx: InterceptorContext) => Promise<Reply[] | undefined>;

export interface InterceptorContext {
  db: Db;
  now: Date;
  /** The citizen flow's state for this conversation (language, current step). */
  citizenState: CitizenState;
  /** Replaces the citizen state saved for this message (e.g. a pending follow-up question); later steps see it. */
  setCitizenState?(state: CitizenState): void;
}

export interface FlowEngineOptions {
  db: Db;
  profile: CityProfile;
  classifier: Classifier;
  /** Answers when the main classifier throws; the keyword classifier is a good choice. */
  fallbackClassifier?: Classifier;
  log: Logger;
  maxMessageLength: number;
  /** Language of a conversation's first reply (DEFAULT_LANGUAGE). */
  defaultLanguage?: Language;
  clock?: () => Date;
  caseFiledHooks?: CaseFiledHook[];
  interceptors?: MessageInterceptor[];
  /** The city's kelurahan polygons (BOUNDARY_FILE), for shared pins. */
  boundary?: CityBoundary;
  /** Reads a free first message with the LLM (description, place, kind); absent without an LLM. */
  messageReader?: MessageReader;
}

/**
 * Runs conversations: one message per conversation at a time, duplicates dropped, state saved after every
 * message so a restart resumes each conversation where it was. Flows stay pure; effects run here.
 */
export class FlowEngine {
  private readonly queue = new KeyedQueue<string>();
  private readonly clock: () => Date;
  private readonly seen = new Set<string>();
  readonly interceptors: MessageInterceptor[];
  readonly caseFiledHooks: CaseFiledHook[];

  constructor(private readonly options: FlowEngineOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.interceptors = [...(options.interceptors ?? [])];
    this.caseFiledHooks = [...(options.caseFiledHooks ?? [])];
  }

  get db(): Db {
    return this.options.db;
  }

  /** Handles one inbound message; resolves with the replies to send back on the same chat. */
  handle(message: InboundMessage): Promise<Reply[]> {
    return this.queue.run(message.key, () => this.process(message));
  }

  /** Conversations with a message being processed right now. */
  get busyConversations(): number {
    return this.queue.busyKeys;
  }

  private async process(raw: InboundMessage, attempt = 0): Promise<Reply[]> {
    const { db, log } = this.options;
    // Lone surrogates and control characters never reach the flows or the database (flows/clean-text.ts).
    const message = cleanInbound(raw);
    let lang: Language = 'id';
    try {
      // One read for both: was this message id handled already, and where is the conversation.
      const stored = await loadForMessage<CitizenState>(db, message.key, message.messageId, () => initialCitizenState(this.options.defaultLanguage));
      if (stored.processed) {
        log.debug({ messageId: message.messageId }, 'duplicate message dropped');
        return [];
      }
      lang = stored.state.lang;
      const now = this.clock();
      let current = stored.state;
      const setCitizenState = (next: CitizenState) => {
        current = next;
      };
      for (const interceptor of this.interceptors) {
        const handled = await interceptor(message, { db, now, citizenState: current, setCitizenState });
        if (handled) {
          await saveConversation(db, message.key, 'citizen', current, stored.version, message.messageId);
          return handled;
        }
      }
      const ctx: FlowContext = {
        profile: this.options.profile,
        maxMessageLength: this.options.maxMessageLength,
        conversationKey: message.key,
        now,
        boundary: this.options.boundary,
        resumed: stored.version > 0 && !this.seen.has(message.key),
        llmReads: Boolean(this.options.messageReader),
      };
      if (this.seen.size >= MAX_REMEMBERED_CONVERSATIONS) this.seen.clear();
      this.seen.add(message.key);
      let state = current;
      const replies: Reply[] = [];
      const pending: FlowInput[] = [{ kind: 'message', message }];
      for (let steps = 0; pending.length > 0 && steps < MAX_STEPS_PER_MESSAGE; steps++) {
        const result = stepCitizen(state, pending.shift()!, ctx);
        state = result.state;
        replies.push(...result.replies);
        for (const effect of result.effects) {
          const event = await this.runEffect(effect, message, state, now);
          if (event) pending.push(event);
        }
      }
      await saveConversation(db, message.key, 'citizen', state, stored.version, message.messageId);
      return replies;
    } catch (err) {
      if (err instanceof ConversationConflictError && attempt < CONFLICT_RETRIES) return this.process(message, attempt + 1);
      log.error({ code: errorCode(err), messageId: message.messageId, channel: message.channel }, 'message processing failed');
      return [{ text: SYSTEM_ERROR[lang] }];
    }
  }

  private async runEffect(effect: Effect, message: InboundMessage, state: CitizenState, now: Date): Promise<FlowEvent | undefined> {
    const { db } = this.options;
    switch (effect.type) {
      case 'classify':
        return { kind: 'classified', classification: await this.classify(effect.text, effect.location) };
      case 'fileCase':
        try {
          const filed = await fileCase(
            db,
            {
              intakeKey: effect.intakeKey,
              conversationKey: message.key,
              channel: message.channel,
              sender: { name: message.sender.name, phone: message.sender.phone },
              language: state.lang,
              draft: effect.draft,
              now,
            },
            this.caseFiledHooks,
          );
          if (filed.created) this.options.log.info({ caseId: filed.id, channel: message.channel }, 'case filed');
          return { kind: 'filed', trackingId: filed.trackingId };
        } catch (err) {
          this.options.log.error({ code: errorCode(err) }, 'filing a case failed');
          return { kind: 'fileFailed' };
        }
      case 'lookupCase':
        return { kind: 'caseFound', trackingId: effect.trackingId, view: await findCaseForReporter(db, message.key, effect.trackingId) };
      case 'listMyCases':
        return { kind: 'myCases', cases: await listCasesForReporter(db, message.key) };
      case 'readMessage':
        return { kind: 'messageRead', text: effect.text, reading: (await this.options.messageReader?.read(effect.text)) ?? null };
      case 'setLanguage':
        await db.citizen.updateMany({ where: { identities: { some: { conversationKey: message.key } } }, data: { language: effect.lang } });
        return undefined;
    }
  }

  private async classify(text: string, location?: string): Promise<Classification> {
    try {
      return await this.options.classifier.classify({ text, location });
    } catch (err) {
      const fallback = this.options.fallbackClassifier;
      this.options.log.warn({ code: errorCode(err), classifier: this.options.classifier.name }, 'classifier failed; using fallback');
      if (!fallback) throw err;
      const result = await fallback.classify({ text, location });
      return { ...result, fallback: result.fallback ?? errorCode(err) };
    }
  }
}
