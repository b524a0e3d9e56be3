import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TEST_TIMEOUT_MS, runTs } from './helpers/child-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-chat-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function chat(input: string, args: string[] = [], env: Record<string, string> = {}) {
  return runTs('bot/terminal/chat.ts', args, {
    cwd: dir,
    input,
    env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 'chat.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', ...env },
  });
}

describe('terminal channel (npm run chat), scripted through a pipe', { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  let trackingId = '';

  it('files a case from piped input and prints its tracking id', async () => {
    const script = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor\nJl. Sumbersari No. 10, Lowokwaru\nlewati\n1\nya\n';
    const result = await chat(script, ['--as', 'warga-1']);
    expect(result.status, result.stderr).toBe(0);
    const match = /Nomor laporan: (LPR-[2-9A-Z]{6})/.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    trackingId = match![1];
    expect(result.stdout).toMatch(/Instansi tujuan: Dinas Pekerjaan Umum/);
  });

  it('a second run as the same identity shows the case; another identity cannot see it', async () => {
    const own = await chat(`cek ${trackingId}\n`, ['--as', 'warga-1']);
    expect(own.stdout).toContain(trackingId);
    expect(own.stdout).toMatch(/Diterima, menunggu verifikasi/);
    const other = await chat(`cek ${trackingId}\n`, ['--as', 'warga-2']);
    expect(other.stdout).toMatch(/tidak ditemukan/);
    expect(other.stdout).not.toMatch(/Jalan berlubang/);
  });

  it('resumes a half-finished report in the next run', async () => {
    await chat('Lampu jalan di Jl. Soekarno Hatta mati semua sejak kemarin malam, gelap sekali\n', ['--as', 'warga-3']);
    const next = await chat('Jl. Soekarno Hatta depan Polinema\n', ['--as', 'warga-3']);
    expect(next.stdout).toMatch(/foto pendukung/);
  });

  it('stops with a message naming the variable when the configuration is invalid', async () => {
    const result = await chat('halo\n', [], { LOG_LEVEL: 'loud' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/LOG_LEVEL/);
  });
});

describe('npm scripts', () => {
  it('package.json runs the README commands', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toMatch(/vitest run/);
    expect(pkg.scripts.start).toMatch(/bot\/main\.ts/);
    expect(pkg.scripts.postinstall).toMatch(/prisma generate/);
    expect(execFileSync('git', ['check-ignore', 'data/x.db'], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe('data/x.db');
  });
});
