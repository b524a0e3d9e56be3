import type { Db } from '../db/client.ts';
import type { CityProfile } from '../lib/city-profile.ts';
import type { Classifier, Classification, ClassifyInput } from '../nlp/classifier.ts';
import type { Logger } from '../lib/logger.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import { fileCase, type CaseFiledHook } from '../cases/file-case.ts';
import { findCaseForReporter, listCasesForReporter } from '../cases/reporter-cases.ts';
import { findSimilarOpenCases } from '../cases/find-similar-open-cases.ts';
import { supportCase } from '../cases/support-case.ts';
import { setCitizenLanguage } from '../db/citizens.ts';
import { loadForMessage, saveConversation, ConversationConflictError } from '../db/conversations.ts';
import { attachmentPathsIn, deleteDroppedAttachments } from '../db/orphan-attachments.ts';
import { errorCode } from '../lib/errors.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { noConversationLock, type ConversationLock } from '../db/conversation-lock.ts';
import { messageLatency, secondsSince } from '../lib/metrics.ts';
import { initialCitizenState, promptFor, stepCitizen } from './citizen/citizen-flow.ts';
import { cleanInbound } from './clean-text.ts';
import { t } from './citizen/texts.ts';
import { publicLinkReply } from './public-link.ts';
import type { CitizenState, Effect, FlowContext, FlowEvent, FlowInput, InboundMessage, IntakeDraft, Language, Reply } from './types.ts';
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
 * A step of the engine's pipeline that may answer a message before the citizen's intake flow does (/statistik,
 * admin commands, the citizen's follow-up on a case). Runs inside the conversation's lock, after duplicate
 * detection; returning replies means "handled" and the message is marked processed, undefined passes it on.
 * Handlers reach the database through cases/ and db/ functions, never Prisma.
 */
export type MessageHandler = (message: InboundMessage, ctx: HandlerContext) => Promise<Reply[] | undefined | HandlerRewrite>;

/**
 * A handler may pass on a different message instead of answering: a confirmed voice-note transcript goes on to
 * the later handlers and the intake flow as if the citizen had typed it (flows/citizen/voice-note.ts).
 */
export interface HandlerRewrite {
  rewrite: InboundMessage;
}

export interface HandlerContext {
  db: Db;
  now: Date;
  /** The citizen flow's state for this conversation (language, current step). */
  citizenState: CitizenState;
  /** Replaces the citizen state saved for this message (e.g. a pending follow-up question); later steps see it. */
  setCitizenState?(state: CitizenState): void;
  /** The intake flow's question for the citizen's current step, to ask again after a handler's own answer. */
  citizenPrompt?(): Reply[];
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
  /** Working days of the city, for the deadlines set when a case is filed. */
  calendar: WorkingCalendar;
  /** More work in every filing transaction (cases/file-case.ts already sets the deadline and alerts admins). */
  caseFiledHooks?: readonly CaseFiledHook[];
  /**
   * The pipeline, in order: the first handler that answers wins; a message none of them takes goes to the
   * citizen's intake flow. Fixed at construction.
   */
  handlers?: readonly MessageHandler[];
  /** DATA_DIR: where photos are kept; when set, the photos a conversation drops (batal) are deleted at once. */
  dataDir?: string;
  /**
   * Keeps one conversation's messages one at a time across processes (db/conversation-lock.ts), taken after the
   * in-process queue so a process holds at most one lock per conversation. None: a single process (SQLite).
   */
  conversationLock?: ConversationLock;
  /** The city's kelurahan polygons (BOUNDARY_FILE), for shared pins. */
  boundary?: CityBoundary;
  /** Reads a free first message with the LLM (description, place, kind); absent without an LLM. */
  messageReader?: MessageReader;
  /** PUBLIC_BASE_URL: the filing confirmation links the case's public page. */
  publicBaseUrl?: string;
}

/**
 * Runs conversations: one message per conversation at a time, duplicates dropped, state saved after every
 * message so a restart resumes each conversation where it was. Flows stay pure; effects run here.
 */
export class FlowEngine {
  private readonly queue = new KeyedQueue<string>();
  private readonly clock: () => Date;
  private readonly handlers: readonly MessageHandler[];
  /** Conversations seen since this process started: the first message after a restart gets a reminder of the draft. */
  private readonly seen = new Set<string>();

  constructor(private readonly options: FlowEngineOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.handlers = Object.freeze([...(options.handlers ?? [])]);
  }

  get db(): Db {
    return this.options.db;
  }

  /**
   * Handles one inbound message; resolves with the replies to send back on the same chat. Rejects only when the
   * message could not be taken at all (another process held the conversation too long: CONVERSATION_LOCK_TIMEOUT,
   * transient), so the channel asks the citizen to send it again, or a webhook platform redelivers it.
   */
  readonly handle = (message: InboundMessage): Promise<Reply[]> => {
    const started = process.hrtime.bigint();
    const lock = this.options.conversationLock ?? noConversationLock;
    return this.queue
      .run(message.key, () => lock.run(message.key, () => this.process(message)))
      .finally(() => messageLatency.observe({ channel: message.channel }, secondsSince(started)));
  };

  /** Conversations with a message being processed right now. */
  get busyConversations(): number {
    return this.queue.busyKeys;
  }

  private async process(raw: InboundMessage, attempt = 0): Promise<Reply[]> {
    const { db, log } = this.options;
    // Lone surrogates and control characters never reach the flows or the database (flows/clean-text.ts).
    let message = cleanInbound(raw);
    let lang: Language = 'id';
    try {
      // One read for both: was this message id handled already, and where is the conversation.
      const stored = await loadForMessage<CitizenState>(db, message.key, message.messageId, () => initialCitizenState(this.options.defaultLanguage));
      if (stored.processed) {
        log.debug({ messageId: message.messageId }, 'duplicate message dropped');
        return [];
      }
      lang = stored.state.lang;
      // One limit on every path (admin commands, `tambah <id> …`, photo captions), before anything can store it.
      if ((message.text?.length ?? 0) > this.options.maxMessageLength) {
        await saveConversation(db, message.key, 'citizen', stored.state, stored.version, message.messageId);
        return [{ text: t(lang, 'tooLong', { max: this.options.maxMessageLength }) }];
      }
      const now = this.clock();
      let current = stored.state;
      const setCitizenState = (next: CitizenState) => {
        current = next;
      };
      const ctx: FlowContext = {
        profile: this.options.profile,
        maxMessageLength: this.options.maxMessageLength,
        conversationKey: message.key,
        now,
        boundary: this.options.boundary,
        resumed: stored.version > 0 && !this.seen.has(message.key),
        llmReads: Boolean(this.options.messageReader),
        publicBaseUrl: this.options.publicBaseUrl,
      };
      const citizenPrompt = () => promptFor(current, ctx);
      for (const handler of this.handlers) {
        const handled = await handler(message, { db, now, citizenState: current, setCitizenState, citizenPrompt });
        if (handled && !Array.isArray(handled)) {
          message = cleanInbound(handled.rewrite);
          continue;
        }
        if (handled) {
          await saveConversation(db, message.key, 'citizen', current, stored.version, message.messageId);
          await this.deleteDroppedPhotos(stored.state, current);
          return handled;
        }
      }
      if (this.seen.size >= MAX_REMEMBERED_CONVERSATIONS) this.seen.clear();
      this.seen.add(message.key);
      let state = current;
      const replies: Reply[] = [];
      const pending: FlowInput[] = [{ kind: 'message', message }];
      let filedPrivacy: IntakeDraft['privacy'] | undefined;
      for (let steps = 0; pending.length > 0 && steps < MAX_STEPS_PER_MESSAGE; steps++) {
        const input = pending.shift()!;
        const result = stepCitizen(state, input, ctx);
        state = result.state;
        replies.push(...result.replies);
        // After the flow's filing confirmation: a separate line with the case's public page, when there is one.
        if (input.kind === 'filed') {
          const link = publicLinkReply(ctx, state.lang, input.trackingId, filedPrivacy, result.replies);
          if (link) replies.push(link);
        }
        for (const effect of result.effects) {
          if (effect.type === 'fileCase') filedPrivacy = effect.draft.privacy;
          const event = await this.runEffect(effect, message, state, now);
          if (event) pending.push(event);
        }
      }
      await saveConversation(db, message.key, 'citizen', state, stored.version, message.messageId);
      await this.deleteDroppedPhotos(stored.state, state);
      return replies;
    } catch (err) {
      if (err instanceof ConversationConflictError && attempt < CONFLICT_RETRIES) return this.process(raw, attempt + 1);
      log.error({ code: errorCode(err), messageId: message.messageId, channel: message.channel }, 'message processing failed');
      return [{ text: SYSTEM_ERROR[lang] }];
    }
  }

  /**
   * Deletes the photo files the step let go of (a cancelled draft, a restarted report) unless a case keeps them;
   * whatever the flow's state looks like, paths are found by their "attachments/" prefix. A failure here loses
   * nothing the citizen needs: the daily job's orphan cleanup deletes the file later.
   */
  private async deleteDroppedPhotos(before: CitizenState, after: CitizenState): Promise<void> {
    const { dataDir } = this.options;
    if (!dataDir) return;
    const kept = attachmentPathsIn(after);
    const dropped = [...attachmentPathsIn(before)].filter((p) => !kept.has(p));
    if (dropped.length === 0) return;
    try {
      const deleted = await deleteDroppedAttachments(this.options.db, { dataDir, paths: dropped });
      if (deleted > 0) this.options.log.debug({ deleted }, 'photos of a dropped draft deleted');
    } catch (err) {
      this.options.log.warn({ code: errorCode(err) }, 'deleting a dropped draft\'s photos failed; the daily cleanup will');
    }
  }

  private async runEffect(effect: Effect, message: InboundMessage, state: CitizenState, now: Date): Promise<FlowEvent | undefined> {
    const { db } = this.options;
    switch (effect.type) {
      case 'classify':
        return { kind: 'classified', classification: await this.classify(effect) };
      case 'fileCase':
        try {
          const filed = await fileCase(
            { db, calendar: this.options.calendar, hooks: this.options.caseFiledHooks, profile: this.options.profile },
            {
              intakeKey: effect.intakeKey,
              conversationKey: message.key,
              channel: message.channel,
              sender: { name: message.sender.name, phone: message.sender.phone },
              language: state.lang,
              draft: effect.draft,
              now,
            },
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
        await setCitizenLanguage(db, message.key, effect.lang);
        return undefined;
      case 'findSimilar':
        try {
          return { kind: 'similarFound', cases: await findSimilarOpenCases(db, effect.draft, { now, conversationKey: message.key }) };
        } catch (err) {
          // The offer is a courtesy: without it the citizen simply files their report.
          this.options.log.warn({ code: errorCode(err) }, 'similar-case lookup failed');
          return { kind: 'similarFound', cases: [] };
        }
      case 'supportCase': {
        const supported = await supportCase(
          { db, calendar: this.options.calendar },
          {
            trackingId: effect.trackingId,
            conversationKey: message.key,
            channel: message.channel,
            sender: { name: message.sender.name, phone: message.sender.phone },
            language: state.lang,
            now,
          },
        );
        return supported.ok
          ? { kind: 'supported', trackingId: effect.trackingId, ok: true, reply: supported.reply }
          : { kind: 'supported', trackingId: effect.trackingId, ok: false };
      }
    }
  }

  private async classify({ text, location, privacy }: ClassifyInput): Promise<Classification> {
    try {
      return await this.options.classifier.classify({ text, location, privacy });
    } catch (err) {
      const fallback = this.options.fallbackClassifier;
      this.options.log.warn({ code: errorCode(err), classifier: this.options.classifier.name }, 'classifier failed; using fallback');
      if (!fallback) throw err;
      const result = await fallback.classify({ text, location, privacy });
      return { ...result, fallback: result.fallback ?? errorCode(err) };
    }
  }
}
