import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageContent, locationContent, useFakeWhatsApp, textContent, waMessage } from './helpers/fake-whatsapp.ts';
import { classifyContent } from '../bot/whatsapp/inbound.ts';
import { renderReplyText } from '../bot/whatsapp/render-reply.ts';

const CITIZEN = '6281234567890@s.whatsapp.net';
const COMPLAINT = 'Lampu penerangan jalan mati total di Jl. Soekarno Hatta depan Politeknik, gelap dan rawan kecelakaan';

const setup = useFakeWhatsApp();

describe('whatsapp adapter: a citizen files a report', () => {
  it('files a complete report with text, a numbered choice, an image and a location, then checks its status', async () => {
    const { app, wa } = await setup();
    const say = (content: Parameters<typeof waMessage>[1]) => wa.send(waMessage(CITIZEN, content));

    const greeting = (await say(textContent('halo'))).join('\n');
    // The menu arrives as a numbered list the citizen answers by number.
    expect(greeting).toMatch(/^1\. /m);
    expect(greeting).toMatch(/^2\. /m);

    const askDescription = (await say(textContent('1'))).join('\n');
    expect(askDescription.length).toBeGreaterThan(0);
    const askLocation = (await say(textContent(COMPLAINT))).join('\n');
    expect(askLocation).toMatch(/lokasi|alamat/i);

    const askPhoto = (await say(locationContent(-7.9467, 112.6155, 'Politeknik Negeri Malang', 'Jl. Soekarno Hatta No.9'))).join('\n');
    expect(askPhoto).toMatch(/foto/i);
    // Word choices show the word to type.
    expect(askPhoto).toContain('*lewati*');

    const askPrivacy = (await say(imageContent('Lampunya yang ini'))).join('\n');
    expect(askPrivacy).toMatch(/^1\. /m);

    const summary = (await say(textContent('2'))).join('\n');
    expect(summary).toContain('*ya*');

    const filed = (await say(textContent('ya'))).join('\n');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();

    const status = (await say(textContent(`cek ${trackingId}`))).join('\n');
    expect(status).toContain(trackingId!);
    expect(status).toContain('Lampu penerangan jalan mati');

    const stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: trackingId! }, include: { attachments: true } });
    expect(stored.conversationKey).toBe(`wa:main:${CITIZEN}`);
    expect(stored.channel).toBe('wa');
    expect(stored.privacy).toBe('anonim');
    expect(stored.latitude).toBeCloseTo(-7.9467, 4);
    expect(stored.longitude).toBeCloseTo(112.6155, 4);
    expect(stored.locationText).toContain('Politeknik Negeri Malang');
    const photos = stored.attachments.filter((a) => a.kind === 'photo');
    expect(photos).toHaveLength(1);
    expect(fs.statSync(path.resolve(app.dir, photos[0].path)).size).toBe(photos[0].size);
    // Every reply went back to the citizen's chat.
    expect(new Set(wa.socket().sent.map((s) => s.jid))).toEqual(new Set([CITIZEN]));
  });

  it('ignores group chats, status broadcasts, its own messages and non-notify upserts', async () => {
    const { app, wa } = await setup();
    const ignored = [
      waMessage('120363025246125486@g.us', textContent('halo grup')),
      waMessage('status@broadcast', textContent('status saya')),
      waMessage(CITIZEN, textContent('halo dari bot'), { fromMe: true }),
    ];
    for (const message of ignored) expect(await wa.send(message)).toEqual([]);
    wa.socket().receive(waMessage(CITIZEN, textContent('halo')), 'append');
    await wa.channel.idle();
    expect(wa.socket().sent).toEqual([]);
    expect(await app.db.conversation.count()).toBe(0);
  });

  it('answers a sticker, a voice note and a video politely and keeps the report going', async () => {
    const { wa } = await setup();
    await wa.send(waMessage(CITIZEN, textContent(COMPLAINT)));
    const cases: Array<[Parameters<typeof waMessage>[1], RegExp]> = [
      [{ stickerMessage: { mimetype: 'image/webp' } }, /stiker/],
      [{ audioMessage: { ptt: true, mimetype: 'audio/ogg' } }, /pesan suara/],
      [{ videoMessage: { mimetype: 'video/mp4' } }, /video/],
    ];
    for (const [content, expected] of cases) {
      const reply = (await wa.send(waMessage(CITIZEN, content))).join('\n');
      expect(reply).toMatch(expected);
      // The pending question (the photo: the complaint named its place) is asked again, so nothing so far is lost.
      expect(reply).toMatch(/foto pendukung/i);
    }
  });

  it('does not download a photo over MAX_ATTACHMENT_BYTES and says why', async () => {
    const { app, wa } = await setup();
    await wa.send(waMessage(CITIZEN, textContent(COMPLAINT)));
    await wa.send(waMessage(CITIZEN, textContent('Jl. Soekarno Hatta depan Politeknik')));
    const reply = (await wa.send(waMessage(CITIZEN, imageContent(undefined, app.config.MAX_ATTACHMENT_BYTES + 1)))).join('\n');
    expect(reply).toMatch(/terlalu besar/);
    expect(fs.existsSync(path.join(app.dir, 'attachments'))).toBe(false);
  });

  it('stops reading a photo stream at the cap even when the declared size is wrong', async () => {
    const { app, wa } = await setup({ media: Buffer.alloc(5000, 1) }, { env: { MAX_ATTACHMENT_BYTES: '3000' } });
    await wa.send(waMessage(CITIZEN, textContent(COMPLAINT)));
    await wa.send(waMessage(CITIZEN, textContent('Jl. Soekarno Hatta depan Politeknik')));
    // Declares 2 KB, streams 5 KB: the reader gives up after 3 KB and nothing is stored.
    const reply = (await wa.send(waMessage(CITIZEN, imageContent(undefined, 2048)))).join('\n');
    expect(reply).toMatch(/terlalu besar/);
    expect(fs.existsSync(path.join(app.dir, 'attachments'))).toBe(false);
  });

  it('drops a redelivered message id (WhatsApp message key id is the dedupe id)', async () => {
    const { wa } = await setup();
    const message = waMessage(CITIZEN, textContent(COMPLAINT), { id: 'SAME-ID' });
    expect((await wa.send(message)).length).toBeGreaterThan(0);
    expect(await wa.send(message)).toEqual([]);
  });
});

describe('whatsapp content classification', () => {
  it.each([
    ['plain text', { conversation: 'halo' }, { kind: 'text', text: 'halo' }],
    ['extended text', { extendedTextMessage: { text: 'halo' } }, { kind: 'text', text: 'halo' }],
    ['ephemeral text', { ephemeralMessage: { message: { conversation: 'halo' } } }, { kind: 'text', text: 'halo' }],
    ['image', { imageMessage: { mimetype: 'image/jpeg', caption: 'ini' } }, { kind: 'image', caption: 'ini', mime: 'image/jpeg' }],
    ['view-once image (not kept, #2)', { viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/png' } } } }, { kind: 'unsupported', what: 'view-once' }],
    ['view-once flag on the image (not kept, #2)', { imageMessage: { mimetype: 'image/jpeg', viewOnce: true, caption: 'x' } }, { kind: 'unsupported', what: 'view-once' }],
    ['photo sent as document', { documentMessage: { mimetype: 'image/jpeg' } }, { kind: 'image', mime: 'image/jpeg' }],
    ['pdf document', { documentMessage: { mimetype: 'application/pdf' } }, { kind: 'unsupported', what: 'document' }],
    ['live location', { liveLocationMessage: { degreesLatitude: 1, degreesLongitude: 2 } }, { kind: 'location', latitude: 1, longitude: 2 }],
    ['sticker', { stickerMessage: {} }, { kind: 'unsupported', what: 'sticker' }],
    ['voice note', { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 4 } }, { kind: 'audio', mime: 'audio/ogg', seconds: 4 }],
    ['audio file', { audioMessage: { ptt: false, mimetype: 'audio/mpeg' } }, { kind: 'audio', mime: 'audio/mpeg' }],
    ['video', { videoMessage: {} }, { kind: 'unsupported', what: 'video' }],
    ['contact', { contactMessage: { displayName: 'Budi' } }, { kind: 'unsupported', what: 'contact' }],
    ['poll', { pollCreationMessageV3: { name: 'q' } }, { kind: 'unsupported', what: 'poll' }],
    ['reaction', { reactionMessage: { text: '👍' } }, { kind: 'ignore' }],
    ['protocol message', { protocolMessage: { type: 0 } }, { kind: 'ignore' }],
  ] as const)('%s', (_name, content, expected) => {
    expect(classifyContent(content as never)).toMatchObject(expected);
  });

  it('renders numbered choices as "n. label" and word choices with the word to type', () => {
    const text = renderReplyText({
      text: 'Pilih:',
      choices: [
        { value: '1', label: 'Buat laporan' },
        { value: 'ya', label: 'Ya, kirim' },
      ],
    });
    expect(text).toBe('Pilih:\n\n1. Buat laporan\n*ya* – Ya, kirim');
  });
});
