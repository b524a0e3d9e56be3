import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { applyPostgresMigrations, PostgresMigrationError, POSTGRES_MIGRATIONS_DIR, readMigrations } from '../db/migrate-postgres.ts';
import { databaseInfo, openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate-database.ts';
import { describePostgres, freshPostgresDatabase, type PostgresTestDatabase } from './helpers/postgres.ts';

const databases: PostgresTestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<PostgresTestDatabase> {
  const db = await freshPostgresDatabase('template0');
  databases.push(db);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A migrations folder: the real ones plus extra migrations given as name → SQL. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-migrations-'));
  dirs.push(dir);
  fs.cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describePostgres('PostgreSQL migrations (db/migrate-postgres.ts)', () => {
  it('migrates an empty database, recording each migration as Prisma does, and then has nothing to do', async () => {
    const { url } = await emptyDatabase();
    const files = readMigrations();
    const first = await applyPostgresMigrations(url);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    expect(await applyPostgresMigrations(url)).toEqual({ applied: [], modified: [] });
    // What start-up and `npm run migrate` call: it picks this migrator for a postgresql:// URL.
    expect(await migrateDatabase(url)).toEqual({ provider: 'postgresql', applied: [], modified: [] });

    // The app opens it through @prisma/adapter-pg and uses it.
    const db = await openDatabase(url);
    try {
      expect(databaseInfo(db).provider).toBe('postgresql');
      await db.opd.create({ data: { code: 'DPUPR', name: 'Dinas PUPR', scope: 'jalan', keywords: ['jalan'] } });
      expect(await db.opd.findUnique({ where: { code: 'DPUPR' } })).toMatchObject({ keywords: ['jalan'], active: true });
    } finally {
      await db.$disconnect();
    }
  });

  it('lets processes started together wait for one another: each migration runs exactly once', async () => {
    const { url } = await emptyDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => applyPostgresMigrations(url)));
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(readMigrations().map((f) => f.name));
    // One starter did all the work; the others found it done.
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    const [{ count }] = await query<{ count: string }>(url, 'SELECT count(*) FROM "_prisma_migrations"');
    expect(Number(count)).toBe(readMigrations().length);
  });

  it('rolls a failing migration back whole, records nothing, and applies it once fixed', async () => {
    const { url } = await emptyDatabase();
    const broken = migrationsWith({
      '29990101000000_broken': 'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;',
    });
    const error = await applyPostgresMigrations(url, { dir: broken }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PostgresMigrationError);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', migration: '29990101000000_broken' });
    // The migrations before it were applied; the broken one left neither its table nor a record.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Extra'`)).toEqual([]);
    const names = (await query<{ migration_name: string }>(url, 'SELECT migration_name FROM "_prisma_migrations"')).map((r) => r.migration_name);
    expect(names).toEqual(readMigrations().map((f) => f.name));

    fs.writeFileSync(path.join(broken, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);');
    expect(await applyPostgresMigrations(url, { dir: broken })).toEqual({ applied: ['29990101000000_broken'], modified: [] });
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Extra'`)).toHaveLength(1);
  });

  it('reports an applied migration whose file changed since, and does not run it again', async () => {
    const { url } = await emptyDatabase();
    const dir = migrationsWith({ '29990101000000_extra': 'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);' });
    await applyPostgresMigrations(url, { dir });
    fs.writeFileSync(path.join(dir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY, "more" TEXT);');
    expect(await applyPostgresMigrations(url, { dir })).toEqual({ applied: [], modified: ['29990101000000_extra'] });
  });
});
