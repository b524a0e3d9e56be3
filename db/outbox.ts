import type { Db } from './client.ts';
import type { Tx } from './file-case.ts';
import { newId } from '../lib/ids.ts';
import { DeliveryError, errorCode } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';

/** The earliest instant: a new notification is due immediately. */
const DUE_NOW = new Date(0);

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'undeliverable' | 'failed';

/**
 * A reply as stored: the domain's Reply (domain/messages.ts), kept as JSON; persistence does not look inside.
 * Typed loosely here because db/ imports nothing above lib/.
 */
export type OutboxPayload = object;

/** Channel prefix of a conversation key (tg, wa, term); checked by the caller (cases/notify.ts). */
export type OutboxChannel = string;

export interface OutboxRow {
  conversationKey: string;
  channel: OutboxChannel;
  payload: OutboxPayload;
  caseId?: string;
  /** Unique per logical notice; a second row with it is not written. */
  dedupeKey?: string;
}

/** Writes an outbox row in the caller's transaction; false when the dedupe key was written before. */
export async function enqueueOutboxRow(tx: Tx | Db, row: OutboxRow): Promise<boolean> {
  if (row.dedupeKey) {
    const existing = await tx.outboxMessage.findUnique({ where: { dedupeKey: row.dedupeKey }, select: { id: true } });
    if (existing) return false;
  }
  await tx.outboxMessage.create({
    data: {
      id: newId(),
      conversationKey: row.conversationKey,
      channel: row.channel,
      payload: row.payload,
      caseId: row.caseId ?? null,
      dedupeKey: row.dedupeKey ?? null,
      // Due at once, whatever clock the dispatcher runs on (a test's fake clock may be behind the database's).
      nextAttemptAt: DUE_NOW,
    },
  });
  return true;
}

/** What a channel adapter offers the outbox. */
export interface OutboxSender<P extends object = OutboxPayload> {
  readonly channel: OutboxChannel;
  /** False while the platform connection is down; messages wait in the outbox meanwhile. */
  isReady?(): boolean;
  /** Restricts delivery to some conversations (the terminal delivers only to the identity it speaks as). */
  accepts?(conversationKey: string): boolean;
  send(conversationKey: string, reply: P): Promise<void>;
}

/** Retry policy for transient delivery failures. */
export const OUTBOX_RETRY = {
  /** First retry after 2 s, doubling: quick recovery from a blip without hammering a platform that is down. */
  baseDelayMs: 2_000,
  /** Never wait more than 10 minutes between tries, so a notification goes out soon after an outage ends. */
  maxDelayMs: 10 * 60_000,
  /** About a day of tries at the capped delay; after that the message is kept as "failed" for an admin to see. */
  maxAttempts: 150,
} as const;

const BATCH_SIZE = 50;

export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(OUTBOX_RETRY.maxDelayMs, OUTBOX_RETRY.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/**
 * Delivers outbox messages through the registered channel senders. A message is marked sent right after
 * the platform accepts it; transient failures are retried with capped backoff, permanent ones (the citizen
 * blocked the bot) mark the identity unreachable and keep the message as undeliverable.
 */
export class OutboxDispatcher<P extends object = OutboxPayload> {
  private readonly senders = new Map<OutboxChannel, OutboxSender<P>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  register(sender: OutboxSender<P>): void {
    this.senders.set(sender.channel, sender);
  }

  /** Sends every due message once; returns how many were delivered. Concurrent calls share one run. */
  drainOnce(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    const channels = [...this.senders.values()].filter((s) => s.isReady?.() ?? true).map((s) => s.channel);
    if (channels.length === 0) return 0;
    const now = this.clock();
    // "sending" rows are from a process that died mid-send; they go out again (at-least-once beats lost).
    const due = await this.db.outboxMessage.findMany({
      where: { channel: { in: channels }, status: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: now } },
      orderBy: { createdAt: 'asc' },
      take: BATCH_SIZE,
    });
    if (due.length === 0) return 0;
    // One lookup for the batch; a permanent failure below adds its chat, so later messages to it are not tried.
    const unreachable = new Set(
      (
        await this.db.channelIdentity.findMany({
          where: { conversationKey: { in: [...new Set(due.map((m) => m.conversationKey))] }, unreachableAt: { not: null } },
          select: { conversationKey: true },
        })
      ).map((i) => i.conversationKey),
    );
    let delivered = 0;
    for (const message of due) {
      const sender = this.senders.get(message.channel);
      if (!sender || !(sender.accepts?.(message.conversationKey) ?? true)) continue;
      if (!(sender.isReady?.() ?? true)) break;
      if (unreachable.has(message.conversationKey)) {
        await this.db.outboxMessage.update({ where: { id: message.id }, data: { status: 'undeliverable', lastError: 'UNREACHABLE' } });
        continue;
      }
      await this.db.outboxMessage.update({ where: { id: message.id }, data: { status: 'sending' } });
      try {
        await sender.send(message.conversationKey, message.payload as P);
        await this.db.outboxMessage.update({ where: { id: message.id }, data: { status: 'sent', sentAt: this.clock(), attempts: message.attempts + 1 } });
        delivered++;
      } catch (err) {
        if (err instanceof DeliveryError && err.permanent) unreachable.add(message.conversationKey);
        await this.recordFailure(message.id, message.conversationKey, message.attempts + 1, err);
      }
    }
    return delivered;
  }

  private async recordFailure(id: string, conversationKey: string, attempts: number, err: unknown): Promise<void> {
    const code = errorCode(err);
    if (err instanceof DeliveryError && err.permanent) {
      this.log.warn({ outboxId: id, code }, 'notification undeliverable; marking the chat unreachable');
      await this.db.$transaction([
        this.db.outboxMessage.update({ where: { id }, data: { status: 'undeliverable', attempts, lastError: code } }),
        this.db.channelIdentity.updateMany({ where: { conversationKey, unreachableAt: null }, data: { unreachableAt: this.clock() } }),
      ]);
      return;
    }
    const retryAfterMs = err instanceof DeliveryError ? err.retryAfterMs : undefined;
    const giveUp = attempts >= OUTBOX_RETRY.maxAttempts;
    this.log.warn({ outboxId: id, code, attempts, giveUp }, 'notification delivery failed');
    await this.db.outboxMessage.update({
      where: { id },
      data: {
        status: giveUp ? 'failed' : 'pending',
        attempts,
        lastError: code,
        nextAttemptAt: new Date(this.clock().getTime() + retryDelayMs(attempts, retryAfterMs)),
      },
    });
  }

  /** Polls the outbox every `intervalMs` until stopped. */
  start(intervalMs = 1_000): void {
    if (this.timer) return;
    const tick = () => {
      this.drainOnce()
        .catch((err) => this.log.error({ code: errorCode(err) }, 'outbox drain failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
