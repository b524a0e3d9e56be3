import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseProvider } from './helpers/postgres.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { openDatabase, databaseInfo, type Db } from '../db/client.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { enqueueNotification, settleUndeliverable } from '../cases/notify.ts';
import { CLAIM_LEASE_MS, claimOutboxRows, OutboxDispatcher, type OutboxSender } from '../db/outbox.ts';
import { createLogger } from '../lib/logger.ts';
import type { Reply } from '../domain/messages.ts';

// Issue 12 #1 (the probe: one undeliverable row stops every notification) and issue 16 point 3 (outbox rows
// claimed atomically, so several processes on one database send each notification once).

const INSTANSI = 'tg:9001';
const CITIZEN_TG = 'tg:5001';
/** The documented example key of docs/admin.md before this fix: another account than WHATSAPP_ACCOUNT=main. */
const OTHER_ACCOUNT_ADMIN = 'wa:6281100000000:6281234567890@s.whatsapp.net';
const silent = createLogger('silent');

let apps: TestApp[] = [];
let extraDbs: Db[] = [];
afterEach(async () => {
  for (const db of extraDbs) await db.$disconnect().catch(() => undefined);
  extraDbs = [];
  for (const app of apps.reverse()) await app.cleanup().catch(() => undefined);
  apps = [];
});

async function newApp(): Promise<TestApp> {
  const app = await createTestApp();
  apps.push(app);
  return app;
}

/** A platform that records what it was given. */
function recorder(channel: string, claims?: OutboxSender['claims']) {
  const sent: Array<{ key: string; text: string }> = [];
  const sender: OutboxSender<Reply> = {
    channel,
    claims,
    async send(key, reply) {
      sent.push({ key, text: reply.text });
    },
  };
  return { sender, sent };
}

/** Writes outbox rows directly, `secondsAgo` old, as a backlog left by an earlier version would be. */
async function backlog(db: Db, rows: Array<{ key: string; channel: string; text: string; adminId?: string }>, secondsAgo: number) {
  let i = 0;
  for (const row of rows) {
    await db.outboxMessage.create({
      data: {
        id: `backlog-${secondsAgo}-${i}`,
        conversationKey: row.key,
        channel: row.channel,
        payload: { text: row.text },
        adminId: row.adminId ?? null,
        nextAttemptAt: new Date(0),
        createdAt: new Date(Date.now() - (secondsAgo - i++ / 1000) * 1000),
      },
    });
  }
}

describe('outbox: rows no sender can take never block the others', () => {
  it('the probe: 60 rows for another WhatsApp account ahead of a Telegram row; the Telegram row is delivered', async () => {
    const app = await newApp();
    const budi = await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
    // The admin on the wrong account was added before keys were checked (a row written straight to the table).
    const wrong = await app.db.admin.create({ data: { id: 'admin-wrong', name: 'Sari PU', role: 'penghubung', opdCode: 'DPUPRPKP', conversationKey: OTHER_ACCOUNT_ADMIN } });
    await backlog(app.db, Array.from({ length: 60 }, (_, i) => ({ key: OTHER_ACCOUNT_ADMIN, channel: 'wa', text: `alert ${i}`, adminId: wrong.id })), 120);
    await backlog(app.db, [{ key: 'sms:0812', channel: 'sms', text: 'unknown channel' }, { key: 'tg:-100200300', channel: 'tg', text: 'a group' }], 60);
    await enqueueNotification(app.db, { conversationKey: CITIZEN_TG, reply: { text: 'Laporan Anda sudah diteruskan.' } });

    const tg = recorder('tg');
    const wa = recorder('wa', { keyPrefix: 'wa:main:' });
    app.outbox.register(tg.sender);
    app.outbox.register(wa.sender);
    await app.outbox.drainOnce();

    expect(tg.sent.filter((s) => s.key === CITIZEN_TG).map((s) => s.text)).toEqual(['Laporan Anda sudah diteruskan.']);
    expect(wa.sent).toEqual([]);
    const rows = await app.db.outboxMessage.findMany({ where: { id: { startsWith: 'backlog-' } }, select: { conversationKey: true, status: true, lastError: true } });
    expect(rows).toHaveLength(62);
    expect(rows.every((r) => r.status === 'undeliverable')).toBe(true);
    expect(rows.filter((r) => r.lastError === 'WA_OTHER_ACCOUNT')).toHaveLength(60);
    expect(rows.find((r) => r.conversationKey === 'sms:0812')?.lastError).toBe('UNKNOWN_CHANNEL');
    expect(rows.find((r) => r.conversationKey === 'tg:-100200300')?.lastError).toBe('TG_GROUP');

    // The admin instansi is told, once per chat and reason, naming the admin and how to fix the key.
    const told = tg.sent.filter((s) => s.key === INSTANSI);
    expect(told).toHaveLength(3);
    const aboutAdmin = told.find((s) => s.text.includes(OTHER_ACCOUNT_ADMIN));
    expect(aboutAdmin?.text).toContain('Sari PU');
    expect(aboutAdmin?.text).toContain('60 notifikasi');
    expect(aboutAdmin?.text).toContain('akun WhatsApp lain');
    // A citizen's (or group's) key is never shown to the admin.
    expect(told.some((s) => s.text.includes('-100200300') || s.text.includes('0812'))).toBe(false);

    // More rows for the same broken key later: marked, but the admin is not told again.
    await backlog(app.db, [{ key: OTHER_ACCOUNT_ADMIN, channel: 'wa', text: 'one more', adminId: wrong.id }], 1);
    await settleUndeliverable(app.db, { whatsappAccount: 'main', log: silent })(new Date());
    await app.outbox.drainOnce();
    expect((await app.db.outboxMessage.findFirstOrThrow({ where: { id: 'backlog-1-0' } })).status).toBe('undeliverable');
    expect(tg.sent.filter((s) => s.key === INSTANSI)).toHaveLength(3);
    expect(budi.role).toBe('instansi');
  });

  it('a sender claims only the chats it serves: another terminal identity\'s rows never stand in its way', async () => {
    const app = await newApp();
    await backlog(app.db, Array.from({ length: 70 }, (_, i) => ({ key: 'term:sari', channel: 'term', text: `for sari ${i}` })), 60);
    await enqueueNotification(app.db, { conversationKey: 'term:dodi', reply: { text: 'for dodi' } });
    const dodi = recorder('term', { keys: ['term:dodi'] });
    app.outbox.register(dodi.sender);
    expect(await app.outbox.drainOnce()).toBe(1);
    expect(dodi.sent).toEqual([{ key: 'term:dodi', text: 'for dodi' }]);
    // Sari's rows wait for sari's own chat: untouched, not claimed.
    expect(await app.db.outboxMessage.count({ where: { conversationKey: 'term:sari', status: 'pending', claimedBy: null } })).toBe(70);
  });
});

describe('outbox: atomic claims across processes', () => {
  it('two dispatchers on one database deliver each row once, while one of them is still sending', async () => {
    const app = await newApp();
    const ROWS = 80;
    for (let i = 0; i < ROWS; i++) await enqueueNotification(app.db, { conversationKey: `tg:${7000 + i}`, reply: { text: `n${i}` } });
    // A second process: its own connection(s) to the same database.
    const otherDb = await openDatabase(app.databaseUrl);
    extraDbs.push(otherDb);
    expect(databaseInfo(otherDb).provider).toBe(databaseInfo(app.db).provider);

    const first: string[] = [];
    const second: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted!: () => void;
    const firstSending = new Promise<void>((resolve) => (firstStarted = resolve));
    const a = new OutboxDispatcher<Reply>(app.db, silent);
    a.register({
      channel: 'tg',
      async send(key) {
        first.push(key);
        firstStarted();
        // The first process is slow: its first send hangs until the second process has drained.
        await firstHeld;
      },
    });
    const b = new OutboxDispatcher<Reply>(otherDb, silent);
    b.register({
      channel: 'tg',
      async send(key) {
        second.push(key);
      },
    });

    const running = a.drainOnce();
    await firstSending;
    // The second process drains everything it can meanwhile, including any "sending" row it might retake.
    while ((await b.drainOnce()) > 0);
    releaseFirst();
    await running;
    while ((await a.drainOnce()) + (await b.drainOnce()) > 0);

    const all = [...first, ...second];
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(all).toHaveLength(ROWS);
    expect(new Set(all).size).toBe(ROWS);
    expect(await app.db.outboxMessage.count({ where: { status: 'sent' } })).toBe(ROWS);
  });

  it('concurrent claims split the rows: no row is claimed twice', async () => {
    const app = await newApp();
    for (let i = 0; i < 60; i++) await enqueueNotification(app.db, { conversationKey: `tg:${8000 + i}`, reply: { text: `n${i}` } });
    const otherDb = await openDatabase(app.databaseUrl);
    extraDbs.push(otherDb);
    const now = new Date();
    const claims = await Promise.all(
      [app.db, otherDb, app.db, otherDb].map((db, i) => claimOutboxRows(db, { channel: 'tg', owner: `test-owner-${i}`, now, limit: 20 })),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('a crashed process\'s claims are taken again once they lapse, not before', async () => {
    let offsetMs = 0;
    const app = await newApp();
    await enqueueNotification(app.db, { conversationKey: CITIZEN_TG, reply: { text: 'status' } });
    // A process on another host claimed the row and died without sending it.
    const claimed = await claimOutboxRows(app.db, { channel: 'tg', owner: 'elsewhere:4242:dead', now: new Date() });
    expect(claimed).toHaveLength(1);
    const tg = recorder('tg');
    const dispatcher = new OutboxDispatcher<Reply>(app.db, silent, () => new Date(Date.now() + offsetMs));
    dispatcher.register(tg.sender);
    expect(await dispatcher.drainOnce()).toBe(0);
    offsetMs = CLAIM_LEASE_MS + 1_000;
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(tg.sent).toEqual([{ key: CITIZEN_TG, text: 'status' }]);
    const row = await app.db.outboxMessage.findFirstOrThrow({ where: { conversationKey: CITIZEN_TG } });
    expect([row.status, row.claimedBy]).toEqual(['sent', null]);
  });

  it.skipIf(testDatabaseProvider() !== 'sqlite')('on SQLite, a restart retakes the claims of a process on this machine that is gone, at once', async () => {
    const app = await newApp();
    await enqueueNotification(app.db, { conversationKey: CITIZEN_TG, reply: { text: 'status' } });
    // A process of this machine that has exited (SIGKILLed mid-send in real life).
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await claimOutboxRows(app.db, { channel: 'tg', owner: `${os.hostname()}:${gone}:abcd`, now: new Date() })).toHaveLength(1);
    // A live process's claim (this one's) is left alone.
    await enqueueNotification(app.db, { conversationKey: 'tg:5002', reply: { text: 'held' } });
    expect(await claimOutboxRows(app.db, { channel: 'tg', owner: `${os.hostname()}:${process.pid}:live`, now: new Date() })).toHaveLength(1);
    const tg = recorder('tg');
    const dispatcher = new OutboxDispatcher<Reply>(app.db, silent);
    dispatcher.register(tg.sender);
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(tg.sent).toEqual([{ key: CITIZEN_TG, text: 'status' }]);
  });
});
