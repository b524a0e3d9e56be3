import type BetterSqlite3 from 'better-sqlite3';

/**
 * Synchronous access to the very SQLite connection Prisma's better-sqlite3 adapter uses, for the per-message
 * hot path (db/conversations.ts). A Prisma call costs 0.1–0.3 ms of CPU in the client and its query compiler;
 * a cached prepared statement costs microseconds, and per-message load/save dominated the engine's cost
 * (docs/load.md).
 *
 * Safety: a Prisma interactive transaction keeps BEGIN open across awaits on this same connection, so a direct
 * statement must never run while one is open (it would join or break it). openDatabase wraps the adapter's
 * startTransaction so every Prisma transaction holds `lock` until it commits or rolls back, and `run` takes
 * the same lock. Inside `run` everything is synchronous, so nothing else on the event loop can interleave.
 */
export interface SqliteDirect {
  run<T>(fn: (conn: BetterSqlite3.Database) => T): Promise<T>;
  /**
   * True while a Prisma transaction (or a queued direct write) holds the connection. Reads then take the Prisma
   * path, as they did before the fast path existed, instead of waiting: a read issued with the root client
   * from inside a transaction callback must not wait for that very transaction.
   */
  readonly busy: boolean;
  /**
   * Runs fn synchronously right now, for code inside a Prisma interactive transaction on this client: that
   * transaction holds the lock, so the statements join it (commit and roll back with it). Never call it
   * outside such a transaction.
   */
  inTransaction<T>(fn: (conn: BetterSqlite3.Database) => T): T;
  /** A prepared statement, cached for the connection's life. */
  statement(sql: string): BetterSqlite3.Statement;
}

/** How the better-sqlite3 adapter stores a DateTime (its default "iso8601" format), so Prisma reads ours back. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** A value as Prisma's better-sqlite3 adapter would bind it. */
export function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** FIFO lock with a synchronous fast path when free. */
export class ConnectionLock {
  private isHeld = false;
  private readonly waiters: Array<() => void> = [];

  get held(): boolean {
    return this.isHeld;
  }

  /** Callers queued behind the holder (lets a test see a caller wait, without sleeping). */
  get waiting(): number {
    return this.waiters.length;
  }

  /** The release function when the lock was free, else undefined. */
  tryAcquire(): (() => void) | undefined {
    if (this.isHeld) return undefined;
    this.isHeld = true;
    return this.releaser();
  }

  acquire(): Promise<() => void> {
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    return new Promise((resolve) => this.waiters.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiters.shift();
    // Hand the lock straight to the next waiter, so nothing can slip in between.
    if (next) next();
    else this.isHeld = false;
  }
}

export class SqliteDirectAccess implements SqliteDirect {
  readonly lock = new ConnectionLock();
  private conn: BetterSqlite3.Database | undefined;
  private statements = new Map<string, BetterSqlite3.Statement>();

  attach(conn: BetterSqlite3.Database): void {
    this.conn = conn;
    this.statements = new Map();
  }

  get busy(): boolean {
    return this.lock.held;
  }

  get attached(): boolean {
    return this.conn !== undefined && this.conn.open;
  }

  statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.connection().prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  run<T>(fn: (conn: BetterSqlite3.Database) => T): Promise<T> {
    const release = this.lock.tryAcquire();
    if (release) {
      try {
        return Promise.resolve(fn(this.connection()));
      } catch (err) {
        return Promise.reject(err);
      } finally {
        release();
      }
    }
    return this.lock.acquire().then((release) => {
      try {
        return fn(this.connection());
      } finally {
        release();
      }
    });
  }

  inTransaction<T>(fn: (conn: BetterSqlite3.Database) => T): T {
    const conn = this.connection();
    if (!conn.inTransaction) throw new Error('inTransaction called outside a transaction');
    return fn(conn);
  }

  private connection(): BetterSqlite3.Database {
    if (!this.conn?.open) throw Object.assign(new Error('database connection is not open'), { code: 'DB_CLOSED' });
    return this.conn;
  }
}

interface TransactionLike {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
interface AdapterLike {
  client?: unknown;
  startTransaction(isolationLevel?: unknown): Promise<TransactionLike>;
}
interface FactoryLike {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
  connectToShadowDb?(): Promise<unknown>;
}

/**
 * Wraps a better-sqlite3 adapter factory so the connection it opens is shared with `direct` and every Prisma
 * transaction takes `direct.lock`. Anything else passes through untouched.
 */
export function shareConnection<F extends FactoryLike>(factory: F, direct: SqliteDirectAccess): F {
  const wrapped = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = (await factory.connect()) as AdapterLike;
      direct.attach(adapter.client as BetterSqlite3.Database);
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel?: unknown) => {
        const release = await direct.lock.acquire();
        try {
          const tx = await start(isolationLevel);
          const commit = tx.commit.bind(tx);
          const rollback = tx.rollback.bind(tx);
          tx.commit = async () => {
            try {
              await commit();
            } finally {
              release();
            }
          };
          tx.rollback = async () => {
            try {
              await rollback();
            } finally {
              release();
            }
          };
          return tx;
        } catch (err) {
          release();
          throw err;
        }
      };
      return adapter;
    },
    connectToShadowDb: factory.connectToShadowDb?.bind(factory),
  };
  return wrapped as unknown as F;
}
