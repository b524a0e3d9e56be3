import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import pg from 'pg';
import { withDatabase } from '../../db/postgres-url.ts';

/**
 * PostgreSQL for tests. .ci/run starts a throwaway server and exports TEST_POSTGRES_URL (a superuser's URL, e.g.
 * postgresql://postgres@127.0.0.1:5433/postgres); locally `source .ci/postgres.sh` does the same. Without it the
 * PostgreSQL tests skip, saying why. Each test gets its own database, copied from a template migrated once per run
 * (test/global-setup.ts), and dropped afterwards.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL?.trim() || undefined;
export const POSTGRES_SKIP_REASON = 'skipped: TEST_POSTGRES_URL is not set (.ci/run sets it; locally `source .ci/postgres.sh`)';

/** A describe block that needs PostgreSQL: skipped, with the reason in its name, when there is none. */
export function describePostgres(name: string, fn: () => void): void {
  if (TEST_POSTGRES_URL) describe(name, fn);
  else describe.skip(`${name} [${POSTGRES_SKIP_REASON}]`, fn);
}

/** The database the app tests run on: SQLite unless the vitest project asks for PostgreSQL (vitest.config.ts). */
export function testDatabaseProvider(): 'sqlite' | 'postgresql' {
  return process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
}

export function requirePostgresUrl(): string {
  if (!TEST_POSTGRES_URL) throw new Error(`PostgreSQL needed: ${POSTGRES_SKIP_REASON}`);
  return TEST_POSTGRES_URL;
}

/** Runs fn on a fresh connection to the server's maintenance database. */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>, url = requirePostgresUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface PostgresTestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database copied from `template` (the run's migrated template unless given): CREATE DATABASE … TEMPLATE
 * copies files, so it takes milliseconds where migrating takes a second.
 */
export async function freshPostgresDatabase(template?: string): Promise<PostgresTestDatabase> {
  const admin = requirePostgresUrl();
  const source = template ?? inject('postgresTemplate');
  const name = `${inject('postgresPrefix')}${randomBytes(6).toString('hex')}`;
  await withAdminClient(async (client) => {
    // Two copies of one template at the same instant can meet "source database is being accessed"; one retry
    // after the other finishes is enough.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(source)}`);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }, admin);
  return { name, url: withDatabase(admin, name), drop: () => dropPostgresDatabase(name) };
}

export async function dropPostgresDatabase(name: string, adminUrl?: string): Promise<void> {
  // FORCE ends sessions a test left open (a leaked pool must not keep its database alive).
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`), adminUrl);
}

/** Every database whose name starts with prefix (the run's leftovers, dropped at the end of the run). */
export async function dropPostgresDatabases(prefix: string, adminUrl?: string): Promise<void> {
  const names = await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    return rows.map((row) => row.datname);
  }, adminUrl);
  for (const name of names) await dropPostgresDatabase(name, adminUrl);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
    postgresPrefix: string;
  }
}
