import crypto from 'node:crypto';
import pg from 'pg';
import { AppError } from '../lib/errors.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import type { Logger } from '../lib/logger.ts';
import { databaseInfo, type Db } from './client.ts';
import { postgresPoolConfig } from './postgres-url.ts';

/**
 * One message per conversation at a time across processes on one PostgreSQL database.
 *
 * Design (sized so it cannot exhaust a pool): a transaction-scoped advisory lock pins one pooled connection for as
 * long as the conversation's message is handled, LLM call included, while that handler needs more connections for
 * its own queries. 40 conversations on a 10-connection pool then hold all 10 in lock transactions and wait forever
 * for an 11th. Here the locks are session-level advisory locks taken on a few dedicated connections of their own
 * (LOCK_SESSIONS), outside Prisma's pool: one session holds any number of conversations' locks, so the connections
 * this costs are fixed however many conversations are in flight, and Prisma's pool is only ever used by queries.
 * Locks are taken with pg_try_advisory_lock (never blocking the shared session) and retried with a short capped
 * backoff while another process holds that conversation, which is rare (one chat's messages reach two processes at
 * once only behind a load balancer). A process that dies loses its connections and with them its locks.
 *
 * Within a process, a KeyedQueue keeps one holder per key first: session-level locks are re-entrant within a
 * session, so two local handlers of one chat would both "get" it.
 *
 * On SQLite there is one process (db/instance-lock.ts refuses a second), so the lock is a no-op.
 *
 * Wiring (flows/engine.ts, later phase): after the engine's in-process queue, wrap the message handling:
 *   const lock = createConversationLock(db, { log });  // once, in createApp; lock.close() in app.close()
 *   await lock.run(message.key, () => handleOne(message));
 * and answer ConversationLockTimeoutError (transient) like any other transient failure ("coba kirim lagi").
 */

/**
 * Dedicated lock connections per process. Each lock or unlock is one sub-millisecond query, so one session serves
 * thousands per second; a second keeps one slow round trip from delaying every chat. Kept small because every
 * process of the bot adds them to the server's max_connections (default 100).
 */
export const LOCK_SESSIONS = 2;
/**
 * Longest wait for a conversation another process is handling. That handler's worst case is an LLM call with its
 * retries (LLM_TIMEOUT_MS 20 s × 3 attempts plus backoff) and its database work; past two minutes something is
 * stuck, and the citizen is better served by "please send it again" than by silence.
 */
export const LOCK_WAIT_MAX_MS = 120_000;
/** First retry after a refused try-lock; doubles up to LOCK_RETRY_MAX_MS (short: handling one message takes ms). */
export const LOCK_RETRY_MIN_MS = 5;
export const LOCK_RETRY_MAX_MS = 100;

export class ConversationLockTimeoutError extends AppError {
  constructor() {
    super('CONVERSATION_LOCK_TIMEOUT', 'another process has been handling this conversation for too long', true);
    this.name = 'ConversationLockTimeoutError';
  }
}

export interface ConversationLock {
  /** Runs fn while no other handler, in this process or another, runs for the same conversation key. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The lock of a single process (SQLite): in-process ordering is the engine's queue's job already. */
export const noConversationLock: ConversationLock = {
  run: (_key, fn) => fn(),
  close: async () => undefined,
};

/** The advisory lock id of a conversation key: 64 bits of its SHA-256 (collisions only make two chats wait). */
export function conversationLockId(key: string): bigint {
  return crypto.createHash('sha256').update(key).digest().readBigInt64BE(0);
}

export interface ConversationLockOptions {
  log?: Logger;
  sessions?: number;
  waitMaxMs?: number;
  /** Called each time another process held the key (tests observe waiting through it, metrics may count it). */
  onContended?: (key: string) => void;
}

/** The lock for this database: PostgreSQL advisory locks, or a no-op on SQLite. */
export function createConversationLock(db: Db, options: ConversationLockOptions = {}): ConversationLock {
  const info = databaseInfo(db);
  if (info.provider !== 'postgresql' || !info.url) return noConversationLock;
  return new PostgresConversationLock(info.url, options);
}

/**
 * Most lock and unlock requests sent in one query. Requests that arrive while a query is in flight wait for the
 * next one, so under load one round trip serves many conversations (a round trip costs ~0.25 ms of CPU on each
 * side); bounded so one query's parameter arrays stay small.
 */
export const LOCK_BATCH_MAX = 256;

/** Tries (l) or releases (u) each advisory lock in the order given, one row per request. */
const LOCK_BATCH_SQL = `SELECT t.i::int AS "i", CASE WHEN t.op = 'l' THEN pg_try_advisory_lock(t.id) ELSE pg_advisory_unlock(t.id) END AS "ok"
  FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS t(id, op, i)`;

interface LockRequest {
  op: 'l' | 'u';
  id: bigint;
  resolve(ok: boolean): void;
  reject(err: unknown): void;
}

/** One dedicated connection holding advisory locks; reconnects on the next use after it broke. */
class LockSession {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  /** Bumped when the connection breaks: locks taken on an older one are gone, so are not unlocked on the new. */
  generation = 0;
  /** Requests waiting for the next query; one query at a time on the connection (pg 9 drops queued queries). */
  private pending: LockRequest[] = [];
  private flushing = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly log?: Logger,
  ) {}

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client(this.config);
      client.on('error', (err) => {
        // The server ended the session (restart, network): every lock on it is released. Handlers in flight
        // finish; the conversation's version check (db/conversations.ts) still stops a lost update.
        this.log?.error({ err: err.message }, 'conversation lock connection lost');
        if (this.client === client) this.client = undefined;
        this.generation++;
      });
      try {
        await client.connect();
      } catch (err) {
        this.connecting = undefined;
        throw err;
      }
      this.client = client;
      this.connecting = undefined;
      return client;
    })();
    return this.connecting;
  }

  private submit(op: 'l' | 'u', id: bigint): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ op, id, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, LOCK_BATCH_MAX);
        try {
          const client = await this.connect();
          const { rows } = await client.query<{ i: number; ok: boolean }>({
            name: 'conversation_lock_batch',
            text: LOCK_BATCH_SQL,
            values: [batch.map((r) => r.id.toString()), batch.map((r) => r.op)],
          });
          const results = new Map(rows.map((row) => [row.i, row.ok === true]));
          batch.forEach((r, index) => r.resolve(results.get(index + 1) ?? false));
        } catch (err) {
          for (const r of batch) r.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async tryLock(id: bigint): Promise<{ locked: boolean; generation: number }> {
    await this.connect();
    const generation = this.generation;
    const locked = await this.submit('l', id);
    return { locked, generation };
  }

  async unlock(id: bigint, generation: number): Promise<void> {
    if (!this.client || generation !== this.generation) return;
    await this.submit('u', id).catch((err: Error) => {
      // A broken connection released the lock with itself.
      this.log?.warn({ err: err.message }, 'conversation unlock failed');
    });
  }

  async close(): Promise<void> {
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

class PostgresConversationLock implements ConversationLock {
  private readonly local = new KeyedQueue<string>();
  private readonly sessions: LockSession[];
  private closed = false;

  constructor(
    url: string,
    private readonly options: ConversationLockOptions,
  ) {
    const { connectionString } = postgresPoolConfig(url);
    const config: pg.ClientConfig = { connectionString, application_name: 'lapor-bot:locks', keepAlive: true };
    this.sessions = Array.from({ length: Math.max(1, options.sessions ?? LOCK_SESSIONS) }, () => new LockSession(config, options.log));
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      if (this.closed) throw new AppError('CONVERSATION_LOCK_CLOSED', 'the conversation lock is closed');
      const id = conversationLockId(key);
      // The same key always goes to the same session, so its unlock reaches the session that holds it.
      const session = this.sessions[Number(BigInt.asUintN(64, id) % BigInt(this.sessions.length))];
      const generation = await this.acquire(session, id, key);
      try {
        return await fn();
      } finally {
        await session.unlock(id, generation);
      }
    });
  }

  private async acquire(session: LockSession, id: bigint, key: string): Promise<number> {
    const deadline = performance.now() + (this.options.waitMaxMs ?? LOCK_WAIT_MAX_MS);
    for (let delay = LOCK_RETRY_MIN_MS; ; delay = Math.min(delay * 2, LOCK_RETRY_MAX_MS)) {
      const { locked, generation } = await session.tryLock(id);
      if (locked) return generation;
      this.options.onContended?.(key);
      if (performance.now() + delay > deadline) throw new ConversationLockTimeoutError();
      // Jitter keeps two processes waiting for the same chat from retrying in lockstep.
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}
