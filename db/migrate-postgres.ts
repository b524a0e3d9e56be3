import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AppError } from '../lib/errors.ts';
import { postgresPoolConfig } from './postgres-url.ts';

/**
 * Applies db/postgres/migrations to a PostgreSQL database ourselves, instead of `prisma migrate deploy`.
 *
 * Why: with `engine: "js"` (which keeps every Prisma CLI command offline, DESIGN.md) the CLI migrates through the
 * driver adapter, and through @prisma/adapter-pg `migrate deploy` fails with "Column type 'name' could not be
 * deserialized" (prisma/orm#27403): the schema engine reads catalog columns of PostgreSQL's `name` type, which
 * the adapter cannot map. Running the Rust schema engine instead means downloading it, which this machine (and
 * many city data centres) cannot do. Applying plain SQL files is what `migrate deploy` does anyway.
 *
 * How:
 * - Migrations are the folders of db/postgres/migrations in name order, each a migration.sql, as Prisma lays them
 *   out, so `prisma migrate diff` keeps writing them.
 * - Applied migrations are recorded in `_prisma_migrations`, the table and columns Prisma uses, with the same
 *   sha256 checksum: a database migrated here is one `prisma migrate deploy` would accept, should the bug be fixed.
 * - A session advisory lock serialises concurrent starters (several bot processes started at once): the first
 *   migrates, the others wait, then find nothing pending. Prisma's own CLI takes a lock the same way.
 * - Each migration runs in one transaction together with its `_prisma_migrations` row (PostgreSQL DDL is
 *   transactional): a failure leaves neither half a migration nor a record of it.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const POSTGRES_MIGRATIONS_DIR = path.join(ROOT, 'db', 'postgres', 'migrations');

/**
 * The advisory lock key, in the two-integer key space so it can never equal a conversation lock (those use the
 * one-bigint space, db/conversation-lock.ts). 0x4c50 = "LP" (lapor), 1 = migrations.
 */
export const MIGRATION_LOCK_KEY = [0x4c50, 1] as const;

/**
 * How long a starter waits for another one's migration before giving up. Generous: a migration rewriting a large
 * table can take minutes, and giving up early only makes an orchestrator restart the process into the same wait.
 */
export const MIGRATION_LOCK_WAIT_MS = 10 * 60_000;

export class PostgresMigrationError extends AppError {
  constructor(
    code: 'MIGRATION_FAILED' | 'MIGRATION_LOCK_TIMEOUT' | 'MIGRATION_UNFINISHED' | 'MIGRATIONS_MISSING',
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, false, options);
    this.name = 'PostgresMigrationError';
  }
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Applied earlier but the file changed since (its checksum differs): worth a warning, never re-applied. */
  modified: string[];
}

/** The migration folders, in order. */
export function readMigrations(dir = POSTGRES_MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new PostgresMigrationError('MIGRATIONS_MISSING', `no migrations folder at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

// Prisma's own definition of the table (schema-engine, PostgreSQL flavour), so its CLI can read what we write.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Brings the database at `url` up to date with db/postgres/migrations. Safe to call from every process at start-up:
 * concurrent callers wait for each other, and a database already up to date costs two small queries.
 */
export async function applyPostgresMigrations(
  url: string,
  options: { dir?: string; lockWaitMs?: number } = {},
): Promise<MigrationResult> {
  const migrations = readMigrations(options.dir);
  const { connectionString, application_name } = postgresPoolConfig(url);
  const client = new pg.Client({ connectionString, application_name });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${Math.round(options.lockWaitMs ?? MIGRATION_LOCK_WAIT_MS)}`);
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEY]);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') {
        throw new PostgresMigrationError('MIGRATION_LOCK_TIMEOUT', 'another process has been migrating this database for too long', undefined, { cause: err });
      }
      throw err;
    }
    await client.query('SET lock_timeout = 0');
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: MigrationFile[]): Promise<MigrationResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<AppliedRow>(
    'SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"',
  );
  const unfinished = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (unfinished) {
    // Only another tool (prisma migrate) leaves such a row; ours are written in the migration's transaction.
    throw new PostgresMigrationError(
      'MIGRATION_UNFINISHED',
      `migration ${unfinished.migration_name} was started and never finished; check the database, then mark it with \`prisma migrate resolve\``,
      unfinished.migration_name,
    );
  }
  const done = new Map(rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row.checksum]));
  const result: MigrationResult = { applied: [], modified: [] };
  for (const migration of migrations) {
    const checksum = done.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) result.modified.push(migration.name);
      continue;
    }
    await client.query('BEGIN');
    try {
      // The file may hold many statements; the simple query protocol (no parameters) runs them all.
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [crypto.randomUUID(), migration.checksum, migration.name],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new PostgresMigrationError('MIGRATION_FAILED', `migration ${migration.name} failed: ${(err as Error).message}`, migration.name, {
        cause: err,
      });
    }
    result.applied.push(migration.name);
  }
  return result;
}
