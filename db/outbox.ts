import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { databaseInfo, type Db } from './client.ts';
import { sqliteTimestamp } from './sqlite-direct.ts';
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
  /** The admin the notice is for (alerts, reminders): removing the admin drops it while it is still queued. */
  adminId?: string;
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
      adminId: row.adminId ?? null,
      // Due at once, whatever clock the dispatcher runs on (a test's fake clock may be behind the database's).
      nextAttemptAt: DUE_NOW,
    },
  });
  return true;
}

/**
 * Which rows a sender takes within its channel. Claims are made in SQL with this filter, so rows for chats a
 * sender does not serve (another terminal identity) are never claimed by it and never stand in its way.
 */
export interface ClaimFilter {
  /** Only keys starting with this (WhatsApp: "wa:<account>:"). */
  keyPrefix?: string;
  /** Only these keys (the terminal: the one identity it speaks as). */
  keys?: readonly string[];
}

/** What a channel adapter offers the outbox. */
export interface OutboxSender<P extends object = OutboxPayload> {
  readonly channel: OutboxChannel;
  /** False while the platform connection is down; messages wait in the outbox meanwhile. */
  isReady?(): boolean;
  /** The chats of its channel this sender delivers to; every chat of the channel when absent. */
  readonly claims?: ClaimFilter;
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

/** Rows one sender claims per round: small enough that a slow platform holds few rows, large enough to drain fast. */
const BATCH_SIZE = 50;
/**
 * How long a claim holds without renewal. It is renewed before each send, so it only has to outlast one send
 * (Telegram and WhatsApp time out well within a minute); a process that dies leaves its rows to another after at
 * most this long. Longer would delay delivery after a crash, shorter would risk two processes sending one row.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;
/**
 * How often the settling step runs (it reads waiting rows per rule): often enough that an operator sees a broken
 * admin key within a minute, seldom enough that a big backlog is not scanned every second.
 */
export const SETTLE_INTERVAL_MS = 30_000;
/** Longest lease a caller may ask for: a claim held for longer than this hides a crashed process's rows too long. */
const CLAIM_LEASE_MAX_MS = 10 * 60_000;

export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(OUTBOX_RETRY.maxDelayMs, OUTBOX_RETRY.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** A claim owner unique to this process and dispatcher: "<host>:<pid>:<random>". */
export function newClaimOwner(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface ClaimRequest extends ClaimFilter {
  channel: OutboxChannel;
  /** Who claims (newClaimOwner()); only this owner may renew, finish or release the rows. */
  owner: string;
  now: Date;
  limit?: number;
  leaseMs?: number;
}

export type ClaimedRow = Awaited<ReturnType<Db['outboxMessage']['findMany']>>[number];

/**
 * Atomically claims up to `limit` due rows of one channel (and filter), oldest first, for `owner` until
 * now + lease; returns them oldest first. A row is due when it is pending and its next attempt has come, or when
 * it is being sent under a claim that has lapsed (its process died). Two dispatchers never get the same row:
 * the claim is one UPDATE statement (claimRows), with FOR UPDATE SKIP LOCKED on PostgreSQL.
 *
 * The owner then, for each row: renewClaim (false: the claim was lost, skip it), send, and finishOutboxRow /
 * failOutboxRow; rows it will not try this round go back with releaseClaims.
 */
export async function claimOutboxRows(db: Db, request: ClaimRequest): Promise<ClaimedRow[]> {
  const limit = Math.max(1, Math.min(request.limit ?? BATCH_SIZE, 500));
  const leaseMs = Math.max(1_000, Math.min(request.leaseMs ?? CLAIM_LEASE_MS, CLAIM_LEASE_MAX_MS));
  const until = new Date(request.now.getTime() + leaseMs);
  const ids = await claimRows(db, request, limit, until);
  if (ids.length === 0) return [];
  return db.outboxMessage.findMany({
    where: { id: { in: ids }, claimedBy: request.owner, status: 'sending' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * One UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING for both databases, so the claim is a single atomic
 * statement: on SQLite it runs under the database's one write lock (busy_timeout makes a second process wait, not
 * fail; a read-then-write transaction could deadlock two processes upgrading their locks); on PostgreSQL the
 * candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent claimers skip each other's rows instead of
 * waiting for them.
 */
async function claimRows(db: Db, request: ClaimRequest, limit: number, until: Date): Promise<string[]> {
  const postgres = databaseInfo(db).provider === 'postgresql';
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return postgres ? `$${params.length}` : '?';
  };
  // Timestamps as the column stores them: UTC TIMESTAMP(3) on PostgreSQL, ISO-8601 text on SQLite.
  const time = (date: Date) => (postgres ? `${p(date.toISOString())}::timestamp(3)` : p(sqliteTimestamp(date)));
  // Placeholders in the order they appear (SQLite's "?" binds by position).
  const owner = p(request.owner);
  const claimedUntil = time(until);
  const channel = p(request.channel);
  let filter = '';
  if (request.keyPrefix !== undefined) filter += ` AND substr("conversationKey", 1, length(${p(request.keyPrefix)})) = ${p(request.keyPrefix)}`;
  if (request.keys !== undefined) {
    if (request.keys.length === 0) return [];
    filter += ` AND "conversationKey" IN (${request.keys.map((key) => p(key)).join(', ')})`;
  }
  const dueAt = time(request.now);
  const lapsedAt = time(request.now);
  const take = p(limit);
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE "OutboxMessage" SET "status" = 'sending', "claimedBy" = ${owner}, "claimedUntil" = ${claimedUntil}
      WHERE "id" IN (
        SELECT "id" FROM "OutboxMessage"
         WHERE "channel" = ${channel}${filter}
           AND (("status" = 'pending' AND "nextAttemptAt" <= ${dueAt})
             OR ("status" = 'sending' AND ("claimedUntil" IS NULL OR "claimedUntil" < ${lapsedAt})))
         ORDER BY "createdAt", "id"
         LIMIT ${take}${postgres ? '\n         FOR UPDATE SKIP LOCKED' : ''})
      RETURNING "id"`,
    ...params,
  );
  return rows.map((r) => r.id);
}

/** Extends the owner's claim on one row until `until`; false when the claim was lost (lapsed and retaken). */
export async function renewClaim(db: Db, id: string, owner: string, until: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({ where: { id, claimedBy: owner, status: 'sending' }, data: { claimedUntil: until } });
  return count === 1;
}

/** Gives claimed rows back, due at once (a sender went down mid-round). */
export async function releaseClaims(db: Db, ids: string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await db.outboxMessage.updateMany({ where: { id: { in: ids }, claimedBy: owner, status: 'sending' }, data: { status: 'pending', claimedBy: null, claimedUntil: null } });
}

/**
 * Lets go of claims made by processes on this host that no longer run (SQLite only: its processes share one
 * machine, so a claim's pid tells; on PostgreSQL the processes may be on other hosts or in other pid namespaces
 * and lapsed claims are retaken when their lease ends). A restart after a crash delivers at once.
 */
export async function releaseDeadLocalClaims(db: Db, now: Date): Promise<number> {
  if (databaseInfo(db).provider !== 'sqlite') return 0;
  const host = `${os.hostname()}:`;
  const owners = await db.outboxMessage.findMany({
    where: { status: 'sending', claimedBy: { startsWith: host }, claimedUntil: { gte: now } },
    distinct: ['claimedBy'],
    select: { claimedBy: true },
  });
  let released = 0;
  for (const { claimedBy } of owners) {
    const pid = Number(claimedBy!.slice(host.length).split(':')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || processRuns(pid)) continue;
    const { count } = await db.outboxMessage.updateMany({ where: { status: 'sending', claimedBy }, data: { claimedUntil: null } });
    released += count;
  }
  return released;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The platform took the row: it is sent, and the claim ends. */
export async function finishOutboxRow(db: Db, id: string, attempts: number, now: Date): Promise<void> {
  await db.outboxMessage.update({ where: { id }, data: { status: 'sent', sentAt: now, attempts, claimedBy: null, claimedUntil: null } });
}

export interface UndeliverableRow {
  id: string;
  conversationKey: string;
  channel: string;
  caseId: string | null;
  adminId: string | null;
  reason: string;
}

/**
 * A rule, as plain data (domain/delivery-route.ts NeverDeliverableRule), for rows no sender can ever take.
 * Every given condition must hold.
 */
export interface KeyRule {
  reason: string;
  channel?: string;
  channelNotIn?: readonly string[];
  keyStartsWith?: string;
  keyNotStartsWith?: string;
  keyEndsWith?: string;
}

/** Rows marked per rule and call: bounded so one call stays short however large a backlog is. */
const MARK_BATCH = 200;

/**
 * Marks waiting rows that match a rule as undeliverable, with the rule's reason in lastError; returns them. They
 * match in SQL (indexes on channel and status), and only unclaimed pending rows are marked, each by a
 * conditional update, so two processes never both report one row.
 */
export async function markNeverDeliverable(db: Db, rules: readonly KeyRule[]): Promise<UndeliverableRow[]> {
  const marked: UndeliverableRow[] = [];
  for (const rule of rules) {
    const where = {
      status: 'pending',
      ...(rule.channel !== undefined ? { channel: rule.channel } : {}),
      ...(rule.channelNotIn !== undefined ? { channel: { notIn: [...rule.channelNotIn] } } : {}),
      AND: [
        ...(rule.keyStartsWith !== undefined ? [{ conversationKey: { startsWith: rule.keyStartsWith } }] : []),
        ...(rule.keyNotStartsWith !== undefined ? [{ NOT: { conversationKey: { startsWith: rule.keyNotStartsWith } } }] : []),
        ...(rule.keyEndsWith !== undefined ? [{ conversationKey: { endsWith: rule.keyEndsWith } }] : []),
      ],
    };
    const rows = await db.outboxMessage.findMany({ where, take: MARK_BATCH, select: { id: true, conversationKey: true, channel: true, caseId: true, adminId: true } });
    for (const row of rows) {
      const { count } = await db.outboxMessage.updateMany({ where: { id: row.id, status: 'pending' }, data: { status: 'undeliverable', lastError: rule.reason } });
      if (count === 1) marked.push({ ...row, reason: rule.reason });
    }
  }
  return marked;
}

/** Drops what is still queued for an admin (alerts with reporters' names), in the removal's transaction. */
export async function dropQueuedForAdmin(tx: Tx | Db, adminId: string): Promise<number> {
  const { count } = await tx.outboxMessage.deleteMany({ where: { adminId, status: { in: ['pending', 'sending'] } } });
  return count;
}

export interface DispatcherOptions {
  clock?: () => Date;
  /** This dispatcher's claim owner; a fresh newClaimOwner() by default. */
  owner?: string;
  /**
   * Runs before each round to settle rows no sender can ever take (cases/notify.ts settleUndeliverable: marks
   * them and tells the admin instansi). Failures are logged; delivery goes on.
   */
  settle?: (now: Date) => Promise<void>;
}

/**
 * Delivers outbox messages through the registered channel senders. Each ready sender claims its own rows
 * (claimOutboxRows: its channel and filter), so rows one sender cannot take never hold back another's, and
 * several processes on one database never send the same row. A message is marked sent right after the platform
 * accepts it; transient failures are retried with capped backoff, permanent ones (the citizen blocked the bot)
 * mark the identity unreachable and keep the message as undeliverable.
 */
export class OutboxDispatcher<P extends object = OutboxPayload> {
  private readonly senders = new Map<OutboxChannel, OutboxSender<P>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly clock: () => Date;
  readonly owner: string;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    clockOrOptions: (() => Date) | DispatcherOptions = {},
  ) {
    const options = typeof clockOrOptions === 'function' ? { clock: clockOrOptions } : clockOrOptions;
    this.clock = options.clock ?? (() => new Date());
    this.owner = options.owner ?? newClaimOwner();
    this.settle = options.settle;
  }

  private settle: ((now: Date) => Promise<void>) | undefined;
  private lastSettledAt: number | undefined;

  /** Sets the settling step (cases/notify.ts) after construction, for callers that build the dispatcher first. */
  setSettle(settle: (now: Date) => Promise<void>): void {
    this.settle = settle;
  }

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
    const now = this.clock();
    const settleDue = this.lastSettledAt === undefined || Math.abs(now.getTime() - this.lastSettledAt) >= SETTLE_INTERVAL_MS;
    if (this.settle && settleDue) {
      this.lastSettledAt = now.getTime();
      try {
        await this.settle(now);
      } catch (err) {
        this.log.error({ code: errorCode(err) }, 'settling undeliverable notifications failed');
      }
    }
    const ready = [...this.senders.values()].filter((s) => s.isReady?.() ?? true);
    if (ready.length === 0) return 0;
    await releaseDeadLocalClaims(this.db, now);
    // Channels go side by side: a slow platform never delays another's notifications.
    const results = await Promise.allSettled(ready.map((sender) => this.drainSender(sender, now)));
    let delivered = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') delivered += result.value;
      else this.log.error({ code: errorCode(result.reason) }, 'outbox drain failed for a channel');
    }
    return delivered;
  }

  private async drainSender(sender: OutboxSender<P>, now: Date): Promise<number> {
    const due = await claimOutboxRows(this.db, { channel: sender.channel, ...sender.claims, owner: this.owner, now });
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
    for (const [index, message] of due.entries()) {
      if (!(sender.isReady?.() ?? true)) {
        await releaseClaims(this.db, due.slice(index).map((m) => m.id), this.owner);
        break;
      }
      if (unreachable.has(message.conversationKey)) {
        await this.db.outboxMessage.update({ where: { id: message.id }, data: { status: 'undeliverable', lastError: 'UNREACHABLE', claimedBy: null, claimedUntil: null } });
        continue;
      }
      // Renewed just before sending, so the lease only has to outlast this one send.
      if (!(await renewClaim(this.db, message.id, this.owner, new Date(this.clock().getTime() + CLAIM_LEASE_MS)))) continue;
      try {
        await sender.send(message.conversationKey, message.payload as P);
        await finishOutboxRow(this.db, message.id, message.attempts + 1, this.clock());
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
        this.db.outboxMessage.update({ where: { id }, data: { status: 'undeliverable', attempts, lastError: code, claimedBy: null, claimedUntil: null } }),
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
        claimedBy: null,
        claimedUntil: null,
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
