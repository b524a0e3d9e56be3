import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from './helpers/test-app.ts';
import { openDatabase } from '../db/client.ts';
import { enqueueNotification } from '../cases/notify.ts';
import { addAdmin } from '../cases/manage-admins.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** Child start-up (tsx, migrations check, seed) on a busy two-core machine; generous, it only bounds a failure. */
const CHILD_WAIT = { timeout: 90_000, interval: 100 };

interface Child {
  process: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const children: Child[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(TSX, [path.join(ROOT, script), ...args], {
    cwd: env.DATA_DIR,
    env: { ...process.env, TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '0', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += String(chunk)));
  child.stderr.on('data', (chunk) => (err += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle = { process: child, stdout: () => out, stderr: () => err, exited };
  children.push(handle);
  return handle;
}

describe('terminal notifications and the daily job (issue 12 #18)', () => {
  it('an open, idle chat shows a notification for its identity without anyone typing', { timeout: 120_000 }, async () => {
    const database = freshDatabase();
    dirs.push(database.dir);
    const chat = run('bot/terminal/chat.ts', ['--as', 'sari'], { DATABASE_URL: database.databaseUrl, DATA_DIR: database.dir, LOG_LEVEL: 'warn' });
    // The chat is up once its conversation loop runs; typing nothing after this first line.
    chat.process.stdin.write('bantuan\n');
    await vi.waitFor(() => expect(chat.stdout()).toMatch(/cek <nomor>/), CHILD_WAIT);

    // Another process (an admin's action, the daily job) writes a notice for term:sari.
    const db = await openDatabase(database.databaseUrl);
    try {
      await enqueueNotification(db, { conversationKey: 'term:sari', reply: { text: 'Laporan LPR-ABC234 sudah diteruskan ke Dinas PU.' } });
    } finally {
      await db.$disconnect();
    }
    await vi.waitFor(() => expect(chat.stdout()).toContain('[notifikasi]\nLaporan LPR-ABC234 sudah diteruskan'), CHILD_WAIT);

    chat.process.stdin.end();
    expect(await chat.exited).toBe(0);
  });

  it('npm start in terminal mode runs the daily job too', { timeout: 120_000 }, async () => {
    const database = freshDatabase();
    dirs.push(database.dir);
    const db = await openDatabase(database.databaseUrl);
    try {
      await addAdmin(db, { role: 'instansi', name: 'Budi', conversationKey: 'term:budi' });
    } finally {
      await db.$disconnect();
    }
    // Hour 0: today's run time has always passed, so the scheduler catches up at once.
    const bot = run('bot/main.ts', [], { DATABASE_URL: database.databaseUrl, DATA_DIR: database.dir, LOG_LEVEL: 'info', CHAT_AS: 'budi', DAILY_SUMMARY_HOUR: '0' });
    await vi.waitFor(() => expect(bot.stderr()).toMatch(/daily job done/), CHILD_WAIT);
    bot.process.stdin.end();
    expect(await bot.exited).toBe(0);
  });
});
