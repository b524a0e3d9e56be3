import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, committedMigrations, MIGRATE_ATTEMPTS, MIGRATE_RETRY_MAX_MS, MIGRATE_RETRY_MIN_MS, pendingMigrations } from '../db/migrate.ts';
import { createApp } from '../bot/app.ts';
import { freshDatabase, testConfig } from './helpers/test-app.ts';

// Issue 12 #17: a second process (npm run admin, another chat) must not die in its start-up migration while the
// bot or a chat has the database open; only a process with a schema change to apply migrates, and it waits for a
// busy database instead of failing.
/** A migration this test can undo by hand (it dropped a table, so recreating the table undoes it). */
const LAST = '20261122160000_drop_system_state';
let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

/** Another process's connection, with a transaction open on the database (as the bot or a chat has). */
function holdTransaction(file: string, kind: 'read' | 'write' | 'exclusive'): Database.Database {
  const other = new Database(file);
  // The bot runs in WAL mode (db/client.ts); an exclusive lock is the worst case, a rollback-journal database
  // in the middle of a commit, which even readers must wait for.
  if (kind !== 'exclusive') other.pragma('journal_mode = WAL');
  other.exec(kind === 'write' ? 'BEGIN IMMEDIATE' : kind === 'exclusive' ? 'BEGIN EXCLUSIVE' : 'BEGIN');
  if (kind !== 'exclusive') other.prepare('SELECT count(*) FROM Opd').get();
  cleanup.push(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  });
  return other;
}

function database() {
  const db = freshDatabase();
  cleanup.push(() => fs.rmSync(db.dir, { recursive: true, force: true }));
  return { ...db, file: db.databaseUrl.slice('file:'.length) };
}

describe('start-up migration beside a running process', () => {
  it('nothing to apply: returns at once although another connection holds the write lock', async () => {
    const { databaseUrl, file } = database();
    expect(pendingMigrations(databaseUrl)).toEqual([]);
    holdTransaction(file, 'write');
    await expect(applyMigrations(databaseUrl)).resolves.toEqual([]);
  });

  it('a whole app (as npm run admin starts one) opens while a chat has a transaction open', async () => {
    const { databaseUrl, dir, file } = database();
    holdTransaction(file, 'read');
    const app = await createApp({ config: testConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dir }), log: pino({ level: 'silent' }), floodControl: false });
    try {
      expect(await app.db.opd.count()).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('a pending migration waits for a locked database (capped back-off), then applies', async () => {
    const { databaseUrl, file } = database();
    // Make one migration pending again: undo it and forget it was applied.
    const setup = new Database(file);
    setup.exec(`CREATE TABLE "SystemState" ("key" TEXT PRIMARY KEY, "value" TEXT)`);
    setup.prepare('DELETE FROM _prisma_migrations WHERE migration_name = ?').run(LAST);
    setup.close();
    expect(pendingMigrations(databaseUrl)).toEqual([LAST]);

    const other = holdTransaction(file, 'exclusive');
    const busy: number[] = [];
    const applied = await applyMigrations(databaseUrl, {
      onBusy: ({ attempt }) => {
        busy.push(attempt);
        // The other process finishes its work after the first failed try.
        if (other.inTransaction) other.exec('ROLLBACK');
      },
    });
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(applied).toEqual([LAST]);
    expect(pendingMigrations(databaseUrl)).toEqual([]);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'SystemState'").get()).toBeUndefined();
    check.close();
  }, 180_000);

  it('a database that stays locked fails with a clear error after the capped tries, not a hang', async () => {
    const { databaseUrl, file } = database();
    holdTransaction(file, 'exclusive');
    const waits: number[] = [];
    const error = await applyMigrations(databaseUrl, { onBusy: ({ waitMs }) => waits.push(waitMs), retryMinMs: 10, retryMaxMs: 40 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED' });
    expect(String(error)).toMatch(/stayed busy/);
    expect(waits).toHaveLength(MIGRATE_ATTEMPTS - 1);
    // Doubling, capped.
    expect(waits).toEqual([10, 20, 40, 40, 40]);
    // The real policy waits a minute or two in all, then gives up.
    expect(Array.from({ length: MIGRATE_ATTEMPTS - 1 }, (_, i) => Math.min(MIGRATE_RETRY_MIN_MS * 2 ** i, MIGRATE_RETRY_MAX_MS))).toEqual([500, 1000, 2000, 4000, 8000]);
  }, 180_000);

  it('a fresh database has every committed migration pending, and a relative path means the working folder', async () => {
    const { dir } = database();
    const file = path.join(dir, 'new', 'lapor.db');
    expect(pendingMigrations(`file:${file}`)).toEqual(committedMigrations());
    expect(committedMigrations().length).toBeGreaterThanOrEqual(2);
  });
});
