import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresSchemaFrom, POSTGRES_SCHEMA, SQLITE_SCHEMA } from '../scripts/generate-postgres-schema.ts';
import { applyPostgresMigrations } from '../db/migrate-postgres.ts';
import { describePostgres, freshPostgresDatabase, type PostgresTestDatabase } from './helpers/postgres.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-schema-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function prisma(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...env, PRISMA_HIDE_UPDATE_MESSAGE: '1' } });
}

describe('the PostgreSQL schema', () => {
  it('is db/schema.prisma regenerated: the committed file is what the script writes today', () => {
    const committed = fs.readFileSync(POSTGRES_SCHEMA, 'utf8');
    expect(committed, 'run `npm run schema:postgres`').toBe(postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, 'utf8')));
    expect(committed).toMatch(/provider\s*=\s*"postgresql"/);
    expect(committed).toMatch(/output\s*=\s*"\.\.\/generated\/postgres"/);
  });

  it('has the same models, fields and attributes as the SQLite schema', () => {
    const models = (text: string) => text.slice(text.indexOf('\nmodel ')).replace(/^\s*\/\/.*$/gm, '');
    expect(models(fs.readFileSync(POSTGRES_SCHEMA, 'utf8'))).toBe(models(fs.readFileSync(SQLITE_SCHEMA, 'utf8')));
  });

  it('refuses a schema it cannot convert, rather than writing a wrong one', () => {
    expect(() => postgresSchemaFrom('model A { id String @id }')).toThrow(/sqlite provider/);
  });

  it('generates its client offline, while an env() URL would try to download an engine', () => {
    // Every download goes to a closed local port: a generation that needs the network fails here, and none leaves
    // the machine.
    const offline: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', https_proxy: '', http_proxy: '' };
    const schema = fs.readFileSync(POSTGRES_SCHEMA, 'utf8').replace('"../generated/postgres"', JSON.stringify(path.join(tmp, 'client')));
    fs.writeFileSync(path.join(tmp, 'schema.prisma'), schema);
    const ok = prisma(['generate', '--schema', path.join(tmp, 'schema.prisma')], offline);
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'client', 'client.ts'))).toBe(true);

    fs.writeFileSync(path.join(tmp, 'env.prisma'), schema.replace(/url\s*=\s*"[^"]*"/, 'url = env("LAPOR_TEST_UNSET_URL")'));
    const env = { ...offline };
    delete env.LAPOR_TEST_UNSET_URL;
    const download = prisma(['generate', '--schema', path.join(tmp, 'env.prisma')], env);
    expect(download.status).not.toBe(0);
    expect(download.stdout + download.stderr).toMatch(/binaries\.prisma\.sh|ECONNREFUSED/);
  });
});

/** Columns, constraints and indexes of the public schema, in a comparable form. */
async function catalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') AS def, coalesce(datetime_precision, -1) AS p
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    const constraints = await client.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
    );
    return [
      ...columns.rows.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type}(${r.p}) null=${r.is_nullable} default=${r.def}`),
      ...indexes.rows.map((r) => `index ${r.indexname}: ${r.indexdef}`),
      ...constraints.rows.map((r) => `constraint ${r.conname}: ${r.def}`),
    ].sort();
  } finally {
    await client.end();
  }
}

describePostgres('the PostgreSQL migrations', () => {
  const databases: PostgresTestDatabase[] = [];
  afterAll(async () => {
    for (const d of databases) await d.drop();
  });

  it('build exactly the database the generated schema describes', async () => {
    const migrated = await freshPostgresDatabase('template0');
    const fromSchema = await freshPostgresDatabase('template0');
    databases.push(migrated, fromSchema);
    await applyPostgresMigrations(migrated.url);
    // What Prisma would create from the schema itself (computed offline, no database needed).
    const diff = prisma(['migrate', 'diff', '--from-empty', '--to-schema-datamodel', POSTGRES_SCHEMA, '--script']);
    expect(diff.status, diff.stderr).toBe(0);
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query(diff.stdout);
    await client.end();
    const expected = await catalog(fromSchema.url);
    expect(expected.length).toBeGreaterThan(50);
    expect(await catalog(migrated.url), 'add a migration under db/postgres/migrations (docs/deploy.md)').toEqual(expected);
  });
});
