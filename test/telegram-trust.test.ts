import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Message, Update } from 'grammy/types';
import { describe, expect, it, vi } from 'vitest';
import { useTelegramHarness, type TelegramHarness } from './helpers/telegram-harness.ts';
import { addTestAdmins, bringTo, fileFixtureCase } from './helpers/lifecycle.ts';
import type { BotMessage } from './helpers/fake-telegram.ts';
import { WEBHOOK_SECRET_FILE } from '../bot/telegram/webhook-secret.ts';
import { configSchema } from '../lib/config.ts';
import type { Reply } from '../flows/types.ts';

const start = useTelegramHarness();
const WAIT = { timeout: 20_000, interval: 20 };
const CITIZEN = 7101;

/** Holds the SQLite write lock from a second connection, as another busy process would (issue 12 #3). */
function holdWriteLock(h: TelegramHarness): () => void {
  const file = h.app.databaseUrl.replace(/^file:/, '');
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

function quoted(message: BotMessage): Message['reply_to_message'] {
  return {
    message_id: message.message_id,
    date: 0,
    chat: { id: message.chatId, type: 'private', first_name: 'Warga' },
    from: { id: 123456, is_bot: true, first_name: 'Lapor Malang' },
    text: message.text ?? '',
  } as Message['reply_to_message'];
}

describe('Telegram: private chats only (issue 12 #2)', () => {
  const GROUP = -100777;

  it('a group is told once to write privately, and nothing of it is kept', { timeout: 30_000 }, async () => {
    const h = await start();
    const group = (text: string, extra: Partial<Message> = {}) =>
      h.fake.push({
        message: {
          message_id: Math.floor(Math.random() * 1e6),
          date: 0,
          chat: { id: GROUP, type: 'supergroup', title: 'Warga RT 05' },
          from: { id: 5551, is_bot: false, first_name: 'Dodi' },
          text,
          ...extra,
        } as NonNullable<Update['message']>,
      });
    await h.fake.exchange(GROUP, () => group('Jalan berlubang besar di depan SDN Sumbersari 2, bahaya untuk motor'));
    await h.fake.exchange(GROUP, () => group('laporan saya'));
    await h.fake.exchange(GROUP, () => group('ya'));
    const fileId = h.fake.addFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'jpg');
    await h.fake.exchange(GROUP, () =>
      group('', { text: undefined, photo: [{ file_id: fileId, file_unique_id: 'u', width: 10, height: 10, file_size: 7 }] } as Partial<Message>),
    );
    // Added to another group: the same once-only notice.
    const OTHER = -100888;
    const added = { status: 'member', user: { id: 123456, is_bot: true, first_name: 'Lapor Malang' } };
    const membership = () =>
      h.fake.push({
        my_chat_member: {
          chat: { id: OTHER, type: 'group', title: 'Kelurahan' },
          from: { id: 5551, is_bot: false, first_name: 'Dodi' },
          date: 0,
          old_chat_member: { status: 'left', user: added.user },
          new_chat_member: added,
        },
      } as Omit<Update, 'update_id'>);
    await h.fake.exchange(OTHER, membership);
    await h.fake.exchange(OTHER, membership);

    const toGroup = h.fake.messagesTo(GROUP);
    expect(toGroup).toHaveLength(1);
    expect(toGroup[0].text).toMatch(/chat pribadi/);
    expect(h.fake.messagesTo(OTHER)).toHaveLength(1);
    expect(h.fake.callsTo('getFile')).toHaveLength(0);
    for (const key of [`tg:${GROUP}`, `tg:${OTHER}`]) {
      expect(await h.app.db.conversation.count({ where: { key } })).toBe(0);
      expect(await h.app.db.case.count()).toBe(0);
      expect(await h.app.db.outboxMessage.count({ where: { conversationKey: key } })).toBe(0);
    }
    expect(fs.existsSync(path.join(h.app.dir, 'attachments')) ? fs.readdirSync(path.join(h.app.dir, 'attachments'), { recursive: true }) : []).toEqual([]);
  });

  it('ignores sender_chat and anonymous-admin messages: no answer, no conversation', { timeout: 30_000 }, async () => {
    const h = await start();
    const anonymous = {
      message_id: 9,
      date: 0,
      chat: { id: -100999, type: 'supergroup', title: 'Warga' },
      from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
      sender_chat: { id: -100999, type: 'supergroup', title: 'Warga' },
      text: 'Lampu jalan mati semua di Jl. Soekarno Hatta',
    } as NonNullable<Update['message']>;
    const viaChannel = { ...anonymous, message_id: 10, chat: { id: CITIZEN, type: 'private', first_name: 'A' }, sender_chat: { id: -100111, type: 'channel', title: 'Berita' } } as NonNullable<Update['message']>;
    await h.fake.exchange(-100999, () => h.fake.push({ message: anonymous }));
    await h.fake.exchange(CITIZEN, () => h.fake.push({ message: viaChannel }));
    expect(h.fake.messagesTo(-100999)).toHaveLength(0);
    expect(h.fake.messagesTo(CITIZEN)).toHaveLength(0);
    expect(await h.app.db.conversation.count()).toBe(0);
  });
});

describe('Telegram: a message is never dropped in silence (issue 12 #3)', () => {
  it('long polling: with the database busy, the citizen is asked to send it again; after, the message works', { timeout: 60_000 }, async () => {
    const h = await start();
    const release = holdWriteLock(h);
    try {
      const answer = await h.fake.exchange(CITIZEN, () => h.fake.sendText(CITIZEN, 'halo'), 30_000);
      expect(answer).toMatch(/kirim ulang/);
    } finally {
      release();
    }
    expect(await h.fake.exchange(CITIZEN, () => h.fake.sendText(CITIZEN, 'halo'), 30_000)).toContain('Kota Malang');
  });

  it('webhook: with the database busy the call is answered non-2xx, and Telegram\'s redelivery takes effect', { timeout: 60_000 }, async () => {
    const h = await start({ telegram: { webhookUrl: 'https://lapor.example/tg-hook', webhookPort: 0, webhookSecret: 'test-secret_123' } });
    const address = h.channel.webhookAddress()!;
    const update = { update_id: 501, message: { message_id: 77, date: 0, chat: { id: CITIZEN, type: 'private', first_name: 'Ani' }, from: { id: CITIZEN, is_bot: false, first_name: 'Ani' }, text: 'halo' } };
    const post = () =>
      fetch(`http://127.0.0.1:${address.port}/tg-hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'test-secret_123' },
        body: JSON.stringify(update),
      });
    const release = holdWriteLock(h);
    let first: Response;
    try {
      first = await post();
    } finally {
      release();
    }
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(h.fake.messagesTo(CITIZEN)).toHaveLength(0);
    const again = await post();
    expect(again.status).toBe(200);
    await vi.waitFor(() => expect(h.fake.textTo(CITIZEN)).toContain('Kota Malang'), WAIT);
  });
});

describe('Telegram: only a reply to the bot\'s own message about one case answers it (issue 12 #4)', () => {
  it('a reply to /inbox is not an answer; a reply to the case alert is, and the admin is told it was sent', { timeout: 60_000 }, async () => {
    const h = await start();
    const admins = await addTestAdmins(h.app);
    const PU = 9003;
    const id = await fileFixtureCase(h.app, { key: `tg:${CITIZEN}` });
    await bringTo(h.app, id, 'forwarded', admins);
    await vi.waitFor(async () => {
      await h.app.outbox.drainOnce();
      expect(h.fake.textTo(PU)).toContain(id);
    }, WAIT);
    const alert = h.fake.messagesTo(PU).find((m) => m.text?.includes(id))!;

    await h.fake.exchange(PU, () => h.fake.sendText(PU, '/inbox'));
    const inbox = h.fake.messagesTo(PU).at(-1)!;
    expect(inbox.text).toContain(id);
    await h.fake.exchange(PU, () => h.fake.sendText(PU, 'ok nanti saya cek dulu ya', { reply_to_message: quoted(inbox) }));
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');
    const toCitizen = await h.app.db.outboxMessage.findMany({ where: { conversationKey: `tg:${CITIZEN}` } });
    expect(toCitizen.map((m) => (m.payload as unknown as Reply).text).join('\n')).not.toContain('nanti saya cek');

    const confirm = await h.fake.exchange(PU, () => h.fake.sendText(PU, 'Lubang sudah kami tambal hari ini', { reply_to_message: quoted(alert) }));
    expect(confirm).toContain(`Tanggapan untuk ${id} dikirim ke pelapor`);
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('answered');
    const answered = await h.app.db.outboxMessage.findMany({ where: { conversationKey: `tg:${CITIZEN}` } });
    expect(answered.map((m) => (m.payload as unknown as Reply).text).join('\n')).toContain('Lubang sudah kami tambal hari ini');
  });
});

describe('Telegram: a refused photo never holds back an alert\'s text (issue 12 #5)', () => {
  it('the forwarded alert arrives as text while its photo waits in the outbox on its own', { timeout: 60_000 }, async () => {
    const h = await start();
    const admins = await addTestAdmins(h.app);
    const PU = 9003;
    fs.mkdirSync(path.join(h.app.dir, 'photos'), { recursive: true });
    fs.writeFileSync(path.join(h.app.dir, 'photos', 'p1.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0]));
    const id = await fileFixtureCase(h.app, { key: `tg:${CITIZEN}`, draft: { photos: [{ kind: 'photo', path: 'photos/p1.jpg', mime: 'image/jpeg' }] } });
    h.fake.fail({ method: 'sendPhoto', errorCode: 400, description: 'Bad Request: IMAGE_PROCESS_FAILED', times: Infinity });
    await bringTo(h.app, id, 'forwarded', admins);
    await vi.waitFor(async () => {
      await h.app.outbox.drainOnce();
      expect(h.fake.textTo(PU)).toContain(id);
    }, WAIT);
    const rows = await h.app.db.outboxMessage.findMany({ where: { conversationKey: `tg:${PU}` } });
    const payload = (r: (typeof rows)[number]) => r.payload as unknown as Reply;
    // The alert (text and photo) counts as sent once its text is out; the refused photo is a row of its own.
    const alert = rows.find((r) => payload(r).text.includes(id) && payload(r).image)!;
    expect(alert.status).toBe('sent');
    const photoOnly = rows.filter((r) => payload(r).image && payload(r).text === '');
    expect(photoOnly.map((r) => [r.status, payload(r).caseRef])).toEqual([['pending', id]]);
    expect(h.fake.messagesTo(PU).filter((m) => m.text?.includes(id))).toHaveLength(1);
  });
});

describe('Telegram webhook: a random secret and a loopback bind address (issue 12 #16)', () => {
  it('generates a secret on first start (0600 file in DATA_DIR, not derived from the token) and keeps it across restarts', { timeout: 60_000 }, async () => {
    const h = await start({ telegram: { webhookUrl: 'https://lapor.example/tg-hook', webhookPort: 0 } });
    const secret = h.channel.webhookSecret()!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(secret).not.toBe(createHash('sha256').update(`lapor-bot-webhook:${h.fake.token}`).digest('hex'));
    const file = path.join(h.app.dir, WEBHOOK_SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const registered = h.fake.callsTo('setWebhook').at(-1)!.params.secret_token;
    expect(registered).toBe(secret);
    expect(h.channel.webhookAddress()!.host).toBe('127.0.0.1');

    const port = h.channel.webhookAddress()!.port;
    const unsigned = await fetch(`http://127.0.0.1:${port}/tg-hook`, { method: 'POST', body: '{"update_id":1}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);

    await h.restart();
    expect(h.channel.webhookSecret()).toBe(secret);
  });

  it('TELEGRAM_WEBHOOK_HOST defaults to 127.0.0.1 and can be set', () => {
    expect(configSchema.parse({}).TELEGRAM_WEBHOOK_HOST).toBe('127.0.0.1');
    expect(configSchema.parse({ TELEGRAM_WEBHOOK_HOST: '0.0.0.0' }).TELEGRAM_WEBHOOK_HOST).toBe('0.0.0.0');
  });
});
