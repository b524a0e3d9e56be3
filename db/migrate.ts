import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { resolveDatabaseUrl } from '../lib/database-url.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS_DIR = path.join(ROOT, 'db', 'migrations');

/**
 * Tries of `prisma migrate deploy` while another process holds the database (the bot, a chat, a report). Prisma's
 * SQLite migrate gives up after about ten seconds when any other connection has a transaction open
 * ("WASM_ERROR unknown variant SocketTimeout"); 6 tries with the back-off below wait a minute or two in all,
 * which outlasts any transaction of this project, and then the error is shown instead of waiting forever.
 */
export const MIGRATE_ATTEMPTS = 6;
/** First wait between tries; doubles, capped at MIGRATE_RETRY_MAX_MS. */
export const MIGRATE_RETRY_MIN_MS = 500;
export const MIGRATE_RETRY_MAX_MS = 8_000;
/**
 * How long the pending-migrations check waits for a lock to clear (SQLite busy_timeout). Short, because it blocks
 * the event loop; the retry loop around it does the longer waiting.
 */
const CHECK_BUSY_TIMEOUT_MS = 2_000;
/** What a failed deploy prints when the cause is another connection, not the migration itself. */
const BUSY_OUTPUT = /SocketTimeout|database is locked|SQLITE_BUSY|database table is locked|timed out/i;

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/** The committed migrations, oldest first (their folder names). */
export function committedMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

const isSqlite = (url: string | undefined) =>
  url === undefined || url.trim() === '' || /^file:/i.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim());

/**
 * Committed migrations not yet applied to this SQLite database, read from Prisma's own `_prisma_migrations` table
 * (finished and not rolled back). Read-only and short: it works while another process uses the database. For a
 * server database (PostgreSQL) it answers undefined: unknown, let Prisma decide.
 */
export function pendingMigrations(databaseUrl: string | undefined): string[] | undefined {
  if (!isSqlite(databaseUrl)) return undefined;
  const file = resolveDatabaseUrl(databaseUrl);
  const committed = committedMigrations();
  if (file === ':memory:' || fs.statSync(file).size === 0) return committed;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: CHECK_BUSY_TIMEOUT_MS });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return committed;
    const applied = new Set(
      (db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as Array<{
        migration_name: string;
      }>).map((r) => r.migration_name),
    );
    return committed.filter((name) => !applied.has(name));
  } finally {
    db.close();
  }
}

function runDeploy(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('prisma/build/index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

export interface ApplyMigrationsOptions {
  /** Told before each wait after a try that failed because the database was busy (tests, start-up messages). */
  onBusy?: (info: { attempt: number; waitMs: number }) => void;
  /** Defaults to MIGRATE_RETRY_MIN_MS / MIGRATE_RETRY_MAX_MS; tests lower the delays, never the policy. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * Applies committed migrations with `prisma migrate deploy` (offline with the JS engine), so `npm start` works on
 * a fresh clone with no separate set-up step. Only a process with a schema change to apply runs it: a second
 * process (`npm run admin`, another `npm run chat`) beside a running bot finds nothing pending and goes on. When
 * the database is busy it waits and tries again (capped), re-checking first whether another process has applied
 * the migrations meanwhile. Returns the migrations that were pending.
 */
export async function applyMigrations(databaseUrl: string | undefined, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  // The CLI runs in the project folder; a relative SQLite path is made absolute here so both mean the same file.
  const url = isSqlite(databaseUrl) ? `file:${resolveDatabaseUrl(databaseUrl)}` : databaseUrl;
  const env = { ...process.env, ...(url ? { DATABASE_URL: url } : {}), PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  let firstPending: string[] | undefined;
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const pending = pendingMigrations(databaseUrl);
      firstPending ??= pending;
      if (pending?.length === 0) return firstPending ?? [];
      const result = await runDeploy(env);
      if (result.ok) return firstPending ?? [];
      if (!BUSY_OUTPUT.test(result.output)) throw new MigrationError(`Database migration failed:\n${result.output}`);
      failure = result.output;
    } catch (err) {
      // The check itself found the database locked (SQLITE_BUSY): wait as for a busy deploy.
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      failure = String(err);
    }
    if (attempt >= MIGRATE_ATTEMPTS) throw new MigrationError(`Database migration failed after ${attempt} tries (the database stayed busy):\n${failure}`);
    const waitMs = Math.min((options.retryMinMs ?? MIGRATE_RETRY_MIN_MS) * 2 ** (attempt - 1), options.retryMaxMs ?? MIGRATE_RETRY_MAX_MS);
    options.onBusy?.({ attempt, waitMs });
    await sleep(waitMs);
  }
}
