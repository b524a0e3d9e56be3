import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { locationContent, textContent, useFakeWhatsApp, waMessage } from './helpers/fake-whatsapp.ts';

/**
 * The conversations of issue 13 on the real channel adapters: Telegram (real grammY, fake Bot API server) and
 * WhatsApp (fake Baileys socket). The engine-level scripts are in conversation-defects.test.ts.
 */
const GEO = path.resolve(import.meta.dirname, '..', '..', 'shared', 'reference', 'geo');
const BOUNDARY = path.join(GEO, 'malang-kelurahan.geojson');
const geoPresent = fs.existsSync(BOUNDARY);
if (!geoPresent) console.warn(`conversation-channels: ${GEO} is absent; the Telegram pin conversation is skipped`);

const startTelegram = useTelegramHarness();
const startWhatsApp = useFakeWhatsApp();

describe('Telegram: a citizen who writes the way people write', () => {
  it('salam, an opening, a Javanese complaint with its place, ratings by keyboard and words', async () => {
    const h = await startTelegram();
    const { fake } = h;
    const CHAT = 9130001;
    const say = (text: string) => fake.exchange(CHAT, () => fake.sendText(CHAT, text));
    expect(await say('assalamualaikum min')).toMatch(/^Waalaikumsalam, Kak/);
    expect(await say('mau lapor')).toMatch(/Ceritakan masalahnya/);
    const ack = await say('dalan e bolong-bolong dekat terminal hamid rusdi, wis seminggu');
    expect(ack).toMatch(/Baik, soal jalan rusak ya\.[\s\S]*Lokasi saya catat: dekat terminal hamid rusdi[\s\S]*foto pendukung/);
    await fake.exchange(CHAT, () => fake.press(CHAT, 'lewati'));
    const summary = await say('anonim aja min');
    expect(summary).toMatch(/Kerahasiaan: Anonim/);
    expect(summary).toMatch(/Instansi tujuan: Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman\n/);
    expect(summary).not.toMatch(/\(DPUPRPKP\)/);
    const filed = await say('iya');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();
    const stored = await h.app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect([stored.opdCode, stored.kelurahan, stored.privacy]).toEqual(['DPUPRPKP', 'Wonokoyo', 'anonim']);
    expect(await say('cek status')).toMatch(/Ketik nomor laporannya/);
    expect(await say('makasih min')).toMatch(/^Sama-sama, Kak/);
  });

  it.skipIf(!geoPresent)('a location shared at the menu starts a report at its kelurahan (BOUNDARY_FILE set)', async () => {
    const h = await startTelegram({ app: { env: { BOUNDARY_FILE: BOUNDARY } } });
    const { fake } = h;
    const CHAT = 9130002;
    const first = await fake.exchange(CHAT, () => fake.sendLocation(CHAT, -7.952122, 112.613936));
    expect(first).toMatch(/Lokasi tercatat: Kel\. Ketawanggede, Kec\. Lowokwaru[\s\S]*ceritakan masalahnya/);
    const next = await fake.exchange(CHAT, () => fake.sendText(CHAT, 'Sampah menumpuk di pinggir jalan sudah seminggu, baunya menyengat'));
    expect(next).toMatch(/Baik, soal sampah ya\.[\s\S]*foto pendukung/);
  });
});

describe('WhatsApp: the same conversations on the numbered-list channel', () => {
  it('English from the first message, a back step, a cancel that is confirmed, and the language kept', async () => {
    const { app, wa } = await startWhatsApp();
    const CITIZEN = '6281377700001@s.whatsapp.net';
    const say = async (text: string) => (await wa.send(waMessage(CITIZEN, textContent(text)))).join('\n');
    expect(await say('Hi, I want to report a problem')).toMatch(/Please describe the problem/);
    expect(await say('the street light in my alley has been off for a week')).toMatch(/OK, about traffic and street lights\.[\s\S]*Where is it\?/);
    expect(await say('back')).toMatch(/Description so far: the street light in my alley has been off for a week/);
    expect(await say('next')).toMatch(/Where is it\?/);
    expect(await say('cancel')).toMatch(/Cancel this report\?/);
    expect(await say('no')).toMatch(/go on with your report[\s\S]*Where is it\?/);
    const place = (await wa.send(waMessage(CITIZEN, locationContent(-7.9467, 112.6155, 'Politeknik Negeri Malang', 'Jl. Soekarno Hatta No.9')))).join('\n');
    expect(place).toMatch(/Location noted: Kel\. Jatimulyo, Kec\. Lowokwaru[\s\S]*photo/);
    expect(await say('skip')).toMatch(/^1\. /m);
    const summary = await say('2');
    expect(summary).toMatch(/Privacy: Anonymous/);
    expect(summary).toMatch(/Category: traffic and street lights/);
    const filed = await say('yes');
    expect(filed).toMatch(/Tracking number: LPR-/);
    expect(await say('hello')).toMatch(/^Hello! 👋/);
    const citizen = await app.db.citizen.findFirstOrThrow({ where: { identities: { some: { conversationKey: `wa:main:${CITIZEN}` } } } });
    expect(citizen.language).toBe('en');
  });

  it('a QR sentence keeps its place through "lewati", and "udah lama bgt" is not a location', async () => {
    const { app, wa } = await startWhatsApp();
    const CITIZEN = '6281377700002@s.whatsapp.net';
    const say = async (text: string) => (await wa.send(waMessage(CITIZEN, textContent(text)))).join('\n');
    expect(await say('Halo, saya mau melapor tentang Pasar Besar Malang (kode tempat: PASAR-BESAR)')).toMatch(/Ceritakan masalahnya/);
    expect(await say('Atap los sayur bocor, tiap hujan pedagang kebasahan')).toMatch(/Lokasi sudah terisi: Pasar Besar Malang/);
    expect(await say('udah lama bgt')).toMatch(/tambahkan ke ceritanya/);
    expect(await say('lewati')).toMatch(/foto pendukung/);
    await say('lewati');
    await say('1');
    const filed = await say('ya');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    const stored = await app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect(stored.placeCode).toBe('PASAR-BESAR');
    expect(stored.description).toBe('Atap los sayur bocor, tiap hujan pedagang kebasahan. udah lama bgt');
  });
});
