import { describe, expect, it, vi } from 'vitest';
import { memoryLog } from './helpers/memory-log.ts';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { createLogger } from '../lib/logger.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { FAKE_TOKEN } from './helpers/fake-telegram.ts';
import { imageContent, locationContent, startFakeWhatsApp, textContent, waMessage } from './helpers/fake-whatsapp.ts';
import { jpegOfSize } from './helpers/images.ts';

/**
 * Issue 8, logs: the engine-level test (logs-privacy.test.ts) feeds the engine directly. This one runs the real
 * channel adapters (grammY against a fake Bot API server, the WhatsApp channel on a fake Baileys socket) through a
 * whole case life, with a blocked chat and a dropped WhatsApp connection on the way, and checks the info-level log
 * for every personal detail that passed through.
 */


// ---- Telegram people ------------------------------------------------------------------------------
const TG_CITIZEN = 5512398761;
const TG_CITIZEN_USER = { first_name: 'Siti', last_name: 'Rahmawati', username: 'siti_rahma_mlg' };
const ADMIN_CHAT = 7043219876;
const ADMIN_USER = { first_name: 'Bambang', last_name: 'Sutrisno', username: 'bambang_pemkot' };
const ADMIN_NAME = 'Bambang Sutrisno';

// ---- WhatsApp person --------------------------------------------------------------------------------
const WA_PHONE = '6285790123456';
const WA_LOCAL_PHONE = '085790123456';
const WA_PN = `${WA_PHONE}@s.whatsapp.net`;
const WA_LID_USER = '219876543210987';
const WA_LID = `${WA_LID_USER}@lid`;
const WA_PUSH_NAME = 'Dewi Kusumawardani';
const WA_KEY = `wa:main:${WA_PN}`;

// ---- What they write ------------------------------------------------------------------------------
const NIK = '3573012345670001';
const TG_PHONE = '081398765432';
const TG_COMPLAINT = `Trotoar ambles dan retak parah di depan Toko Roti Sumberejeki, NIK saya ${NIK}, hp ${TG_PHONE}`;
const TG_LATITUDE = -7.96618;
const TG_LONGITUDE = 112.63261;
const WA_COMPLAINT = `Selokan mampet dan banjir setiap hujan di gang Kenitu, hubungi saya di ${WA_LOCAL_PHONE}`;
const WA_PLACE = 'Perumahan Griya Santika';
const WA_ADDRESS = 'Jl. Cempakasari Blok Q7';
const WA_CAPTION = 'Genangannya sampai selutut';
const ANSWER_TG = 'Tim UPT Jalan sudah menambal trotoarnya dengan paving baru';
const ANSWER_WA = 'Selokan sudah dikeruk petugas kebersihan pagi tadi';

const PHOTO = jpegOfSize(4_000);

const start = useTelegramHarness();

const trackingIdIn = (text: string) => {
  const id = /LPR-[2-9A-Z]{6}/.exec(text)?.[0];
  expect(id, text).toBeDefined();
  return id!;
};

describe('logs at info level carry no personal data, through the real channel adapters', () => {
  it('a Telegram and a WhatsApp case, handled by an admin on Telegram, leave no personal detail in the log', async () => {
    const log = memoryLog();
    const h = await start({ app: { log: createLogger('info', log.stream) } });
    const { fake, app } = h;
    fake.users.set(TG_CITIZEN, TG_CITIZEN_USER);
    fake.users.set(ADMIN_CHAT, ADMIN_USER);
    await addAdmin(app.db, { role: 'instansi', name: ADMIN_NAME, conversationKey: `tg:${ADMIN_CHAT}` });
    // Both channels on one app, as bot/main.ts runs them: the admin on Telegram handles the WhatsApp case too.
    const wa = await startFakeWhatsApp(app);
    try {
      // ---- 1. Telegram citizen: keyboard presses, the complaint (with NIK and phone), a location and a photo.
      const tgSay = (push: () => ReturnType<typeof fake.sendText>) => fake.exchange(TG_CITIZEN, push);
      expect(await tgSay(() => fake.sendText(TG_CITIZEN, '/start'))).toContain('Kota Malang');
      await tgSay(() => fake.press(TG_CITIZEN, '1'));
      expect((await tgSay(() => fake.sendText(TG_CITIZEN, TG_COMPLAINT))).toLowerCase()).toContain('lokasi');
      await tgSay(() => fake.sendLocation(TG_CITIZEN, TG_LATITUDE, TG_LONGITUDE));
      expect(await tgSay(() => fake.sendPhoto(TG_CITIZEN, PHOTO))).toContain('kerahasiaan');
      await tgSay(() => fake.press(TG_CITIZEN, '1'));
      const tgCase = trackingIdIn(await tgSay(() => fake.press(TG_CITIZEN, 'ya')));
      const storedTg = await app.db.case.findUniqueOrThrow({ where: { trackingId: tgCase }, include: { attachments: true } });
      expect(storedTg.attachments.map((a) => a.kind).sort()).toEqual(['photo']);
      expect(storedTg.latitude).toBeCloseTo(TG_LATITUDE, 4);

      // ---- 2. WhatsApp citizen: LID with the phone number alongside, then LID alone (mapping store), then the
      // phone-number JID with a device suffix; a location with a place name, an image with a caption.
      wa.socket().lidToPn.set(WA_LID, `${WA_PHONE}:0@s.whatsapp.net`);
      const waSay = async (from: string, content: Parameters<typeof waMessage>[1], alt?: string) =>
        (await wa.send(waMessage(from, content, { alt, pushName: WA_PUSH_NAME }))).join('\n');
      expect(await waSay(WA_LID, textContent('halo'), WA_PN)).toMatch(/^1\. /m);
      await waSay(WA_LID, textContent('1'));
      expect(await waSay(WA_LID, textContent(WA_COMPLAINT))).toMatch(/lokasi|alamat/i);
      expect(await waSay(`${WA_PHONE}:7@s.whatsapp.net`, locationContent(-7.9412, 112.6203, WA_PLACE, WA_ADDRESS))).toMatch(/foto/i);
      expect(await waSay(WA_PN, imageContent(WA_CAPTION), WA_LID)).toMatch(/^1\. /m);
      await waSay(WA_LID, textContent('1'));
      const waCase = trackingIdIn(await waSay(WA_LID, textContent('ya')));
      const storedWa = await app.db.case.findUniqueOrThrow({ where: { trackingId: waCase }, include: { attachments: true } });
      expect(storedWa.conversationKey).toBe(WA_KEY);
      expect(storedWa.attachments.filter((a) => a.kind === 'photo')).toHaveLength(1);

      // The admin is told about both new cases over Telegram.
      expect(await app.outbox.drainOnce()).toBe(2);
      expect(fake.textTo(ADMIN_CHAT)).toContain(tgCase);
      expect(fake.textTo(ADMIN_CHAT)).toContain(waCase);

      // ---- 3. The admin on Telegram: /inbox, /kasus, /teruskan, /balas on the Telegram case.
      const adminSay = (text: string) => fake.exchange(ADMIN_CHAT, () => fake.sendText(ADMIN_CHAT, text));
      const inbox = await adminSay('/inbox');
      expect(inbox).toContain(tgCase);
      expect(inbox).toContain(waCase);
      // Privacy "biasa": the admin sees who reported it; that goes to the admin's chat, not to the log.
      expect(await adminSay(`/kasus ${tgCase}`)).toContain('Trotoar ambles');
      // The citizen's photo goes to the admin as a photo (multipart upload through the real adapter).
      // (The stored photo is the re-encoded one, without metadata.)
      expect(fake.messagesTo(ADMIN_CHAT).at(-1)).toMatchObject({ method: 'sendPhoto', photoBytes: storedTg.attachments[0].size });
      expect(await adminSay(`/teruskan ${tgCase} DPUPRPKP`)).toContain('diteruskan');
      const beforeForward = fake.messagesTo(TG_CITIZEN).length;
      expect(await app.outbox.drainOnce()).toBe(1);
      expect(fake.textTo(TG_CITIZEN, beforeForward)).toContain(tgCase);
      // The citizen blocks the bot; the answer notification gets a 403.
      fake.fail({ method: 'sendMessage', chatId: TG_CITIZEN, errorCode: 403, description: 'Forbidden: bot was blocked by the user', times: Infinity });
      expect(await adminSay(`/balas ${tgCase} ${ANSWER_TG}`)).toContain('dikirim ke pelapor');
      expect(await app.outbox.drainOnce()).toBe(0);
      const blocked = await app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: `tg:${TG_CITIZEN}` } });
      expect(blocked.unreachableAt).toBeInstanceOf(Date);

      // ---- 4. The WhatsApp case: forwarded while the WhatsApp link is down; delivered after the reconnect.
      expect(await adminSay(`/kasus ${waCase}`)).toContain('Selokan mampet');
      const first = wa.socket();
      first.close(DisconnectReason.connectionLost);
      await vi.waitFor(() => expect(wa.sockets.length, 'a new WhatsApp socket').toBe(2), { timeout: 3_000 });
      expect(await adminSay(`/teruskan ${waCase} DPUPRPKP`)).toContain('diteruskan');
      expect(await app.outbox.drainOnce()).toBe(0);
      expect(wa.socket().sent).toHaveLength(0);
      // Baileys keeps the LID mapping in its persisted key store, so the new socket knows it too.
      wa.socket().lidToPn.set(WA_LID, `${WA_PHONE}:0@s.whatsapp.net`);
      wa.socket().open();
      await wa.channel.idle();
      await app.outbox.drainOnce();
      expect(wa.socket().sent.map((s) => s.text).join('\n')).toContain(waCase);
      expect(await adminSay(`/balas ${waCase} ${ANSWER_WA}`)).toContain('dikirim ke pelapor');
      expect(await app.outbox.drainOnce()).toBe(1);
      const answer = wa.socket().sent.at(-1)!;
      expect(answer.jid).toBe(WA_PN);
      expect(answer.text).toContain(ANSWER_WA);

      // ---- 5. The WhatsApp citizen is satisfied and rates it.
      expect(await waSay(WA_LID, textContent('puas'))).toMatch(/1.*5/s);
      expect(await waSay(WA_PN, textContent('5'))).toContain('(5/5)');
      const closed = await app.db.case.findUniqueOrThrow({ where: { trackingId: waCase } });
      expect({ status: closed.status, rating: closed.rating }).toEqual({ status: 'closed', rating: 5 });
    } finally {
      await wa.channel.stop();
    }

    const output = log.text();
    if (process.env.SHOW_LOG) console.log(output);
    const entries = log.entries();
    const messages = entries.map((e) => e.msg);
    // The log is not empty and shows what happened, so the absence checks below cannot pass on silence.
    expect(messages).toContain('telegram long polling started');
    expect(messages.filter((m) => m === 'case filed')).toHaveLength(2);
    expect(entries.filter((e) => e.msg === 'case filed').map((e) => e.channel).sort()).toEqual(['tg', 'wa']);
    expect(entries.filter((e) => e.msg === 'admin command').map((e) => e.command)).toEqual(['inbox', 'kasus', 'teruskan', 'balas', 'kasus', 'teruskan', 'balas']);
    expect(messages).toContain('notification undeliverable; marking the chat unreachable');
    expect(messages).toContain('whatsapp connection closed; reconnecting');
    expect(messages.filter((m) => m === 'whatsapp connected')).toHaveLength(2);
    // Nothing logged below info made it in (the level really is info).
    expect(entries.every((e) => e.level >= 30)).toBe(true);

    const secrets = [
      // Telegram: chat ids (and so the tg:<chat id> keys), names and usernames, the bot token.
      String(TG_CITIZEN),
      String(ADMIN_CHAT),
      ...Object.values(TG_CITIZEN_USER),
      ...Object.values(ADMIN_USER),
      ADMIN_NAME,
      FAKE_TOKEN,
      // WhatsApp: phone number (and so the PN JID and the wa:main:<jid> key), LID, push name.
      WA_PHONE,
      WA_LOCAL_PHONE,
      WA_PN,
      WA_LID_USER,
      WA_KEY,
      'Kusumawardani',
      // What they wrote: NIK, phone, distinctive words of each message, the places, the admin's answers.
      NIK,
      TG_PHONE,
      'ambles',
      'Sumberejeki',
      String(TG_LATITUDE),
      String(TG_LONGITUDE),
      'mampet',
      'Kenitu',
      'Santika',
      'Cempakasari',
      'selutut',
      'paving',
      'dikeruk',
    ];
    for (const secret of secrets) expect(output, `log contains ${secret}`).not.toContain(secret);
  });
});
