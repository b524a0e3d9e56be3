import type { Channel, InboundMessage, Language, Reply } from './types.ts';

/**
 * Per-conversation flood control: a wrapper around a message handler (withFloodControl(engine.handle) returns
 * one; bot/app.ts hands the wrapped handle to every channel adapter). A chat that sends more
 * than `maxMessages` text messages within `windowMs` is in a flood. From then on its messages are held
 * instead of processed; each new one replaces the held one, and once the chat has been quiet for `quietMs`
 * (or `maxHoldMs` after holding began, so a non-stop flood still gets an answer) only the LAST message is
 * processed. The citizen gets one polite warning per flood.
 */
export interface FloodLimits {
  windowMs: number;
  maxMessages: number;
  quietMs: number;
  maxHoldMs: number;
  attachmentWindowMs: number;
  maxAttachments: number;
}

export const FLOOD_LIMITS: FloodLimits = {
  /** "A couple of seconds": people correct a typo or add a line, but nobody reads a reply and types six times in 2 s. */
  windowMs: 2_000,
  /** More than 5 text messages in the window is a flood; 5 leaves room for a few quick follow-ups. */
  maxMessages: 5,
  /** The held message goes through after 1.5 s without a new one: the burst is over. */
  quietMs: 1_500,
  /** Cap on holding: a chat that never pauses still gets its latest message answered every 5 s. */
  maxHoldMs: 5_000,
  /**
   * Photos and locations are counted on their own, over a minute: an album arrives as up to 10 messages at once
   * (Telegram's album limit), so they are never held as text is; past 10 in a minute the rest are dropped. Each
   * photo was saved to disk and costs a database write, and no report keeps more than five.
   */
  attachmentWindowMs: 60_000,
  maxAttachments: 10,
};

/**
 * The terminal is a local, scriptable tool (`npm run chat` fed through a pipe sends lines as fast as it
 * reads replies), not a public abuse surface.
 */
export const FLOOD_EXEMPT_CHANNELS: readonly Channel[] = ['term'];

export const FLOOD_WARNING: Record<Language, string> = {
  id: 'Pesan Anda masuk cepat sekali. Saya tunggu sebentar, lalu saya proses pesan terakhir Anda saja, ya.',
  en: 'That is a lot of messages very quickly. I will wait a moment and then handle only your last message.',
};

export const ATTACHMENT_FLOOD_WARNING: Record<Language, string> = {
  id: 'Fotonya banyak sekali sekaligus. Foto berikutnya saya lewati dulu, ya; kirim lagi sebentar lagi kalau masih perlu.',
  en: 'That is a lot of photos at once. I will skip the next ones for now; send them again in a little while if needed.',
};

export type HandleMessage = (message: InboundMessage) => Promise<Reply[]>;

export interface FloodControlOptions {
  limits?: Partial<FloodLimits>;
  exemptChannels?: readonly Channel[];
  /** The conversation's language, for the warning; consulted only when a flood starts. */
  language?: (key: string) => Promise<Language>;
  /** Milliseconds clock; tests may replace it. */
  now?: () => number;
  /** Told (with ids and counts only) when a flood starts and when held messages are dropped. */
  onFlood?: (info: { channel: Channel; dropped: number }) => void;
}

interface Held {
  message: InboundMessage;
  resolve: (replies: Reply[]) => void;
  reject: (err: unknown) => void;
}

interface ChatState {
  /** Arrival times of counted messages within the window. */
  arrivals: number[];
  /** Arrival times of attachments within the attachment window (one entry per attachment). */
  attachmentArrivals?: number[];
  /** The attachment warning for the current burst went out. */
  attachmentWarned?: boolean;
  held?: Held;
  holdStartedAt: number;
  timer?: NodeJS.Timeout;
  /** The warning for the current flood went out (reset once the chat is calm again). */
  warned: boolean;
  dropped: number;
  lang?: Language;
  /** Settles once the conversation's language is known (or the lookup failed). */
  langReady: Promise<void>;
}

export class FloodControl {
  readonly limits: FloodLimits;
  private readonly chats = new Map<string, ChatState>();
  private readonly exempt: ReadonlySet<Channel>;
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastSweep = 0;

  constructor(
    private readonly inner: HandleMessage,
    private readonly options: FloodControlOptions = {},
  ) {
    this.limits = { ...FLOOD_LIMITS, ...options.limits };
    this.exempt = new Set(options.exemptChannels ?? FLOOD_EXEMPT_CHANNELS);
    this.now = options.now ?? Date.now;
  }

  /** Same contract as FlowEngine.handle: resolves with the replies for this message ([] when it was dropped). */
  readonly handle: HandleMessage = (message) => {
    if (this.exempt.has(message.channel)) return this.inner(message);
    const now = this.now();
    this.sweep(now);
    const chat = this.chats.get(message.key) ?? { arrivals: [], holdStartedAt: 0, warned: false, dropped: 0, langReady: Promise.resolve() };
    this.chats.set(message.key, chat);
    // Photos and locations are counted, not held (an album arrives as several messages at once): see FLOOD_LIMITS.
    if (message.attachments?.length) return this.countAttachments(chat, message, now);
    chat.arrivals = chat.arrivals.filter((t) => t > now - this.limits.windowMs);
    chat.arrivals.push(now);

    if (!chat.held && chat.arrivals.length <= this.limits.maxMessages) {
      chat.warned = false;
      return this.inner(message);
    }
    return new Promise<Reply[]>((resolve, reject) => {
      if (chat.held) {
        // A newer message replaces the held one; the replaced one is answered with the warning if the
        // flood's warning has not gone out yet, else with nothing.
        chat.dropped++;
        this.replaced(chat, chat.held);
      } else {
        chat.holdStartedAt = now;
        chat.dropped = 0;
        if (!chat.warned) chat.langReady = this.resolveLanguage(message.key, chat);
      }
      chat.held = { message, resolve, reject };
      this.schedule(chat, now);
    });
  };

  private async countAttachments(chat: ChatState, message: InboundMessage, now: number): Promise<Reply[]> {
    const recent = (chat.attachmentArrivals ?? []).filter((t) => t > now - this.limits.attachmentWindowMs);
    if (recent.length + message.attachments!.length > this.limits.maxAttachments) {
      chat.attachmentArrivals = recent;
      if (chat.attachmentWarned) return [];
      chat.attachmentWarned = true;
      this.options.onFlood?.({ channel: message.channel, dropped: 1 });
      const lang = this.options.language ? await this.options.language(message.key).catch(() => 'id' as const) : 'id';
      return [{ text: ATTACHMENT_FLOOD_WARNING[lang] }];
    }
    chat.attachmentArrivals = [...recent, ...message.attachments!.map(() => now)];
    chat.attachmentWarned = false;
    return this.inner(message);
  }

  /** Conversations currently tracked (for tests and metrics). */
  get trackedConversations(): number {
    return this.chats.size;
  }

  /** Processes every held message now (shutdown) and waits for them. */
  async flush(): Promise<void> {
    for (const chat of this.chats.values()) if (chat.held) this.release(chat);
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(chat: ChatState, now: number): void {
    if (chat.timer) clearTimeout(chat.timer);
    const deadline = Math.min(now + this.limits.quietMs, chat.holdStartedAt + this.limits.maxHoldMs);
    chat.timer = setTimeout(() => this.release(chat), Math.max(0, deadline - now));
  }

  /** Decides now whether this reply carries the flood's one warning; the text waits for the language. */
  private takeWarning(chat: ChatState, channel: Channel): boolean {
    if (chat.warned) return false;
    chat.warned = true;
    this.options.onFlood?.({ channel, dropped: chat.dropped });
    return true;
  }

  private async warning(chat: ChatState, warn: boolean): Promise<Reply[]> {
    if (!warn) return [];
    await chat.langReady;
    return [{ text: FLOOD_WARNING[chat.lang ?? 'id'] }];
  }

  private replaced(chat: ChatState, held: Held): void {
    void this.warning(chat, this.takeWarning(chat, held.message.channel)).then(held.resolve);
  }

  private release(chat: ChatState): void {
    const held = chat.held;
    if (chat.timer) clearTimeout(chat.timer);
    chat.timer = undefined;
    chat.held = undefined;
    if (!held) return;
    const warning = this.warning(chat, this.takeWarning(chat, held.message.channel));
    const run = Promise.all([warning, this.inner(held.message)]).then(
      ([first, replies]) => held.resolve([...first, ...replies]),
      (err) => held.reject(err),
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async resolveLanguage(key: string, chat: ChatState): Promise<void> {
    chat.lang = undefined;
    if (!this.options.language) return;
    try {
      chat.lang = await this.options.language(key);
    } catch {
      // The warning falls back to Indonesian; flood control must not fail a message.
    }
  }

  /** Forgets calm chats, at most once per window, so memory follows active chats only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.limits.windowMs) return;
    this.lastSweep = now;
    for (const [key, chat] of this.chats) {
      const calm = (chat.arrivals.at(-1) ?? 0) <= now - this.limits.windowMs;
      const noRecentAttachments = (chat.attachmentArrivals?.at(-1) ?? 0) <= now - this.limits.attachmentWindowMs;
      if (!chat.held && calm && noRecentAttachments) this.chats.delete(key);
    }
  }
}

/** Flood control in front of `handle`: call the returned `.handle` instead (same contract, [] when dropped). */
export function withFloodControl(handle: HandleMessage, options: FloodControlOptions = {}): FloodControl {
  return new FloodControl(handle, options);
}
