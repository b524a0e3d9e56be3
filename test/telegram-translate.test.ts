import { describe, expect, it } from 'vitest';
import { GrammyError, HttpError } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { translateUpdate, largestPhoto } from '../bot/telegram/translate-update.ts';
import { renderReply, splitText, TELEGRAM_LIMITS } from '../bot/telegram/render-reply.ts';
import { toDeliveryError } from '../bot/telegram/telegram-errors.ts';
import type { Reply } from '../flows/types.ts';

const CHAT = 42;
const AT = new Date('2026-01-05T03:00:00Z');

/** A private-chat message update with overrides. */
function messageUpdate(overrides: Partial<Message> = {}): Update {
  const message = {
    message_id: 7,
    date: 0,
    chat: { id: CHAT, type: 'private', first_name: 'Ani' },
    from: { id: CHAT, is_bot: false, first_name: 'Ani', last_name: 'Rahma' },
    ...overrides,
  } as Message;
  return { update_id: 1, message } as Update;
}

describe('translateUpdate: messages', () => {
  it('text becomes a message on tg:<chat> with a per-chat message id', () => {
    const result = translateUpdate(messageUpdate({ text: 'Jalan rusak' }), AT);
    expect(result).toEqual({
      kind: 'message',
      chatId: CHAT,
      message: { key: 'tg:42', channel: 'tg', messageId: 'msg:7', text: 'Jalan rusak', sender: { id: '42', name: 'Ani Rahma' }, receivedAt: AT },
    });
  });

  it.each([
    ['a deep link', { text: '/start place-PKM-ARJUNO' }, { text: '/start place-PKM-ARJUNO' }],
    ['a shared location', { location: { latitude: -7.98, longitude: 112.63 } }, { attachments: [{ kind: 'location', latitude: -7.98, longitude: 112.63 }] }],
    [
      'a venue, with its name as the label',
      { venue: { location: { latitude: -7.97, longitude: 112.62 }, title: 'Alun-alun Merdeka', address: 'Jl. Merdeka Selatan' } },
      { attachments: [{ kind: 'location', latitude: -7.97, longitude: 112.62, label: 'Alun-alun Merdeka, Jl. Merdeka Selatan' }] },
    ],
    ['a sticker', { sticker: { file_id: 's' } }, { unsupported: 'sticker' }],
    ['a round video', { video_note: { file_id: 'v' } }, { unsupported: 'video' }],
    ['a PDF', { document: { file_id: 'd', mime_type: 'application/pdf' } }, { unsupported: 'document' }],
    ['a contact', { contact: { phone_number: '0812', first_name: 'B' } }, { unsupported: 'contact' }],
  ])('%s', (_name, overrides, expected) => {
    const result = translateUpdate(messageUpdate(overrides as Partial<Message>), AT);
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    expect(result.message).toMatchObject(expected);
    expect(result.photo).toBeUndefined();
  });

  it.each([
    ['a voice note', { voice: { file_id: 'v', duration: 3, file_size: 900 } }, { fileId: 'v', mime: 'audio/ogg', durationSeconds: 3, fileSize: 900 }],
    ['an audio file', { audio: { file_id: 'a', duration: 61, mime_type: 'audio/mp4' } }, { fileId: 'a', mime: 'audio/mp4', durationSeconds: 61 }],
  ])('%s asks for its audio to be downloaded (transcribed later in flows/)', (_name, overrides, audio) => {
    const result = translateUpdate(messageUpdate(overrides as Partial<Message>), AT);
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    expect(result.audio).toEqual(audio);
    expect(result.message.unsupported).toBeUndefined();
    expect(result.photo).toBeUndefined();
  });

  it('a photo asks for its largest size to be downloaded, with the caption as text', () => {
    const result = translateUpdate(
      messageUpdate({
        caption: 'Sampah menumpuk',
        photo: [
          { file_id: 'small', file_unique_id: 'a', width: 90, height: 90, file_size: 1_000 },
          { file_id: 'big', file_unique_id: 'b', width: 1280, height: 960, file_size: 90_000 },
          { file_id: 'mid', file_unique_id: 'c', width: 320, height: 240, file_size: 10_000 },
        ],
      }),
    );
    expect(result).toMatchObject({ kind: 'message', photo: { fileId: 'big', fileSize: 90_000 }, message: { text: 'Sampah menumpuk' } });
  });

  it('a picture sent as a file counts as a photo', () => {
    const result = translateUpdate(messageUpdate({ document: { file_id: 'doc', file_unique_id: 'u', mime_type: 'image/png', file_size: 5 } }));
    expect(result).toMatchObject({ kind: 'message', photo: { fileId: 'doc', mime: 'image/png' } });
    if (result.kind === 'message') expect(result.message.unsupported).toBeUndefined();
  });

  it.each([
    ['the bot\'s own message about one case', 3, 'LPR-K7Q2MX'],
    ['a message whose text merely names a case (an /inbox list)', 4, undefined],
  ])('a reply to %s carries replyToCase %s (only the sent-message map counts, #4)', (_name, quotedId, expected) => {
    const sentAboutCase = new Map([[`${CHAT}:3`, 'LPR-K7Q2MX']]);
    const lookup = (chatId: number, messageId: number) => sentAboutCase.get(`${chatId}:${messageId}`);
    const quoted = { message_id: quotedId, text: 'Antrean: LPR-K7Q2MX Jalan berlubang' } as Message['reply_to_message'];
    const update = messageUpdate({ text: 'ok nanti saya cek dulu ya', reply_to_message: quoted });
    const result = translateUpdate(update, new Date(), (chatId, messageId) => lookup(chatId, messageId));
    expect(result.kind).toBe('message');
    if (result.kind === 'message') expect(result.message.replyToCase).toBe(expected);
    // Without a map, the tracking id in the quoted text is never taken.
    const blind = translateUpdate(update);
    if (blind.kind === 'message') expect(blind.message.replyToCase).toBeUndefined();
  });

  it('ignores edits (live locations too) and service messages', () => {
    expect(translateUpdate({ update_id: 2, edited_message: messageUpdate({ text: 'x' }).message } as Update).kind).toBe('ignored');
    expect(translateUpdate(messageUpdate({ new_chat_title: 'x' })).kind).toBe('ignored');
  });

  it('largestPhoto picks by pixels', () => {
    expect(largestPhoto([{ file_id: 'a', file_unique_id: 'a', width: 800, height: 600 }, { file_id: 'b', file_unique_id: 'b', width: 90, height: 90 }])?.file_id).toBe('a');
  });
});

describe('translateUpdate: presses and membership', () => {
  it('a button press becomes a choice keyed by the callback query id', () => {
    const update = {
      update_id: 3,
      callback_query: {
        id: 'q-99',
        from: { id: CHAT, is_bot: false, first_name: 'Ani' },
        chat_instance: 'ci',
        data: 'ya',
        message: {
          message_id: 55,
          date: 0,
          chat: { id: CHAT, type: 'private', first_name: 'Ani' },
          text: 'Ringkasan',
          reply_markup: { inline_keyboard: [[{ text: 'Ya, kirim', callback_data: 'ya' }, { text: 'Ubah', callback_data: 'ubah' }]] },
        },
      },
    } as Update;
    expect(translateUpdate(update, AT)).toEqual({
      kind: 'choice',
      chatId: CHAT,
      callbackQueryId: 'q-99',
      keyboardMessageId: 55,
      label: 'Ya, kirim',
      message: { key: 'tg:42', channel: 'tg', messageId: 'cb:q-99', choice: 'ya', sender: { id: '42', name: 'Ani' }, receivedAt: AT },
    });
  });

  it.each([
    ['kicked', true],
    ['member', false],
  ])('my_chat_member %s → blocked %s', (status, blocked) => {
    const update = {
      update_id: 4,
      my_chat_member: { chat: { id: CHAT, type: 'private' }, from: { id: CHAT }, date: 0, old_chat_member: {}, new_chat_member: { status } },
    } as unknown as Update;
    expect(translateUpdate(update)).toEqual({ kind: 'membership', chatId: CHAT, key: 'tg:42', blocked });
  });
});

describe('renderReply', () => {
  const reply = (overrides: Partial<Reply> = {}): Reply => ({ text: 'Pilih:', ...overrides });

  it('plain text is one sendMessage', () => {
    expect(renderReply(reply())).toEqual([{ method: 'sendMessage', text: 'Pilih:', keyboard: undefined }]);
  });

  it.each([
    ['short labels share rows of three', ['1', '2', '3', '4'].map((v) => ({ value: v, label: v })), [['1', '2', '3'], ['4']]],
    [
      'long labels get a row each',
      [
        { value: '1', label: 'Biasa (identitas terlihat)' },
        { value: '2', label: 'Anonim' },
      ],
      [['1'], ['2']],
    ],
  ])('%s', (_name, choices, rows) => {
    const [part] = renderReply(reply({ choices }));
    expect(part.method).toBe('sendMessage');
    expect(part.keyboard?.map((row) => row.map((b) => ('callback_data' in b ? b.callback_data : '')))).toEqual(rows);
  });

  it('a value too long for callback data is listed in the text instead of dropped', () => {
    const long = 'x'.repeat(TELEGRAM_LIMITS.callbackData + 1);
    const [part] = renderReply(reply({ choices: [{ value: 'ya', label: 'Ya' }, { value: long, label: 'Panjang' }] }));
    expect(part).toMatchObject({ method: 'sendMessage', text: `Pilih:\n• Panjang: ${long}` });
    expect(part.keyboard).toEqual([[{ text: 'Ya', callback_data: 'ya' }]]);
  });

  it('long text is split at line breaks, keyboard on the last part', () => {
    const line = 'a'.repeat(1000);
    const parts = renderReply(reply({ text: Array(6).fill(line).join('\n'), choices: [{ value: 'ya', label: 'Ya' }] }));
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.method === 'sendMessage' && p.text.length <= TELEGRAM_LIMITS.text)).toBe(true);
    expect(parts[0].keyboard).toBeUndefined();
    expect(parts[1].keyboard).toBeDefined();
  });

  it('splitText cuts a single over-long line hard', () => {
    expect(splitText('b'.repeat(10), 4)).toEqual(['bbbb', 'bbbb', 'bb']);
  });

  it('an image goes as a photo of its own after the text, never as its caption (#5: a refused photo must not hold back the text)', () => {
    expect(renderReply(reply({ image: { path: 'a.png' } }))).toEqual([
      { method: 'sendMessage', text: 'Pilih:', keyboard: undefined },
      { method: 'sendPhoto', imagePath: 'a.png' },
    ]);
    expect(renderReply(reply({ text: '', image: { path: 'a.png' } }))).toEqual([{ method: 'sendPhoto', imagePath: 'a.png' }]);
  });
});

describe('toDeliveryError', () => {
  const grammyError = (error_code: number, description: string, parameters = {}) =>
    new GrammyError('Call to sendMessage failed', { ok: false, error_code, description, parameters }, 'sendMessage', {});

  it.each([
    [grammyError(403, 'Forbidden: bot was blocked by the user'), 'BLOCKED', true, undefined],
    [grammyError(403, 'Forbidden: user is deactivated'), 'BLOCKED', true, undefined],
    [grammyError(400, 'Bad Request: chat not found'), 'CHAT_NOT_FOUND', true, undefined],
    [grammyError(429, 'Too Many Requests: retry after 90', { retry_after: 90 }), 'RATE_LIMITED', false, 90_000],
    [grammyError(400, 'Bad Request: message text is empty'), 'PLATFORM_ERROR', false, undefined],
    [grammyError(502, 'Bad Gateway'), 'PLATFORM_ERROR', false, undefined],
    [new HttpError('Network request for sendMessage failed', new Error('ECONNRESET')), 'NETWORK', false, undefined],
  ])('%s → %s', (err, code, permanent, retryAfterMs) => {
    const mapped = toDeliveryError(err);
    expect(mapped).toMatchObject({ code, permanent, retryAfterMs });
  });
});
