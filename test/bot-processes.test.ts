import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TEST_TIMEOUT_MS, runTs, startTs } from './helpers/child-process.ts';
import { describePostgres, requirePostgresUrl, withAdminClient, dropPostgresDatabase } from './helpers/postgres.ts';
import { withDatabase } from '../db/postgres-url.ts';

/** `npm start` as the operator runs it: bot/main.ts in its own process, the terminal channel on stdin. */
const FILE_A_CASE = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor\nJl. Sumbersari No. 10, Lowokwaru\nlewati\n1\nya\n';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-procs-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start on SQLite: one bot process per database file', { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  it('refuses a second bot with a clear message while chat and report keep working, and starts again once the first ends', async () => {
    const dir = tempDir();
    const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'lapor.db')}`, DATA_DIR: dir, LOG_LEVEL: 'info', CHAT_AS: 'warga-a' };
    const first = startTs('bot/main.ts', [], { env });
    try {
      // Migrated, seeded and serving (the scheduler starts after the channels).
      await first.waitForOutput(/scheduler started/);

      const second = await runTs('bot/main.ts', [], { env });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`Another bot process (pid ${first.child.pid}) is already running on this SQLite database`);
      expect(second.stderr).toMatch(/use PostgreSQL/);
      // Refused before doing anything: no second scheduler, no channel.
      expect(second.stdout).not.toMatch(/scheduler started|terminal channel/);

      const chat = await runTs('bot/terminal/chat.ts', ['--as', 'warga-b'], { env: { ...env, LOG_LEVEL: 'warn' }, input: FILE_A_CASE });
      expect(chat.status, chat.stderr).toBe(0);
      expect(chat.stdout).toMatch(/Nomor laporan: LPR-/);
      const report = await runTs('scripts/report.ts', ['--month', '2026-11'], { env: { ...env, LOG_LEVEL: 'warn' } });
      expect(report.status, report.stderr).toBe(0);

      // The first bot still answers its own terminal, then ends when its input does.
      first.child.stdin.end('halo\n');
      expect((await first.exited).status).toBe(0);
      expect(first.output()).toMatch(/layanan pengaduan warga/);
    } finally {
      first.child.kill('SIGKILL');
    }
    const again = await runTs('bot/main.ts', [], { env: { ...env, LOG_LEVEL: 'warn' }, input: 'halo\n' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/layanan pengaduan warga/);
  });
});

describePostgres('npm start on PostgreSQL', () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await dropPostgresDatabase(name);
  });

  it('migrates an empty database on its first start, and a second bot process runs beside the first', { timeout: CHILD_TEST_TIMEOUT_MS }, async () => {
    const admin = requirePostgresUrl();
    const name = `lapor_empty_${randomBytes(5).toString('hex')}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
    created.push(name);
    const dir = tempDir();
    const env = { ...process.env, DATABASE_URL: withDatabase(admin, name), DATA_DIR: dir, LOG_LEVEL: 'info', CHAT_AS: 'warga-pg-1' };

    const first = startTs('bot/main.ts', [], { env });
    try {
      await first.waitForOutput(/scheduler started/);
      const migrations = fs.readdirSync(path.resolve(import.meta.dirname, '..', 'db', 'postgres', 'migrations'), { withFileTypes: true }).filter((e) => e.isDirectory());
      const applied = await withAdminClient(
        (client) => client.query<{ n: string }>('SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL'),
        withDatabase(admin, name),
      );
      expect(Number(applied.rows[0].n)).toBe(migrations.length);

      // PostgreSQL serves several bot processes: the second one is not refused, and files a case.
      const second = await runTs('bot/main.ts', [], { env: { ...env, CHAT_AS: 'warga-pg-2', LOG_LEVEL: 'warn' }, input: FILE_A_CASE });
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Nomor laporan: LPR-/);

      first.child.stdin.end(FILE_A_CASE);
      expect((await first.exited).status).toBe(0);
      expect(first.output()).toMatch(/Nomor laporan: LPR-/);
    } finally {
      first.child.kill('SIGKILL');
    }
    const cases = await withAdminClient(
      (client) => client.query<{ key: string }>('SELECT "conversationKey" AS key FROM "Case" ORDER BY 1'),
      withDatabase(admin, name),
    );
    expect(cases.rows.map((r) => r.key)).toEqual(['term:warga-pg-1', 'term:warga-pg-2']);
  });
});
