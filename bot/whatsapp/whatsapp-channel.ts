import { EventEmitter } from 'node:events';
import NodeCache from '@cacheable/node-cache';
import { LRUCache } from 'lru-cache';
import type {
  AnyMessageContent,
  BaileysEventMap,
  CacheStore,
  ConnectionState,
  proto,
  UserFacingSocketConfig,
  WAMessage,
  WAMessageKey,
} from '@whiskeysockets/baileys';
import type { App } from '../app.ts';
import type { Reply } from '../../flows/types.ts';
import { parseConversationKey } from '../../domain/conversation-key.ts';
import type { NotificationSender } from '../../cases/notify.ts';
import { AppError, DeliveryError, errorCode } from '../../lib/errors.ts';
import type { Channel } from '../channel.ts';
import { outboxSender } from '../deliver-replies.ts';
import { handleInbound } from '../handle-inbound.ts';
import { KeyedQueue } from '../../lib/keyed-queue.ts';
import { SentCaseRefs } from '../sent-case-refs.ts';
import type { Logger } from '../../lib/logger.ts';
import { useDatabaseAuthState, type DatabaseAuthState } from './auth-store.ts';
import { translateMessage, type MediaDownloader } from './inbound.ts';
import type { LidMappingLookup } from './normalize-jid.ts';
import { decideReconnect, disconnectStatusCode, RECONNECT_POLICY, type ReconnectPolicy } from './reconnect-policy.ts';
import { renderReply } from './render-reply.ts';
import { SEND_RATE, SendQueue, type SendRate } from './send-queue.ts';
import { pairingCodeInstructions, qrInstructions, renderQrForTerminal } from './pairing.ts';

/**
 * The part of a Baileys 7 socket the channel uses. `makeWASocket` returns a superset; tests pass a fake with an
 * EventEmitter as `ev`, emitting the same event names and payloads.
 */
export interface WhatsAppSocket {
  ev: {
    on<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): unknown;
    removeAllListeners<T extends keyof BaileysEventMap>(event: T): unknown;
  };
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): unknown;
  signalRepository?: { lidMapping: LidMappingLookup };
  updateMediaMessage?(message: WAMessage): Promise<WAMessage>;
}

/** Everything the channel gives the socket factory; the real one passes it to `makeWASocket`. */
export type WhatsAppSocketConfig = UserFacingSocketConfig & {
  msgRetryCounterCache: CacheStore;
  getMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
};

export type SocketFactory = (config: WhatsAppSocketConfig) => WhatsAppSocket;

export type ChannelStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped' | 'gave-up';

export interface WhatsAppChannelOptions {
  app: Pick<App, 'config' | 'db' | 'handle' | 'outbox' | 'log'>;
  createSocket: SocketFactory;
  /** Builds the media downloader for a socket (the default one uses Baileys' downloadMediaMessage). */
  downloader: (socket: WhatsAppSocket) => MediaDownloader;
  /** Defaults to WHATSAPP_ACCOUNT. */
  account?: string;
  /** Defaults to WHATSAPP_PHONE_NUMBER; when set, pairing uses a code instead of a QR. */
  phoneNumber?: string;
  /** Where pairing QR codes, pairing codes and "paired again"/"gave up" notices go (the operator's terminal). */
  print?: (text: string) => void;
  reconnect?: ReconnectPolicy;
  rate?: SendRate;
  /** Extra socket options (e.g. the WhatsApp Web version and a Baileys logger). */
  socketConfig?: Partial<UserFacingSocketConfig>;
}

/**
 * Outgoing messages kept for Baileys' `getMessage` (a recipient's phone asks for a message again when it could
 * not decrypt it). 30 minutes covers retry requests, which come within seconds to minutes; 5 000 entries bound
 * memory (~ a few MB) on a busy day. A bounded LRU: when full it evicts the oldest instead of throwing (node-cache
 * threw ECACHEFULL while expired keys still counted, after the message had been sent). Which case a sent message
 * was about is kept apart, longer (bot/sent-case-refs.ts): an admin may reply to an alert hours later.
 */
const RECENT_MESSAGES = { ttlMs: 30 * 60_000, max: 5_000 } as const;
/** Retry counters live outside the socket so a reconnect does not reset them (Baileys' advice). 10 minutes. */
const RETRY_COUNTER_TTL_SECONDS = 10 * 60;

/**
 * The WhatsApp channel: owns the Baileys socket (pairing, reconnects), translates incoming messages for the
 * flow engine, paces outgoing messages, and delivers outbox notifications while connected.
 */
export class WhatsAppChannel extends EventEmitter implements Channel {
  readonly name = 'wa' as const;
  readonly account: string;
  readonly sender: NotificationSender;
  /** Rejects when the channel gives up reconnecting (status 'gave-up'); see Channel.ended. */
  readonly ended: Promise<void>;
  private rejectEnded!: (err: unknown) => void;
  private statusValue: ChannelStatus = 'idle';
  private socket: WhatsAppSocket | undefined;
  private auth: DatabaseAuthState | undefined;
  private generation = 0;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pairingCodeRequested = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /**
   * Different chats are handled concurrently (one citizen's LLM call never holds up another's reply); one chat's
   * messages in arrival order, download included, so a text sent right after a photo cannot overtake it.
   */
  private readonly chats = new KeyedQueue<string>();
  private readonly queue: SendQueue;
  private readonly policy: ReconnectPolicy;
  private readonly log: Logger;
  private readonly print: (text: string) => void;
  private readonly msgRetryCounterCache = new NodeCache({ stdTTL: RETRY_COUNTER_TTL_SECONDS, useClones: false }) as CacheStore;
  private readonly recent = new LRUCache<string, proto.IMessage>({ max: RECENT_MESSAGES.max, ttl: RECENT_MESSAGES.ttlMs });
  private readonly caseRefs = new SentCaseRefs();

  constructor(private readonly options: WhatsAppChannelOptions) {
    super();
    const { config } = options.app;
    this.account = options.account ?? config.WHATSAPP_ACCOUNT;
    this.policy = options.reconnect ?? RECONNECT_POLICY;
    // "send-start" (jid, at): when each paced send began, for monitoring and for checking the pace itself.
    this.queue = new SendQueue(options.rate ?? SEND_RATE, undefined, (jid, at) => this.emit('send-start', jid, at));
    this.log = options.app.log.child({ channel: 'wa' });
    this.print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
    this.ended = new Promise<void>((_resolve, reject) => {
      this.rejectEnded = reject;
    });
    this.ended.catch(() => undefined);
    this.sender = outboxSender(options.app, {
      channel: 'wa',
      isReady: () => this.statusValue === 'open',
      claims: { keyPrefix: `wa:${this.account}:` },
      send: (conversationKey, reply) => this.sendReply(parseConversationKey(conversationKey).parts[1], reply),
    });
  }

  get status(): ChannelStatus {
    return this.statusValue;
  }

  /** Consecutive failed connections so far (reset when a connection opens). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Loads the stored session and opens the first connection (which prints a QR / pairing code if unpaired). */
  async start(): Promise<void> {
    this.auth = await useDatabaseAuthState(this.options.app.db, this.account, this.log);
    this.connect();
  }

  /** Stops reconnecting, drops queued sends and closes the socket; the stored session stays. */
  async stop(): Promise<void> {
    this.setStatus('stopped');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.generation++;
    this.queue.stop();
    this.closeSocket();
    await this.idle();
  }

  /** Resolves when every incoming message received so far has been handled and its replies sent or queued. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Sends one reply to a chat through the pace queue. Throws DeliveryError when not connected or refused. */
  async sendReply(jid: string, reply: Reply): Promise<void> {
    const content = await renderReply(reply, this.options.app.config.DATA_DIR);
    await this.queue.enqueue(jid, async () => {
      const socket = this.socket;
      if (!socket || this.statusValue !== 'open') throw new DeliveryError('NOT_CONNECTED', 'whatsapp is not connected', false);
      let sent: WAMessage | undefined;
      try {
        sent = await socket.sendMessage(jid, content);
      } catch (err) {
        throw new DeliveryError('PLATFORM_ERROR', 'whatsapp refused the message', false, undefined, { cause: err });
      }
      // The message is out: nothing after this line may throw, or the delivery policy would queue it again.
      try {
        if (sent?.key.id && sent.message) this.recent.set(sent.key.id, sent.message);
        if (sent?.key.id && reply.caseRef) this.caseRefs.remember(jid, sent.key.id, reply.caseRef);
      } catch (err) {
        this.log.warn({ code: errorCode(err) }, 'could not remember a sent whatsapp message');
      }
    });
  }

  private setStatus(status: ChannelStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.emit('status', status);
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    for (const event of ['connection.update', 'creds.update', 'messages.upsert'] as const) socket.ev.removeAllListeners(event);
    try {
      socket.end(undefined);
    } catch (err) {
      this.log.debug({ code: errorCode(err) }, 'closing the whatsapp socket failed');
    }
  }

  private connect(): void {
    const auth = this.auth;
    if (!auth || this.statusValue === 'stopped') return;
    this.closeSocket();
    const generation = ++this.generation;
    this.pairingCodeRequested = false;
    this.setStatus('connecting');
    const socket = this.options.createSocket({
      ...this.options.socketConfig,
      auth: auth.state,
      msgRetryCounterCache: this.msgRetryCounterCache,
      getMessage: async (key) => (key.id ? this.recent.get(key.id) : undefined),
    });
    this.socket = socket;
    const current = () => generation === this.generation;
    socket.ev.on('creds.update', (update) => {
      if (!current()) return;
      Object.assign(auth.state.creds, update);
      this.track(auth.saveCreds().catch((err) => this.log.error({ code: errorCode(err) }, 'saving whatsapp credentials failed')));
    });
    socket.ev.on('connection.update', (update) => {
      if (current()) this.track(this.onConnectionUpdate(socket, update));
    });
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      if (!current()) return;
      for (const message of messages) this.track(this.chats.run(message.key?.remoteJid ?? '', () => this.onMessage(socket, message, type)));
    });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err) => this.log.error({ code: errorCode(err) }, 'whatsapp event handling failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async onConnectionUpdate(socket: WhatsAppSocket, update: Partial<ConnectionState>): Promise<void> {
    if (update.qr) await this.showPairing(socket, update.qr);
    if (update.connection === 'open') {
      this.failures = 0;
      this.setStatus('open');
      this.log.info({ account: this.account, newLogin: Boolean(update.isNewLogin) }, 'whatsapp connected');
      // Notifications that waited while the connection was down go out now, not at the next poll.
      this.track(this.options.app.outbox.drainOnce());
      return;
    }
    if (update.connection === 'close') await this.onClose(update.lastDisconnect?.error);
  }

  private async showPairing(socket: WhatsAppSocket, qr: string): Promise<void> {
    const phone = this.options.phoneNumber ?? this.options.app.config.WHATSAPP_PHONE_NUMBER;
    if (!phone) {
      this.print(qrInstructions(await renderQrForTerminal(qr)));
      return;
    }
    // A new QR arrives every ~20 s while unpaired; one code per socket is enough (a new code invalidates the old).
    if (this.pairingCodeRequested) return;
    this.pairingCodeRequested = true;
    try {
      this.print(pairingCodeInstructions(await socket.requestPairingCode(phone)));
    } catch (err) {
      this.log.error({ code: errorCode(err) }, 'requesting a whatsapp pairing code failed');
    }
  }

  private async onClose(error: unknown): Promise<void> {
    if (this.statusValue === 'stopped') return;
    const decision = decideReconnect(disconnectStatusCode(error), this.failures, this.policy);
    this.closeSocket();
    if (decision.action === 'stop') {
      this.failures++;
      this.setStatus('gave-up');
      this.rejectEnded(new AppError('WHATSAPP_GAVE_UP', `stopped reconnecting after ${this.failures} failed connections`));
      this.log.error({ reason: decision.reason, failures: this.failures }, 'whatsapp: giving up reconnecting');
      this.print(
        `WhatsApp: stopped reconnecting after ${this.failures} failed connections in a row (last: ${decision.reason}). ` +
          'Notifications wait in the outbox. Check the network or pair again, then restart the bot.',
      );
      return;
    }
    if (decision.action === 'pair-again') {
      this.log.warn({ reason: decision.reason }, 'whatsapp logged out; clearing the stored session');
      await this.auth?.clear();
      this.auth = await useDatabaseAuthState(this.options.app.db, this.account, this.log);
      this.print('WhatsApp: this device was logged out (unlinked on the phone). The stored session is cleared; pair again:');
    } else if (decision.countsAsFailure) {
      this.failures++;
    }
    this.setStatus('reconnecting');
    const delayMs = decision.delayMs;
    this.log.info({ reason: decision.reason, delayMs, failures: this.failures }, 'whatsapp connection closed; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delayMs);
  }

  private async onMessage(socket: WhatsAppSocket, message: WAMessage, type: string): Promise<void> {
    const inbound = await translateMessage(message, type, {
      account: this.account,
      dataDir: this.options.app.config.DATA_DIR,
      maxAttachmentBytes: this.options.app.config.MAX_ATTACHMENT_BYTES,
      maxAudioBytes: this.options.app.config.STT_MAX_AUDIO_BYTES,
      download: this.options.downloader(socket),
      lidMapping: socket.signalRepository?.lidMapping,
      caseRefFor: (jid, id) => this.caseRefs.caseRefFor(jid, id),
      log: this.log,
    });
    if (!inbound) return;
    // WhatsApp does not deliver a message twice: a failure is answered by asking the citizen to send it again.
    await handleInbound(this.options.app, inbound, (key, reply) => this.sendReply(parseConversationKey(key).parts[1], reply));
  }
}
