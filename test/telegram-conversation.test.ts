import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { FakeTelegram } from './helpers/fake-telegram.ts';
import { t } from '../flows/citizen/texts.ts';
import { createTestApp } from './helpers/test-app.ts';
import { createTelegramChannel } from '../bot/telegram/telegram-channel.ts';
import { jpegOfSize } from './helpers/images.ts';

const CHAT = 8880001;
const COMPLAINT = 'Antrean di loket pendaftaran lama sekali, petugasnya cuma satu, sudah dua jam menunggu';

const start = useTelegramHarness();

describe('Telegram deep links', () => {
  it.each(['/start place-PKM-ARJUNO', '/start PKM-ARJUNO'])('"%s" opens a report with the place filled in', async (command) => {
    const h = await start();
    const { fake } = h;
    const opened = await fake.exchange(CHAT, () => fake.sendText(CHAT, command));
    expect(opened).toContain(t('id', 'askDescription'));
    const prefilled = await fake.exchange(CHAT, () => fake.sendText(CHAT, COMPLAINT));
    expect(prefilled).toContain('Puskesmas Arjuno');
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'ya'));
    await fake.exchange(CHAT, () => fake.press(CHAT, 'lewati'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    const filed = await fake.exchange(CHAT, () => fake.press(CHAT, 'ya'));
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();
    const stored = await h.app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect(stored.locationText).toContain('Puskesmas Arjuno');
    expect(stored.kelurahan).toBe('Kauman');
    expect(stored.kecamatan).toBe('Klojen');
  });
});

describe('Telegram restart', () => {
  it('resumes a conversation after the bot and app restart on the same database', async () => {
    const h = await start();
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, COMPLAINT));
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'Jl. Sumbersari No. 10, Lowokwaru'));
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['lewati']);

    await h.restart();
    expect(fake.callsTo('getMe')).toHaveLength(2);
    // The keyboard sent before the restart still works.
    const privacy = await fake.exchange(CHAT, () => fake.press(CHAT, 'lewati'));
    expect(privacy).toContain(t('id', 'askPrivacy'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '3'));
    const filed = await fake.exchange(CHAT, () => fake.press(CHAT, 'ya'));
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();
    const stored = await h.app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect(stored).toMatchObject({ description: COMPLAINT, privacy: 'rahasia', kecamatan: 'Lowokwaru' });
  });
});

describe('Telegram content the bot cannot use', () => {
  it('answers a sticker politely and keeps the conversation where it was', async () => {
    const h = await start();
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, COMPLAINT));
    const reply = await fake.exchange(CHAT, () => fake.sendSticker(CHAT));
    expect(reply).toContain('stiker');
    expect(reply).toContain(t('id', 'askLocation'));
  });

  it('refuses a photo over MAX_ATTACHMENT_BYTES without downloading it', async () => {
    const h = await start({ app: { env: { MAX_ATTACHMENT_BYTES: '5000' } } });
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, COMPLAINT));
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'Jl. Sumbersari No. 10'));
    const announced = await fake.exchange(CHAT, () => fake.sendPhoto(CHAT, Buffer.alloc(6000, 1)));
    expect(announced).toContain('foto yang terlalu besar');
    expect(fake.callsTo('getFile')).toHaveLength(0);
    // Telegram announced a small size but getFile tells the truth: still refused before the download.
    const lying = await fake.exchange(CHAT, () => fake.sendPhoto(CHAT, Buffer.alloc(6000, 1), { announcedSize: 100 }));
    expect(lying).toContain('foto yang terlalu besar');
    expect(fake.callsTo('getFile')).toHaveLength(1);
    expect(fake.callsTo('download')).toHaveLength(0);
    const ok = await fake.exchange(CHAT, () => fake.sendPhoto(CHAT, jpegOfSize(4000)));
    expect(ok).toContain(t('id', 'photoReceived', { count: 1 }));
  });

  it('a press on a superseded keyboard is answered but not taken as input', async () => {
    const h = await start();
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'halo'));
    const menu = fake.messagesTo(CHAT).at(-1)!;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'halo'));
    expect(fake.messagesTo(CHAT).find((m) => m.message_id === menu.message_id)!.reply_markup).toBeUndefined();
    // A client that still shows the old keyboard presses it.
    const before = fake.messagesTo(CHAT).length;
    menu.reply_markup = { inline_keyboard: [[{ text: 'Buat laporan', callback_data: '1' }]] };
    const stale = fake.sent.indexOf(menu);
    fake.sent.splice(stale, 1);
    fake.sent.push(menu);
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    expect(fake.messagesTo(CHAT).length).toBe(before);
    expect(fake.callsTo('answerCallbackQuery').at(-1)!.params.text).toMatch(/tidak berlaku/);
  });
});

describe('Telegram start-up', () => {
  it('makes no API call until start()', async () => {
    const fake = await new FakeTelegram().start();
    const app = await createTestApp();
    try {
      const channel = createTelegramChannel(app, { token: fake.token, apiRoot: fake.apiRoot });
      expect(channel.sender.isReady?.()).toBe(false);
      expect(fake.calls).toEqual([]);
      // Proved by order, not by waiting: start() begins with getMe, so any call creation had made would come
      // first (or be a second getMe).
      await channel.start();
      expect(fake.calls[0].method).toBe('getMe');
      expect(fake.callsTo('getMe')).toHaveLength(1);
      await channel.stop();
    } finally {
      await app.cleanup();
      await fake.close();
    }
  });
});

describe('Telegram webhook mode', () => {
  it('takes updates posted with the secret, refuses others, and registers the webhook', async () => {
    const fake = await new FakeTelegram().start();
    const h = await start({
      fake,
      telegram: { webhookUrl: 'https://lapor.example.go.id/telegram/hook', webhookPort: 0, webhookHost: '127.0.0.1', webhookSecret: 'rahasia_hook' },
    });
    const setWebhook = fake.callsTo('setWebhook');
    expect(setWebhook).toHaveLength(1);
    expect(setWebhook[0].params).toMatchObject({ url: 'https://lapor.example.go.id/telegram/hook', secret_token: 'rahasia_hook' });
    expect(fake.callsTo('getUpdates')).toHaveLength(0);
    const { port } = h.channel.webhookAddress()!;

    const post = (path: string, secret: string | undefined, body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    const update = {
      update_id: 1,
      message: { message_id: 1, date: 0, chat: { id: CHAT, type: 'private', first_name: 'W' }, from: { id: CHAT, is_bot: false, first_name: 'W' }, text: 'halo' },
    };
    expect(await post('/telegram/hook', 'salah', update)).toBe(401);
    expect(await post('/other', 'rahasia_hook', update)).toBe(404);
    expect(await post('/telegram/hook', 'rahasia_hook', update)).toBe(200);
    await fake.waitForMessages(CHAT, 1);
    expect(fake.textTo(CHAT)).toContain('Kota Malang');
    // Telegram retrying the same update after a timeout is dropped. Proved by order, not by waiting: one chat's
    // updates are handled in turn, so once the next update's reply is out the retry has been handled too.
    expect(await post('/telegram/hook', 'rahasia_hook', update)).toBe(200);
    const next = { update_id: 2, message: { ...update.message, message_id: 2, text: 'bantuan' } };
    expect(await post('/telegram/hook', 'rahasia_hook', next)).toBe(200);
    const greeting = fake.messagesTo(CHAT)[0].text;
    await fake.waitFor(() => fake.textTo(CHAT, 1).includes(t('id', 'help').slice(0, 20)), 'the reply to the next update');
    // Had the retry been handled again, its greeting would sit between the first greeting and the help.
    expect(fake.messagesTo(CHAT)[1].text).toContain(t('id', 'help').slice(0, 20));
    expect(fake.messagesTo(CHAT)[0].text).toBe(greeting);
  });
});
