import crypto from 'node:crypto';
import os from 'node:os';
import { Prisma } from './generated/prisma/client.ts';
import type { Db } from './client.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Leases: a role only one process may hold at a time (the Lease table), on SQLite and PostgreSQL alike.
 *
 * - acquire takes a free, expired or already-own lease in one conditional UPDATE (or the INSERT of a new row), so
 *   two processes racing for it cannot both win: PostgreSQL re-checks the WHERE on the row the other committed.
 * - The holder renews before expiry; a process that dies stops renewing and the lease is free after its TTL.
 * - Timestamps come from the process clock: keep hosts NTP-synced; the TTLs here (tens of seconds) dwarf the skew.
 *
 * Wiring (later phase, bot/main.ts):
 *   WhatsApp socket:  const lease = await holdLease(db, `whatsapp:${account}`, { onLost: () => whatsapp.stop() });
 *                     then start the socket; lease.release() on shutdown.
 *   Telegram polling: the same with 'telegram-polling' (webhook mode needs no lease: any process may answer).
 *   Daily job:        cron in every process calls runOncePerPeriod(db, { name: 'daily-job', period: cityDate }, run),
 *                     plus a catch-up tick (e.g. every 15 min) so a run whose holder died is redone after its TTL.
 */

/**
 * Default time-to-live. Short enough that a crashed holder's role moves to another process within half a minute
 * (a WhatsApp socket down that long is a blip), long enough that a renewal every TTL/3 survives a slow database.
 */
export const LEASE_TTL_MS = 30_000;
/** Completed once-per-period rows older than this are pruned (a month of daily rows is plenty to look back on). */
export const COMPLETED_LEASE_RETENTION_MS = 35 * 24 * 3600_000;

/** Who this process is in the Lease table: host, pid and a random part (pids repeat across containers). */
export function processHolderId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}

export interface LeaseState {
  holder: string;
  acquiredAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

/** Takes or renews the lease for `holder` until now + ttlMs; false while another holder's lease is live. */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs = LEASE_TTL_MS, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const renewed = await db.lease.updateMany({
    where: { name, holder, completedAt: null },
    data: { expiresAt },
  });
  if (renewed.count === 1) return true;
  const taken = await db.lease.updateMany({
    where: { name, completedAt: null, expiresAt: { lte: now } },
    data: { holder, acquiredAt: now, expiresAt },
  });
  if (taken.count === 1) return true;
  try {
    await db.lease.create({ data: { name, holder, acquiredAt: now, expiresAt } });
    return true;
  } catch (err) {
    // Someone else created it first (or it exists and is live): theirs.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return false;
    throw err;
  }
}

/** Extends a lease this holder still has (even if it just expired, as long as nobody took it). */
export async function renewLease(db: Db, name: string, holder: string, ttlMs = LEASE_TTL_MS, now = new Date()): Promise<boolean> {
  const renewed = await db.lease.updateMany({
    where: { name, holder, completedAt: null },
    data: { expiresAt: new Date(now.getTime() + ttlMs) },
  });
  return renewed.count === 1;
}

/** Gives the lease up at once (the next process need not wait for the TTL). */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.lease.deleteMany({ where: { name, holder, completedAt: null } });
}

/** Marks a once-per-period run done: the row stays, and nobody acquires it again. */
export async function completeLease(db: Db, name: string, holder: string, now = new Date()): Promise<boolean> {
  const done = await db.lease.updateMany({ where: { name, holder, completedAt: null }, data: { completedAt: now } });
  return done.count === 1;
}

export async function readLease(db: Db, name: string): Promise<LeaseState | undefined> {
  return (await db.lease.findUnique({ where: { name }, select: { holder: true, acquiredAt: true, expiresAt: true, completedAt: true } })) ?? undefined;
}

export interface HoldLeaseOptions {
  holder?: string;
  ttlMs?: number;
  /** Called once if the lease is lost (another process took it after renewals failed until it expired). */
  onLost?: () => void;
  /** Stop waiting (shutdown while another process holds it): holdLease then rejects with the signal's reason. */
  signal?: AbortSignal;
  log?: Logger;
  clock?: () => Date;
}

export interface HeldLease {
  readonly name: string;
  readonly holder: string;
  /** False once lost or released. */
  readonly held: boolean;
  release(): Promise<void>;
  /** Stops renewing and marks the lease completed (runOncePerPeriod); false if it was lost meanwhile. */
  complete(): Promise<boolean>;
}

/**
 * Waits until this process holds the lease, then keeps renewing it every TTL/3 until released. A renewal that fails
 * on a database error is retried at the next tick; the lease counts as lost when it expired unrenewed or another
 * holder has it, and onLost runs (stop the socket or the polling: another process now has that role).
 */
export async function holdLease(db: Db, name: string, options: HoldLeaseOptions = {}): Promise<HeldLease> {
  const holder = options.holder ?? processHolderId();
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  const clock = options.clock ?? (() => new Date());
  const tickMs = Math.max(10, Math.floor(ttlMs / 3));
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(options.signal?.reason);
      }, { once: true });
    });
  while (!(await acquireLease(db, name, holder, ttlMs, clock()).catch(() => false))) {
    options.signal?.throwIfAborted();
    await sleep(tickMs);
  }
  options.log?.info({ lease: name }, 'lease acquired');
  let held = true;
  let validUntil = clock().getTime() + ttlMs;
  let timer: NodeJS.Timeout | undefined;
  const lost = () => {
    if (!held) return;
    held = false;
    options.log?.warn({ lease: name }, 'lease lost');
    options.onLost?.();
  };
  const tick = async () => {
    const now = clock();
    try {
      if (await renewLease(db, name, holder, ttlMs, now)) validUntil = now.getTime() + ttlMs;
      else return lost();
    } catch (err) {
      options.log?.warn({ lease: name, err: (err as Error).message }, 'lease renewal failed');
      if (clock().getTime() >= validUntil) return lost();
    }
    if (held) timer = setTimeout(() => void tick(), tickMs);
  };
  timer = setTimeout(() => void tick(), tickMs);
  return {
    name,
    holder,
    get held() {
      return held;
    },
    async release() {
      if (timer) clearTimeout(timer);
      if (!held) return;
      held = false;
      await releaseLease(db, name, holder);
    },
    async complete() {
      if (timer) clearTimeout(timer);
      if (!held) return false;
      held = false;
      return completeLease(db, name, holder, clock());
    },
  };
}

export type PeriodRun = 'ran' | 'done' | 'busy';

/**
 * Runs fn once per period (e.g. a city date) however many processes call it: 'ran' here, 'done' if a run already
 * completed, 'busy' while another process runs it. A run that throws gives the lease back so a later call retries;
 * a run whose process dies is retried by a later call once its lease expires.
 */
export async function runOncePerPeriod(
  db: Db,
  job: { name: string; period: string; holder?: string; ttlMs?: number; log?: Logger; clock?: () => Date },
  fn: () => Promise<void>,
): Promise<PeriodRun> {
  const name = `${job.name}:${job.period}`;
  const holder = job.holder ?? processHolderId();
  const clock = job.clock ?? (() => new Date());
  if (!(await acquireLease(db, name, holder, job.ttlMs ?? LEASE_TTL_MS, clock()))) {
    return (await readLease(db, name))?.completedAt ? 'done' : 'busy';
  }
  // Renew while the job runs (it may outlast one TTL); the lease is already ours, so this returns at once.
  const lease = await holdLease(db, name, { holder, ttlMs: job.ttlMs, log: job.log, clock });
  try {
    await fn();
  } catch (err) {
    await lease.release().catch(() => undefined);
    throw err;
  }
  await lease.complete();
  const now = clock();
  await db.lease.deleteMany({
    where: { name: { startsWith: `${job.name}:` }, completedAt: { lt: new Date(now.getTime() - COMPLETED_LEASE_RETENTION_MS) } },
  });
  return 'ran';
}
