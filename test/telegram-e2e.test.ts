import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { BOT_COMMANDS } from '../bot/telegram/commands.ts';
import { t } from '../flows/citizen/texts.ts';
import { jpegOfSize } from './helpers/images.ts';

const CHAT = 5550001;
// No place in it, so the location is asked (a place named in the complaint is used without asking).
const COMPLAINT = 'Jalan berlubang besar, sudah dua minggu, bahaya untuk motor yang lewat';
/** A fake JPEG: the bytes only have to survive the trip unchanged. */
const PHOTO = jpegOfSize(20_000);

const start = useTelegramHarness();

describe('Telegram channel end to end (real grammY, fake Bot API server)', () => {
  it('files a complete report with text, keyboard choices, a photo and a location, then shows its status', async () => {
    const h = await start();
    const { fake } = h;
    expect(fake.callsTo('getMe')).toHaveLength(1);
    expect(fake.commands).toEqual([BOT_COMMANDS]);
    expect(BOT_COMMANDS.map((c) => c.command)).toEqual(['start', 'help', 'status', 'lang', 'batal']);

    const greeting = await fake.exchange(CHAT, () => fake.sendText(CHAT, '/start'));
    expect(greeting).toContain('Kota Malang');
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['1', '2', '3', '4']);

    const askDescription = await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    expect(askDescription.length).toBeGreaterThan(0);
    // The press was answered and the used keyboard removed.
    expect(fake.callsTo('answerCallbackQuery')).toHaveLength(1);
    expect(fake.messagesTo(CHAT)[0].reply_markup).toBeUndefined();

    const askLocation = await fake.exchange(CHAT, () => fake.sendText(CHAT, COMPLAINT));
    expect(askLocation.toLowerCase()).toContain('lokasi');

    await fake.exchange(CHAT, () => fake.sendLocation(CHAT, -7.9553, 112.6145));
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['lewati']);

    const afterPhoto = await fake.exchange(CHAT, () => fake.sendPhoto(CHAT, PHOTO));
    expect(afterPhoto).toContain('kerahasiaan');
    expect(fake.callsTo('getFile')).toHaveLength(1);
    expect(fake.callsTo('download')).toHaveLength(1);
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['1', '2', '3']);
    // The unused "lewati" keyboard went away once the photo answered the question.
    expect(fake.messagesTo(CHAT).filter((m) => m.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === 'lewati'))).toEqual([]);

    const summary = await fake.exchange(CHAT, () => fake.press(CHAT, '2'));
    expect(summary).toContain('Instansi tujuan: Dinas Pekerjaan Umum');
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['ya', 'ubah', 'batal']);

    const filed = await fake.exchange(CHAT, () => fake.press(CHAT, 'ya'));
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();

    const stored = await h.app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { attachments: true } });
    expect(stored.conversationKey).toBe(`tg:${CHAT}`);
    expect(stored.description).toBe(COMPLAINT);
    expect(stored.privacy).toBe('anonim');
    expect(stored.latitude).toBeCloseTo(-7.9553, 4);
    expect(stored.longitude).toBeCloseTo(112.6145, 4);
    expect(stored.attachments).toHaveLength(1);
    const saved = fs.readFileSync(path.resolve(h.app.config.DATA_DIR, stored.attachments[0].path));
    // Stored re-encoded (metadata stripped, padding gone): a JPEG, smaller than what was sent.
    expect(saved.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(saved.length).toBeLessThan(PHOTO.length);
    expect(stored.attachments[0].size).toBe(saved.length);

    const status = await fake.exchange(CHAT, () => fake.sendText(CHAT, `/status ${trackingId}`));
    expect(status).toContain(trackingId);
    expect(status).toContain(COMPLAINT);

    // Every keyboard is gone once used or superseded; three presses, three answers.
    expect(fake.callsTo('answerCallbackQuery')).toHaveLength(3);
    expect(fake.messagesTo(CHAT).filter((m) => m.reply_markup)).toHaveLength(0);
  });

  it('processes an update delivered twice once (text and photo)', async () => {
    const h = await start();
    const { fake } = h;
    let complaint!: Update;
    await fake.exchange(CHAT, () => (complaint = fake.sendText(CHAT, COMPLAINT)));
    const afterFirst = fake.messagesTo(CHAT).length;

    // Telegram redelivers the very same update (same update_id, same message_id); a fresh message follows so
    // we know the redelivery has been through the bot (updates are handled in order).
    fake.redeliver(complaint);
    const next = await fake.exchange(CHAT, () => fake.sendText(CHAT, 'Jl. Sumbersari No. 10, Lowokwaru'));
    expect(next.toLowerCase()).toContain('foto');
    // The location question was asked once, for the first delivery only.
    expect(fake.messagesTo(CHAT).filter((m) => m.text === t('id', 'askLocation'))).toHaveLength(1);
    const conversation = await h.app.db.conversation.findUniqueOrThrow({ where: { key: `tg:${CHAT}` } });
    expect(conversation.version).toBe(2);
    expect(await h.app.db.processedMessage.count({ where: { conversationKey: `tg:${CHAT}` } })).toBe(2);
    expect(fake.messagesTo(CHAT).length).toBeGreaterThan(afterFirst);

    let photo!: Update;
    await fake.exchange(CHAT, () => (photo = fake.sendPhoto(CHAT, PHOTO)));
    fake.redeliver(photo);
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '/help'));
    // The redelivered photo was neither downloaded nor counted again.
    expect(fake.callsTo('download')).toHaveLength(1);
    const state = (await h.app.db.conversation.findUniqueOrThrow({ where: { key: `tg:${CHAT}` } })).state as { draft: { photos: unknown[] } };
    expect(state.draft.photos).toHaveLength(1);
  });
});
