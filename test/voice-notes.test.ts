import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { useFakeWhatsApp, waMessage } from './helpers/fake-whatsapp.ts';
import { startFakeSttServer, type FakeSttServer, type SttReply } from './helpers/fake-stt-server.ts';
import { encodeOggOpus } from './helpers/ogg-opus.ts';
import { voiceText } from '../domain/voice-note-texts.ts';
import type { CitizenState } from '../flows/types.ts';
import { t } from '../flows/citizen/texts.ts';

const CHAT = 5550101;
const SPOKEN = 'Lampu penerangan jalan di Jalan Ijen depan nomor 12 mati sudah seminggu, gelap sekali kalau malam';
/** A real Ogg/Opus voice note, as Telegram and WhatsApp send them. */
const VOICE = Buffer.from(encodeOggOpus(2.5));

const start = useTelegramHarness();
const setupWhatsApp = useFakeWhatsApp();
let stt: FakeSttServer | undefined;
afterEach(async () => {
  await stt?.close();
  stt = undefined;
});

async function sttAnswering(reply: (n: number) => SttReply): Promise<FakeSttServer> {
  stt = await startFakeSttServer((_upload, n) => reply(n));
  return stt;
}

/** Every audio file the adapters stored under DATA_DIR. */
function storedAudio(dataDir: string): string[] {
  const root = path.join(dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ogg|mp3|m4a|wav|webm|amr)$/.test(f));
}

async function stateOf(app: { db: { conversation: { findUniqueOrThrow(args: object): Promise<{ state: unknown }> } } }, key: string): Promise<CitizenState> {
  return (await app.db.conversation.findUniqueOrThrow({ where: { key } })).state as CitizenState;
}

describe('voice notes on Telegram (fake Bot API, fake STT server)', () => {
  it('transcribes a voice note, asks to confirm, uses it as the pending answer and keeps the audio with the case', async () => {
    const server = await sttAnswering(() => ({ text: SPOKEN }));
    const h = await start({ app: { env: { STT_BASE_URL: server.baseURL } } });
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '/start'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));

    const heard = await fake.exchange(CHAT, () => fake.sendVoice(CHAT, VOICE, { duration: 3 }));
    expect(heard).toContain(`"${SPOKEN}"`);
    expect(fake.keyboards(CHAT).at(-1)).toEqual(['voice:use', 'voice:cancel']);
    // Downloaded through getFile, uploaded to the STT server as it came: real Ogg/Opus, Indonesian.
    expect(fake.callsTo('getFile')).toHaveLength(1);
    expect(server.uploads).toHaveLength(1);
    expect(server.uploads[0]).toMatchObject({ language: 'id', file: { type: 'audio/ogg' } });
    expect(Buffer.from(server.uploads[0].file!.bytes).equals(VOICE)).toBe(true);
    expect((await stateOf(h.app, `tg:${CHAT}`)).step).toBe('description');

    const next = await fake.exchange(CHAT, () => fake.press(CHAT, 'voice:use'));
    expect(next.toLowerCase()).toContain('lokasi');
    const state = await stateOf(h.app, `tg:${CHAT}`);
    expect(state.draft?.description).toBe(SPOKEN);
    expect(state.voice).toBeUndefined();
    expect(state.draft?.audios).toHaveLength(1);
    const audioPath = state.draft!.audios![0].path;
    expect(fs.readFileSync(path.join(h.app.dir, audioPath)).equals(VOICE)).toBe(true);

    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'Jl. Ijen No. 12'));
    await fake.exchange(CHAT, () => fake.sendText(CHAT, 'lewati'));
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '1'));
    const filed = await fake.exchange(CHAT, () => fake.sendText(CHAT, 'ya'));
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();
    const c = await h.app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { attachments: true } });
    expect(c.description).toBe(SPOKEN);
    expect(c.attachments.map((a) => ({ kind: a.kind, path: a.path }))).toEqual([{ kind: 'audio', path: audioPath }]);
  });

  it('takes a typed correction instead of the transcript', async () => {
    const server = await sttAnswering(() => ({ text: 'lampu jalan di jalan ijin mati' }));
    const h = await start({ app: { env: { STT_BASE_URL: server.baseURL } } });
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '/start'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    await fake.exchange(CHAT, () => fake.sendVoice(CHAT, VOICE));
    await fake.exchange(CHAT, () => fake.sendText(CHAT, SPOKEN));
    expect((await stateOf(h.app, `tg:${CHAT}`)).draft?.description).toBe(SPOKEN);
  });

  it('without STT: answers politely, keeps nothing, and the report goes on where it was', async () => {
    const h = await start();
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '/start'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    const before = await stateOf(h.app, `tg:${CHAT}`);
    const reply = await fake.exchange(CHAT, () => fake.sendVoice(CHAT, VOICE));
    expect(reply).toContain(voiceText('id', 'notConfigured'));
    // The pending question is asked again.
    expect(reply).toContain(t('id', 'askDescription'));
    expect(storedAudio(h.app.dir)).toEqual([]);
    const after = await stateOf(h.app, `tg:${CHAT}`);
    expect(after.step).toBe(before.step);
    expect(after.voice).toBeUndefined();
    expect((await fake.exchange(CHAT, () => fake.sendText(CHAT, SPOKEN))).toLowerCase()).toContain('lokasi');
  });

  it.each([
    ['a 500 (after the one retry)', () => ({ status: 500, body: '{"error":{"message":"boom"}}' }) as SttReply, {}, 'failed'],
    ['an empty transcript', () => ({ text: '   ' }) as SttReply, {}, 'empty'],
    ['a timeout', () => ({ hang: true }) as SttReply, { STT_TIMEOUT_MS: '300' }, 'failed'],
  ] as const)('answers %s politely, deletes the audio and loses nothing', async (_name, reply, env, textKey) => {
    const server = await sttAnswering(reply);
    const h = await start({ app: { env: { STT_BASE_URL: server.baseURL, ...env } } });
    const { fake } = h;
    await fake.exchange(CHAT, () => fake.sendText(CHAT, '/start'));
    await fake.exchange(CHAT, () => fake.press(CHAT, '1'));
    const answer = await fake.exchange(CHAT, () => fake.sendVoice(CHAT, VOICE), 15_000);
    expect(answer).toContain(voiceText('id', textKey, { seconds: 180 }));
    expect(answer).toContain(t('id', 'askDescription'));
    expect(storedAudio(h.app.dir)).toEqual([]);
    const state = await stateOf(h.app, `tg:${CHAT}`);
    expect(state.step).toBe('description');
    expect(state.voice).toBeUndefined();
    expect((await fake.exchange(CHAT, () => fake.sendText(CHAT, SPOKEN))).toLowerCase()).toContain('lokasi');
  });

  it('refuses a voice note over STT_MAX_AUDIO_BYTES without downloading it', async () => {
    const server = await sttAnswering(() => ({ text: SPOKEN }));
    const h = await start({ app: { env: { STT_BASE_URL: server.baseURL, STT_MAX_AUDIO_BYTES: '1000' } } });
    const { fake } = h;
    const reply = await fake.exchange(CHAT, () => fake.sendVoice(CHAT, VOICE));
    expect(reply).toBe(voiceText('id', 'tooLarge'));
    expect(fake.callsTo('download')).toHaveLength(0);
    expect(server.uploads).toHaveLength(0);
  });
});

describe('voice notes on WhatsApp (fake socket, fake STT server)', () => {
  const CITIZEN = '6281234567001@s.whatsapp.net';
  const ptt = (seconds = 3) => ({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds, fileLength: VOICE.length } });

  it('transcribes a ptt voice note and uses it after "ya"', async () => {
    const server = await sttAnswering(() => ({ text: SPOKEN }));
    const { app, wa } = await setupWhatsApp({ media: VOICE }, { env: { STT_BASE_URL: server.baseURL } });
    await wa.send(waMessage(CITIZEN, { conversation: 'halo' }));
    await wa.send(waMessage(CITIZEN, { conversation: '1' }));
    const heard = (await wa.send(waMessage(CITIZEN, ptt()))).join('\n');
    expect(heard).toContain(`"${SPOKEN}"`);
    expect(server.uploads[0].file?.type).toBe('audio/ogg');
    expect(Buffer.from(server.uploads[0].file!.bytes).equals(VOICE)).toBe(true);
    const next = (await wa.send(waMessage(CITIZEN, { conversation: 'ya' }))).join('\n');
    expect(next.toLowerCase()).toContain('lokasi');
    const key = (await app.db.conversation.findMany()).find((c) => c.key.startsWith('wa:'))!.key;
    const state = await stateOf(app, key);
    expect(state.draft?.description).toBe(SPOKEN);
    expect(state.draft?.audios).toHaveLength(1);
  });

  it('without STT: a polite answer, nothing kept', async () => {
    const { app, wa } = await setupWhatsApp({ media: VOICE });
    const reply = (await wa.send(waMessage(CITIZEN, ptt()))).join('\n');
    expect(reply).toBe(voiceText('id', 'notConfigured'));
    expect(storedAudio(app.dir)).toEqual([]);
  });
});
