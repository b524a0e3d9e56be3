import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../db/client.ts';
import { acquireInstanceLock, BotAlreadyRunningError } from '../db/instance-lock.ts';
import { acquireLease, completeLease, holdLease, readLease, releaseLease, renewLease, runOncePerPeriod } from '../db/leases.ts';
import { freshPostgresDatabase, POSTGRES_SKIP_REASON, TEST_POSTGRES_URL } from './helpers/postgres.ts';
import { freshDatabase, type TestDatabase } from './helpers/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const T0 = new Date('2026-11-30T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const providers = [
  // One client on SQLite: two in one process would block each other's event loop (better-sqlite3 is synchronous),
  // and on SQLite one bot process is all there is.
  { name: 'SQLite', skip: false, secondClient: false, open: async (): Promise<TestDatabase> => freshDatabase() },
  {
    name: TEST_POSTGRES_URL ? 'PostgreSQL' : `PostgreSQL [${POSTGRES_SKIP_REASON}]`,
    skip: !TEST_POSTGRES_URL,
    secondClient: true,
    open: async (): Promise<TestDatabase> => {
      const pg = await freshPostgresDatabase();
      return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-lease-')), databaseUrl: pg.url, drop: pg.drop };
    },
  },
];

describe.each(providers)('leases on $name', ({ skip, secondClient, open }) => {
  let database: TestDatabase;
  let db: Db;
  let other: Db;
  beforeAll(async () => {
    if (skip) return;
    database = await open();
    db = await openDatabase(database.databaseUrl);
    other = secondClient ? await openDatabase(database.databaseUrl) : db;
  });
  afterAll(async () => {
    if (skip) return;
    await db.$disconnect();
    if (other !== db) await other.$disconnect();
    fs.rmSync(database.dir, { recursive: true, force: true });
    await database.drop?.();
  });

  it.skipIf(skip)('gives a lease to one holder until it expires, then to the next; the holder renews and releases', async () => {
    expect(await acquireLease(db, 'whatsapp:main', 'p1', 30_000, at(0))).toBe(true);
    expect(await acquireLease(other, 'whatsapp:main', 'p2', 30_000, at(1_000))).toBe(false);
    expect(await renewLease(db, 'whatsapp:main', 'p1', 30_000, at(20_000))).toBe(true);
    // Renewed until 50 s: still p1's at 40 s.
    expect(await acquireLease(other, 'whatsapp:main', 'p2', 30_000, at(40_000))).toBe(false);
    // p1 died and stopped renewing: at 50 s it is p2's, and p1 can no longer renew it.
    expect(await acquireLease(other, 'whatsapp:main', 'p2', 30_000, at(50_000))).toBe(true);
    expect(await renewLease(db, 'whatsapp:main', 'p1', 30_000, at(51_000))).toBe(false);
    expect(await readLease(db, 'whatsapp:main')).toMatchObject({ holder: 'p2', acquiredAt: at(50_000), expiresAt: at(80_000) });
    // Releasing someone else's lease does nothing; releasing one's own frees it at once.
    await releaseLease(db, 'whatsapp:main', 'p1');
    expect((await readLease(db, 'whatsapp:main'))?.holder).toBe('p2');
    await releaseLease(other, 'whatsapp:main', 'p2');
    expect(await acquireLease(db, 'whatsapp:main', 'p1', 30_000, at(52_000))).toBe(true);
  });

  it.skipIf(skip)('lets exactly one of many racing processes take a free lease', async () => {
    const clients = [db, other, db, other, db, other, db, other];
    const wins = await Promise.all(clients.map((client, i) => acquireLease(client, 'telegram-polling', `p${i}`, 30_000, at(0))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = wins.indexOf(true);
    expect((await readLease(db, 'telegram-polling'))?.holder).toBe(`p${winner}`);
  });

  it.skipIf(skip)('races for an expired lease have one winner too', async () => {
    await acquireLease(db, 'expired', 'old', 1_000, at(0));
    const wins = await Promise.all([db, other, db, other].map((client, i) => acquireLease(client, 'expired', `p${i}`, 30_000, at(5_000))));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(skip)('holdLease waits for a live lease, renews its own and reports a loss', async () => {
    let now = at(0);
    const clock = () => now;
    await acquireLease(other, 'socket', 'them', 30_000, now);
    const lost = vi.fn();
    const holding = holdLease(db, 'socket', { holder: 'us', ttlMs: 30, clock, onLost: lost });
    let acquired = false;
    void holding.then(() => (acquired = true));
    // Still theirs (their lease runs to 30 s on this clock): waiting.
    await vi.waitFor(async () => expect((await readLease(db, 'socket'))?.holder).toBe('them'));
    expect(acquired).toBe(false);
    now = at(31_000);
    const lease = await holding;
    expect(lease.held).toBe(true);
    expect((await readLease(db, 'socket'))?.holder).toBe('us');
    // Renewals keep it (ttl 30 ms on a frozen clock: each renewal pushes expiry to now + 30 ms).
    await vi.waitFor(async () => expect((await readLease(db, 'socket'))?.expiresAt.getTime()).toBe(now.getTime() + 30));
    // Another process takes it over (as after our renewals failed): the next renewal notices.
    await db.lease.update({ where: { name: 'socket' }, data: { holder: 'them' } });
    await vi.waitFor(() => expect(lost).toHaveBeenCalledOnce());
    expect(lease.held).toBe(false);
    await lease.release();
    expect((await readLease(db, 'socket'))?.holder).toBe('them');
  });

  it.skipIf(skip)('runs a once-a-day job once however many processes try, and again after a failed run', async () => {
    const runs: string[] = [];
    const job = (who: string) => async () => {
      runs.push(who);
    };
    const results = await Promise.all(
      ['p1', 'p2', 'p3'].map((who, i) => runOncePerPeriod(i % 2 ? other : db, { name: 'daily-job', period: '2026-11-30', holder: who }, job(who))),
    );
    expect(runs).toHaveLength(1);
    expect(results.filter((r) => r === 'ran')).toHaveLength(1);
    expect(results.filter((r) => r === 'ran' || r === 'done' || r === 'busy')).toHaveLength(3);
    expect(await runOncePerPeriod(other, { name: 'daily-job', period: '2026-11-30', holder: 'p4' }, job('p4'))).toBe('done');
    expect(await completeLease(db, 'daily-job:2026-11-30', runs[0])).toBe(false);

    // A failing run gives the lease back, so the next attempt (another process) runs it.
    await expect(
      runOncePerPeriod(db, { name: 'daily-job', period: '2026-12-01', holder: 'p1' }, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(await runOncePerPeriod(other, { name: 'daily-job', period: '2026-12-01', holder: 'p2' }, job('p2'))).toBe('ran');
    expect(runs.at(-1)).toBe('p2');
  });
});

describe('one bot process per SQLite database', () => {
  const database = freshDatabase();
  afterEach(() => undefined);
  afterAll(() => fs.rmSync(database.dir, { recursive: true, force: true }));

  it('refuses a second bot process with a clear message, and lets one start again once the first is gone', async () => {
    const worker = path.join(ROOT, 'test', 'fixtures', 'instance-lock-worker.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', worker], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => lines.on('line', (line) => line === 'locked' && resolve()));

    const error = (() => {
      try {
        acquireInstanceLock(database.databaseUrl);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(BotAlreadyRunningError);
    expect((error as BotAlreadyRunningError).code).toBe('BOT_ALREADY_RUNNING');
    expect((error as Error).message).toContain(`pid ${child.pid}`);
    expect((error as Error).message).toMatch(/already running on this SQLite database[\s\S]*PostgreSQL/);

    // The admin, report and chat tools do not take the lock: the database itself stays open to them.
    const db = await openDatabase(database.databaseUrl);
    expect(await db.opd.count()).toBeGreaterThanOrEqual(0);
    await db.$disconnect();

    // SIGKILL leaves no stale lock: the operating system drops it with the process.
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const lock = acquireInstanceLock(database.databaseUrl);
    expect(lock.file).toBe(`${database.databaseUrl.replace(/^file:/, '')}.bot-lock`);
    // …and within one process a second taker is refused too.
    expect(() => acquireInstanceLock(database.databaseUrl)).toThrow(BotAlreadyRunningError);
    lock.release();
    acquireInstanceLock(database.databaseUrl).release();
  });

  it('takes no lock on PostgreSQL, where several processes are the point', () => {
    expect(acquireInstanceLock('postgresql://bot@db.example/lapor').file).toBeUndefined();
  });
});
