import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { FakeTelegram } from './helpers/fake-telegram.ts';
import { startFakeWhatsApp, textContent, waMessage, type FakeWhatsApp } from './helpers/fake-whatsapp.ts';
import { createTelegramChannel } from '../bot/telegram/telegram-channel.ts';
import { createTerminalChannel } from '../bot/terminal/terminal-channel.ts';
import { startChannels, type RunningChannels } from '../bot/start-channels.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import type { Reply } from '../flows/types.ts';

/**
 * The one channel contract, one script, three channels (issue 11): a citizen files a report, receives a
 * notification, then a send fails and that reply and the ones after it go to the outbox, in order, and are
 * delivered from there once the platform takes messages again. Each driver only knows how to speak its platform.
 */
interface Driver {
  app: TestApp;
  /** The citizen's conversation key on this channel. */
  key: string;
  /** Sends a text as the citizen; resolves with what the bot showed the citizen in answer. */
  say(text: string): Promise<string>;
  /** Everything the citizen has seen so far. */
  seen(): string;
  /** Makes the platform refuse (true) or take (false) the bot's messages. */
  refuseSends(refuse: boolean): void;
  stop(): Promise<void>;
}

const DB_WAIT = { timeout: 20_000, interval: 20 };

async function terminalDriver(): Promise<Driver> {
  const app = await createTestApp();
  const input = new PassThrough();
  let printed = '';
  let refuse = false;
  const output = {
    write(chunk: string) {
      if (refuse) throw new Error('terminal closed');
      printed += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const terminal = createTerminalChannel(app, { identity: 'ani', input, output });
  const running: RunningChannels = await startChannels(app, [terminal]);
  let lines = 0;
  return {
    app,
    key: terminal.conversationKey,
    async say(text) {
      const before = printed.length;
      const handled = ++lines;
      input.write(`${text}\n`);
      // A line is handled once its message id is recorded; terminal message ids are random, so count rows.
      await vi.waitFor(async () => expect(await app.db.processedMessage.count({ where: { conversationKey: terminal.conversationKey } })).toBeGreaterThanOrEqual(handled), DB_WAIT);
      await vi.waitFor(() => expect(printed.length > before || refuse).toBe(true), DB_WAIT);
      return printed.slice(before);
    },
    seen: () => printed,
    refuseSends(value) {
      refuse = value;
    },
    async stop() {
      input.end();
      await running.ended;
      await running.stop();
      await app.cleanup();
    },
  };
}

async function telegramDriver(): Promise<Driver> {
  const app = await createTestApp();
  const fake = await new FakeTelegram().start();
  const CHAT = 4242;
  const channel = createTelegramChannel(app, { token: fake.token, apiRoot: fake.apiRoot, pollingTimeoutSeconds: 1 });
  fake.settle = (updateId) => channel.whenHandled(updateId);
  const running = await startChannels(app, [channel]);
  return {
    app,
    key: `tg:${CHAT}`,
    say: (text) => fake.exchange(CHAT, () => fake.sendText(CHAT, text), 20_000),
    seen: () => fake.textTo(CHAT),
    refuseSends(refuse) {
      // An odd 400 is a passing failure for the outbox (5xx too, but auto-retry waits those out first).
      if (refuse) fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 400, description: 'Bad Request: try again', times: Infinity });
      else fake.clearFailures();
    },
    async stop() {
      await running.stop();
      await app.cleanup();
      await fake.close();
    },
  };
}

async function whatsappDriver(): Promise<Driver> {
  const app = await createTestApp();
  const wa: FakeWhatsApp = await startFakeWhatsApp(app);
  const JID = '6281234500001@s.whatsapp.net';
  const seen: string[] = [];
  return {
    app,
    key: `wa:main:${JID}`,
    async say(text) {
      const replies = await wa.send(waMessage(JID, textContent(text)));
      return replies.join('\n---\n');
    },
    seen: () =>
      wa.sockets
        .flatMap((s) => s.sent)
        .filter((m) => m.jid === JID)
        .map((m) => m.text)
        .concat(seen)
        .join('\n---\n'),
    refuseSends(refuse) {
      wa.socket().failSends = refuse ? new Error('connection lost mid-send') : undefined;
    },
    async stop() {
      await wa.channel.stop();
      await app.cleanup();
    },
  };
}

const DRIVERS: Array<[string, () => Promise<Driver>]> = [
  ['terminal', terminalDriver],
  ['telegram', telegramDriver],
  ['whatsapp', whatsappDriver],
];

let current: Driver | undefined;
afterEach(async () => {
  await current?.stop().catch(() => undefined);
  current = undefined;
});

describe.each(DRIVERS)('channel contract: %s', (_name, makeDriver) => {
  it('a citizen files a report, receives a notification, and a refused send leaves the rest in the outbox', { timeout: 60_000 }, async () => {
    const d = (current = await makeDriver());
    await addAdmin(d.app.db, { role: 'instansi', name: 'Budi', conversationKey: 'term:admin-budi' });

    // 1. Files a report through the channel.
    await d.say('Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor');
    await d.say('Jl. Sumbersari No. 10, Lowokwaru');
    await d.say('lewati');
    await d.say('1');
    const filed = await d.say('ya');
    const trackingId = /Nomor laporan: (LPR-[2-9A-Z]{6})/.exec(filed)?.[1];
    expect(trackingId, filed).toBeDefined();

    // 2. An admin verifies it; the citizen's notification goes out through this channel's sender.
    const confirm = (await d.app.say('term:admin-budi', `/verifikasi ${trackingId}`)).map((r: Reply) => r.text).join('\n');
    expect(confirm).toContain(trackingId);
    const before = d.seen().length;
    await vi.waitFor(async () => {
      await d.app.outbox.drainOnce();
      expect(d.seen().slice(before)).toContain(trackingId);
    }, DB_WAIT);
    const notified = await d.app.db.outboxMessage.findMany({ where: { conversationKey: d.key } });
    expect(notified.map((m) => m.status)).toEqual(['sent']);

    // 3. The platform refuses: the turn's replies (every one, in order) wait in the outbox.
    d.refuseSends(true);
    await d.say('bantuan');
    // The refused replies reach the outbox after the turn is recorded (delivery follows the commit), so wait for them.
    await vi.waitFor(async () => {
      const queued = await d.app.db.outboxMessage.findMany({ where: { conversationKey: d.key, status: 'pending' }, orderBy: { createdAt: 'asc' } });
      expect(queued.map((m) => (m.payload as unknown as Reply).text).join('\n')).toMatch(/cek <nomor>/);
    }, DB_WAIT);

    // 4. The platform is back: the outbox delivers them on this channel.
    d.refuseSends(false);
    await d.app.db.outboxMessage.updateMany({ where: { conversationKey: d.key, status: 'pending' }, data: { nextAttemptAt: new Date(0) } });
    const seenBefore = d.seen().length;
    await vi.waitFor(async () => {
      await d.app.outbox.drainOnce();
      expect(await d.app.db.outboxMessage.count({ where: { conversationKey: d.key, status: { not: 'sent' } } })).toBe(0);
    }, DB_WAIT);
    expect(d.seen().slice(seenBefore)).toMatch(/cek <nomor>/);
  });
});
