import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import pino from 'pino';
import { createApp, type App, type CreateAppOptions } from '../../bot/app.ts';
import { configSchema, type Config } from '../../lib/config.ts';
import type { InboundMessage, Reply } from '../../flows/types.ts';
import { freshPostgresDatabase, testDatabaseProvider } from './postgres.ts';

export interface TestApp extends App {
  dir: string;
  databaseUrl: string;
  /** Sends a text (or a full message) as `key` and returns the replies. */
  say(key: string, input: string | Partial<InboundMessage>): Promise<Reply[]>;
  /** Same as say, with reply texts and choice labels joined into one string for assertions. */
  sayText(key: string, input: string | Partial<InboundMessage>): Promise<string>;
  /** Closes this app and opens a new one on the same database, as a restarted process would. */
  restart(): Promise<TestApp>;
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  /** The data folder (attachments, exports); on SQLite it holds the database file too. */
  dir: string;
  databaseUrl: string;
  /** Drops a PostgreSQL database (SQLite's file goes with dir). */
  drop?: () => Promise<void>;
}

/** A fresh, migrated SQLite database in a temporary folder (a copy of the run's template). */
export function freshDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-case-'));
  const file = path.join(dir, 'lapor.db');
  fs.copyFileSync(inject('templateDb'), file);
  return { dir, databaseUrl: `file:${file}` };
}

/**
 * A fresh, migrated database on the provider this vitest project tests (vitest.config.ts): a SQLite file, or a
 * PostgreSQL database copied from the run's template, dropped by cleanupDatabase.
 */
export async function freshTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseProvider() === 'sqlite') return freshDatabase();
  const pg = await freshPostgresDatabase();
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-case-')), databaseUrl: pg.url, drop: pg.drop };
}

export async function cleanupDatabase(database: TestDatabase): Promise<void> {
  fs.rmSync(database.dir, { recursive: true, force: true });
  await database.drop?.();
}

export function testConfig(overrides: Partial<Record<string, string>> = {}): Config {
  return configSchema.parse({ LOG_LEVEL: 'silent', ...overrides });
}

export function repliesToText(replies: Reply[]): string {
  return replies.map((r) => [r.text, ...(r.choices ?? []).map((c) => c.label)].join('\n')).join('\n---\n');
}

export type TestAppOptions = Omit<CreateAppOptions, 'config'> & {
  env?: Partial<Record<string, string>>;
  database?: TestDatabase;
};

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await freshTestDatabase());
  const config = testConfig({ DATABASE_URL: database.databaseUrl, DATA_DIR: database.dir, ...options.env });
  // Flood control is time-based; tests fire messages faster than any person, so it is on only where a test asks.
  const app = await createApp({
    ...options,
    config,
    skipMigrations: true,
    log: options.log ?? pino({ level: 'silent' }),
    floodControl: options.floodControl ?? false,
  });
  const say = async (key: string, input: string | Partial<InboundMessage>) => {
    const channel = key.split(':')[0] as InboundMessage['channel'];
    const base: InboundMessage = { key, channel, messageId: randomUUID(), sender: { id: key } };
    const message: InboundMessage = typeof input === 'string' ? { ...base, text: input } : { ...base, ...input };
    return app.handle(message);
  };
  return {
    ...app,
    ...database,
    say,
    sayText: async (key, input) => repliesToText(await say(key, input)),
    restart: async () => {
      await app.close();
      return createTestApp({ ...options, database });
    },
    cleanup: async () => {
      await app.close();
      await cleanupDatabase(database);
    },
  };
}
