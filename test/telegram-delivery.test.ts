import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { useTelegramHarness, type TelegramHarness } from './helpers/telegram-harness.ts';
import { enqueueNotification } from '../cases/notify.ts';
import { ensureCitizen } from '../db/citizens.ts';
import { AUTO_RETRY } from '../bot/telegram/telegram-channel.ts';

const CHAT = 7770001;
const KEY = `tg:${CHAT}`;
const BOT = { id: 123456, is_bot: true as const, first_name: 'Lapor Malang' };

const start = useTelegramHarness();

async function notify(h: TelegramHarness, text: string, key = KEY) {
  await enqueueNotification(h.app.db, { conversationKey: key, reply: { text, choices: [{ value: '1', label: 'Puas' }] } });
  return h.app.db.outboxMessage.findFirstOrThrow({ where: { conversationKey: key }, orderBy: { createdAt: 'desc' } });
}

describe('Telegram delivery: rate limits', () => {
  it('honours retry_after on a 429 and then delivers', async () => {
    const h = await start();
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const row = await notify(h, 'Laporan Anda sudah diverifikasi.');
    expect(await h.app.outbox.drainOnce()).toBe(1);
    const attempts = h.fake.callsTo('sendMessage').filter((c) => c.params.chat_id === CHAT);
    expect(attempts).toHaveLength(2);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
    expect(h.fake.messagesTo(CHAT).map((m) => m.text)).toEqual(['Laporan Anda sudah diverifikasi.']);
    expect(h.fake.keyboards(CHAT)).toEqual([['1']]);
    const sent = await h.app.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(sent.status).toBe('sent');
  });

  it('leaves a retry_after longer than the cap to the outbox, which waits that long', async () => {
    const h = await start();
    const retryAfter = AUTO_RETRY.maxDelaySeconds + 3600;
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 429, description: 'Too Many Requests', retryAfter });
    const row = await notify(h, 'Laporan Anda sudah diteruskan.');
    const before = Date.now();
    expect(await h.app.outbox.drainOnce()).toBe(0);
    expect(h.fake.callsTo('sendMessage')).toHaveLength(1);
    const pending = await h.app.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(pending).toMatchObject({ status: 'pending', lastError: 'RATE_LIMITED', attempts: 1 });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + retryAfter * 1000 - 1000);
  });

  it('a 429 on a conversation reply is waited out too', async () => {
    const h = await start();
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 429, description: 'Too Many Requests', retryAfter: 1 });
    const text = await h.fake.exchange(CHAT, () => h.fake.sendText(CHAT, 'halo'), 10_000);
    expect(text).toContain('Kota Malang');
  });
});

describe('Telegram delivery: a conversation reply that fails', () => {
  it('goes to the outbox and is delivered on the next run, not lost', async () => {
    const h = await start();
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 400, description: 'Bad Request: something unexpected' });
    await h.fake.exchange(CHAT, () => h.fake.sendText(CHAT, 'halo'));
    expect(h.fake.messagesTo(CHAT)).toHaveLength(0);
    const kept = await h.app.db.outboxMessage.findMany({ where: { conversationKey: KEY } });
    expect(kept.map((m) => m.status)).toEqual(['pending']);
    expect(await h.app.outbox.drainOnce()).toBe(1);
    expect(h.fake.textTo(CHAT)).toContain('Kota Malang');
  });

  it('a blocked bot marks the citizen unreachable; the turn\'s replies wait as undeliverable, not sent again and again', async () => {
    const h = await start();
    await ensureCitizen(h.app.db, KEY, 'tg');
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    await h.fake.exchange(CHAT, () => h.fake.sendText(CHAT, 'halo'));
    expect((await h.app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: KEY } })).unreachableAt).toBeInstanceOf(Date);
    expect(await h.app.db.outboxMessage.count({ where: { conversationKey: KEY } })).toBeGreaterThan(0);
    expect(await h.app.outbox.drainOnce()).toBe(0);
    const kept = await h.app.db.outboxMessage.findMany({ where: { conversationKey: KEY } });
    expect(kept.every((m) => m.status === 'undeliverable')).toBe(true);
    expect(h.fake.messagesTo(CHAT)).toHaveLength(0);
  });
});

describe('Telegram delivery: blocked bot', () => {
  it('a 403 marks the citizen unreachable and keeps the notification, without retrying it', async () => {
    const h = await start();
    await ensureCitizen(h.app.db, KEY, 'tg', { name: 'Warga' });
    h.fake.fail({ method: 'sendMessage', chatId: CHAT, errorCode: 403, description: 'Forbidden: bot was blocked by the user', times: Infinity });
    const row = await notify(h, 'Laporan Anda sudah dijawab.');
    expect(await h.app.outbox.drainOnce()).toBe(0);

    const identity = await h.app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: KEY } });
    expect(identity.unreachableAt).toBeInstanceOf(Date);
    const kept = await h.app.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(kept).toMatchObject({ status: 'undeliverable', lastError: 'BLOCKED', attempts: 1 });

    // Later runs leave it alone: one attempt in total, however often the outbox runs.
    const second = await notify(h, 'Pengingat: beri penilaian.');
    await h.app.outbox.drainOnce();
    await h.app.outbox.drainOnce();
    expect(h.fake.callsTo('sendMessage')).toHaveLength(1);
    expect((await h.app.db.outboxMessage.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('undeliverable');
  });

  it('blocking and unblocking (my_chat_member) flips reachability, and kept notifications go out after', async () => {
    const h = await start();
    await ensureCitizen(h.app.db, KEY, 'tg');
    const member = (status: 'kicked' | 'member'): Omit<Update, 'update_id'> => ({
      my_chat_member: {
        chat: { id: CHAT, type: 'private' as const, first_name: 'Warga' },
        from: { id: CHAT, is_bot: false, first_name: 'Warga' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: BOT },
        new_chat_member: status === 'kicked' ? { status: 'kicked', until_date: 0, user: BOT } : { status: 'member', user: BOT },
      },
    });
    await h.fake.exchange(CHAT, () => h.fake.push(member('kicked')));
    expect((await h.app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: KEY } })).unreachableAt).not.toBeNull();

    const row = await notify(h, 'Laporan Anda sudah diverifikasi.');
    await h.app.outbox.drainOnce();
    expect(h.fake.callsTo('sendMessage')).toHaveLength(0);
    expect((await h.app.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('undeliverable');

    await h.fake.exchange(CHAT, () => h.fake.push(member('member')));
    expect((await h.app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: KEY } })).unreachableAt).toBeNull();
    expect(await h.app.outbox.drainOnce()).toBe(1);
    expect(h.fake.messagesTo(CHAT).map((m) => m.text)).toEqual(['Laporan Anda sudah diverifikasi.']);
  });

  it('a citizen who writes again is reachable again', async () => {
    const h = await start();
    await ensureCitizen(h.app.db, KEY, 'tg');
    await h.app.db.channelIdentity.update({ where: { conversationKey: KEY }, data: { unreachableAt: new Date() } });
    await h.fake.exchange(CHAT, () => h.fake.sendText(CHAT, 'halo'));
    expect((await h.app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: KEY } })).unreachableAt).toBeNull();
  });
});
