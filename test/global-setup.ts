import type {} from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../db/migrate.ts';
import { applyPostgresMigrations } from '../db/migrate-postgres.ts';
import { withDatabase } from '../db/postgres-url.ts';
import { dropPostgresDatabases, TEST_POSTGRES_URL, withAdminClient } from './helpers/postgres.ts';

/**
 * Migrates one template database per test run; each test copies it (milliseconds) instead of running the
 * migrations itself (seconds). On PostgreSQL (when TEST_POSTGRES_URL is set) the template is a database of its own,
 * copied with CREATE DATABASE … TEMPLATE; every database of the run shares a prefix and is dropped at the end.
 */
export async function setup({ provide }: { provide: (key: string, value: string) => void }): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-test-'));
  const template = path.join(dir, 'template.db');
  await applyMigrations(`file:${template}`);
  provide('templateDb', template);
  process.env.LAPOR_TEMPLATE_DB = template;
  let prefix: string | undefined;
  if (TEST_POSTGRES_URL) {
    prefix = `lapor_t${process.pid}_${Math.random().toString(36).slice(2, 6)}_`;
    const name = `${prefix}template`;
    await dropPostgresDatabases(prefix);
    await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
    await applyPostgresMigrations(withDatabase(TEST_POSTGRES_URL, name));
    provide('postgresTemplate', name);
    provide('postgresPrefix', prefix);
  }
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (prefix) await dropPostgresDatabases(prefix);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
