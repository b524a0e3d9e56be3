import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';

/** Outgoing pace. WhatsApp restricts or bans numbers that send at machine speed, so every send waits its turn. */
export interface SendRate {
  /** Minimum time between the starts of two sends to the same chat. */
  perChatMinGapMs: number;
  /** Minimum time between the starts of any two sends, across all chats. */
  overallMinGapMs: number;
}

export const SEND_RATE: SendRate = {
  /**
   * 1 s per chat: about as fast as a person reads; the flow answers one message with 1–3 replies, so an answer
   * is complete within ~2 s and never arrives as an instant burst into one chat.
   */
  perChatMinGapMs: 1_000,
  /**
   * 500 ms overall (≤ 2 messages/s, ≤ 120/min): Kota Malang's ~3,200 reports a year are ~15 a working day,
   * roughly 200 outgoing messages a day, so this is over 20× the busiest expected hour while staying far from
   * the bulk-sender pattern. Ten citizens answered at the same moment all get their replies within ~10 s, and an
   * outbox backlog after an outage (e.g. 100 notifications) drains in under a minute without a spike.
   */
  overallMinGapMs: 500,
};

interface ChatLane {
  queue: PQueue;
  lastStartAt: number;
}

/**
 * Queues sends per chat (in order, one at a time, spaced by `perChatMinGapMs`) behind one overall queue that
 * runs one send at a time, spaced by `overallMinGapMs`. Gaps are measured between the starts of sends on the
 * queue's own clock, so a slow event loop can delay a send but never bring two closer together.
 */
export class SendQueue {
  private readonly overall = new PQueue({ concurrency: 1 });
  private overallLastStartAt = -Infinity;
  private readonly lanes = new Map<string, ChatLane>();
  private readonly abort = new AbortController();

  constructor(
    private readonly rate: SendRate = SEND_RATE,
    private readonly now: () => number = () => performance.now(),
    /** Told each send's start on the queue's own clock: the instants the pace is defined on. */
    private readonly onStart?: (chatId: string, at: number) => void,
  ) {}

  /** Runs `send` for `chatId` when the pace allows; resolves or rejects with its result. */
  enqueue<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lane(chatId);
    const { signal } = this.abort;
    return lane.queue.add(
      async () => {
        await this.waitUntil(lane.lastStartAt + this.rate.perChatMinGapMs, signal);
        return this.overall.add(
          async () => {
            await this.waitUntil(this.overallLastStartAt + this.rate.overallMinGapMs, signal);
            this.overallLastStartAt = lane.lastStartAt = this.now();
            this.onStart?.(chatId, lane.lastStartAt);
            return send();
          },
          { signal },
        );
      },
      { signal },
    ) as Promise<T>;
  }

  /** Sleeps until `at` on the queue's clock; timers may fire a little early, so it checks again. */
  private async waitUntil(at: number, signal: AbortSignal): Promise<void> {
    for (let wait = at - this.now(); wait > 0; wait = at - this.now()) await sleep(Math.ceil(wait), undefined, { signal });
  }

  /** Messages waiting or being sent. */
  get size(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.queue.size + lane.queue.pending;
    return total;
  }

  /** Drops everything still waiting (their promises reject with an AbortError). */
  stop(): void {
    this.abort.abort(new Error('send queue stopped'));
    this.overall.clear();
  }

  private lane(chatId: string): ChatLane {
    const existing = this.lanes.get(chatId);
    if (existing) return existing;
    const lane: ChatLane = { queue: new PQueue({ concurrency: 1 }), lastStartAt: -Infinity };
    this.lanes.set(chatId, lane);
    lane.queue.on('idle', () => {
      // Forget an idle chat once its gap has passed, so the map does not grow with every citizen ever served.
      const timer = setTimeout(() => {
        if (lane.queue.size === 0 && lane.queue.pending === 0 && this.lanes.get(chatId) === lane) this.lanes.delete(chatId);
      }, this.rate.perChatMinGapMs);
      timer.unref();
    });
    return lane;
  }
}
