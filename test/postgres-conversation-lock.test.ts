import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { openDatabase, type Db } from '../db/client.ts';
import {
  ConversationLockTimeoutError,
  conversationLockId,
  createConversationLock,
  noConversationLock,
  type ConversationLock,
  type ConversationLockOptions,
} from '../db/conversation-lock.ts';
import { describePostgres, freshPostgresDatabase, type PostgresTestDatabase } from './helpers/postgres.ts';
import { freshDatabase } from './helpers/test-app.ts';

/** A promise with its resolve, for holding a critical section open until the test lets go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('conversation lock ids', () => {
  it('are stable per key and differ between keys', () => {
    expect(conversationLockId('tg:1')).toBe(conversationLockId('tg:1'));
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => conversationLockId(`tg:${i}`)));
    expect(ids.size).toBe(1000);
  });

  it('is a no-op on SQLite (one process, refused a second by the instance lock)', async () => {
    const database = freshDatabase();
    const db = await openDatabase(database.databaseUrl);
    try {
      expect(createConversationLock(db)).toBe(noConversationLock);
    } finally {
      await db.$disconnect();
    }
  });
});

describePostgres('conversation lock across processes (PostgreSQL)', () => {
  let database: PostgresTestDatabase;
  const open: Array<{ close(): Promise<void> } | Db> = [];
  afterEach(async () => {
    for (const item of open.splice(0)) await ('$disconnect' in item ? item.$disconnect() : item.close());
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** A "process": its own Prisma pool (connection_limit) and its own lock. */
  async function processOn(poolSize: number, options: ConversationLockOptions = {}): Promise<{ db: Db; lock: ConversationLock }> {
    database ??= await freshPostgresDatabase();
    const db = await openDatabase(`${database.url}?connection_limit=${poolSize}`);
    const lock = createConversationLock(db, options);
    open.push(db, lock);
    return { db, lock };
  }

  it('keeps a conversation to one process at a time; the other waits and then goes on', async () => {
    const contended: string[] = [];
    const a = await processOn(2);
    const b = await processOn(2, { onContended: (key) => contended.push(key) });
    const order: string[] = [];
    const hold = gate();
    const entered = gate();
    const first = a.lock.run('tg:42', async () => {
      order.push('a-in');
      entered.open();
      await hold.opened;
      order.push('a-out');
    });
    await entered.opened;
    const second = b.lock.run('tg:42', async () => {
      order.push('b-in');
    });
    // b asked and was refused at least once while a holds the conversation…
    await vi.waitFor(() => expect(contended).toContain('tg:42'), { timeout: 15_000 });
    expect(order).toEqual(['a-in']);
    // …and gets it as soon as a lets go. A different conversation never waits for a.
    await b.lock.run('tg:43', async () => void order.push('b-other'));
    hold.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['a-in', 'b-other', 'a-out', 'b-in']);
  });

  it('holds 40 conversations at once on a 10-connection pool, each doing database work, without running out of connections', async () => {
    const { db, lock } = await processOn(10);
    const inside = new Set<string>();
    let maxInside = 0;
    const hold = gate();
    const keys = Array.from({ length: 40 }, (_, i) => `wa:main:${i}@s.whatsapp.net`);
    const runs = keys.map((key) =>
      lock.run(key, async () => {
        inside.add(key);
        maxInside = Math.max(maxInside, inside.size);
        // Each handler uses the pool while holding its lock, as the engine does (load, save in a transaction).
        await db.conversation.findUnique({ where: { key } });
        await hold.opened;
        await db.$transaction(async (tx) => {
          await tx.conversation.upsert({ where: { key }, create: { key, flow: 'citizen', state: {}, version: 1 }, update: { version: { increment: 1 } } });
        });
        inside.delete(key);
      }),
    );
    // Every conversation is inside its critical section at the same time: locks cost no pool connection.
    await vi.waitFor(() => expect(maxInside).toBe(40), { timeout: 15_000 });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lapor-bot:locks'`,
    );
    await admin.end();
    expect(Number(rows[0].n)).toBeLessThanOrEqual(2);
    hold.open();
    await Promise.all(runs);
    expect(await db.conversation.count()).toBe(40);
  });

  it('frees the conversations of a process that dies (its connection ends, the server drops its locks)', async () => {
    const a = await processOn(2);
    const b = await processOn(2);
    const entered = gate();
    const never = gate();
    const dying = a.lock.run('tg:7', async () => {
      entered.open();
      await never.opened;
    });
    void dying.catch(() => undefined);
    await entered.opened;
    // SIGKILL of process a, as the server sees it: its lock sessions end.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lapor-bot:locks' AND pid <> pg_backend_pid()`);
    await admin.end();
    let ran = false;
    await b.lock.run('tg:7', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    never.open();
  });

  it('gives up with a transient, typed error when another process keeps the conversation too long', async () => {
    const a = await processOn(2);
    const b = await processOn(2, { waitMaxMs: 50 });
    const entered = gate();
    const hold = gate();
    const holding = a.lock.run('tg:9', async () => {
      entered.open();
      await hold.opened;
    });
    await entered.opened;
    const error = await b.lock.run('tg:9', async () => 'never').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConversationLockTimeoutError);
    expect(error).toMatchObject({ code: 'CONVERSATION_LOCK_TIMEOUT', transient: true });
    hold.open();
    await holding;
    // The failed waiter left nothing behind: the conversation is free for it now.
    expect(await b.lock.run('tg:9', async () => 'ok')).toBe('ok');
  });

  it('keeps one process\'s own messages of a conversation in order', async () => {
    const { lock } = await processOn(2);
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        lock.run('tg:5', async () => {
          seen.push(n);
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(n);
        }),
      ),
    );
    expect(seen).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});
