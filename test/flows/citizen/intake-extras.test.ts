import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { fileFixtureCase, text } from '../../helpers/lifecycle.ts';
import type { CitizenState, InboundMessage } from '../../../flows/types.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

const say = (key: string, input: string | Partial<InboundMessage>) => app!.say(key, input).then(text);
const stateOf = async (key: string) => (await app!.db.conversation.findUniqueOrThrow({ where: { key } })).state as unknown as CitizenState;

describe('emergencies in the intake', () => {
  it.each([
    ['Kebakaran rumah di gang 3 sekarang, apinya besar, tolong cepat', 'Pemadam kebakaran (Damkar): 113'],
    ['Pohon besar tumbang menutup jalan di Jl. Ijen, motor tidak bisa lewat', '112'],
    ['Ada orang ngamuk bawa kayu di depan pasar, warga ketakutan', 'Polisi: 110'],
  ])('answers "%s" with the emergency numbers first, then carries on with the report', async (complaint, number) => {
    app = await createTestApp();
    const first = await say('tg:701', complaint);
    expect(first.startsWith('🚨')).toBe(true);
    expect(first).toContain(number);
    // Then the report goes on: the next question is in the same answer.
    expect(first.split('---').length).toBeGreaterThan(1);
    const state = await stateOf('tg:701');
    expect(state.draft?.description).toBeDefined();
    expect(state.draft?.emergencyNotified).toBe(true);
    // Only once.
    expect(await say('tg:701', 'Jl. Ijen No. 5')).not.toContain('🚨');
  });

  it.each(['Kebakaran lahan kemarin sudah padam, tolong dicek bekasnya', 'Pohon depan rumah perlu dipangkas, dahannya sudah panjang', 'Banjir tiap hujan di gang kami, saluran mampet'])(
    'does not treat "%s" as an emergency',
    async (complaint) => {
      app = await createTestApp();
      expect(await say('tg:702', complaint)).not.toContain('🚨');
    },
  );

  it('follows the LLM\'s flag: numbers with the summary when only the classifier saw the emergency, and the case filed urgent', async () => {
    const { KeywordClassifier } = await import('../../../nlp/keyword-classifier.ts');
    const { loadCityProfile } = await import('../../../lib/city-profile.ts');
    const keyword = new KeywordClassifier(loadCityProfile());
    const llmLike = {
      name: 'llm-fake',
      classify: async (input: Parameters<typeof keyword.classify>[0]) => ({
        ...(await keyword.classify(input)),
        classifier: 'llm-fake',
        emergency: true,
        emergencyKind: 'collapse' as const,
        emergencySource: 'llm' as const,
      }),
    };
    app = await createTestApp({ classifier: llmLike });
    const unclear = 'Dinding rumah tetangga kok miring sekali ke arah gang, retakannya melebar dari tadi pagi';
    const first = await say('tg:705', unclear);
    expect(first).not.toContain('🚨');
    await say('tg:705', 'Jl. Bandung gang 2');
    await say('tg:705', 'lewati');
    const summary = await say('tg:705', '1');
    expect(summary.startsWith('🚨')).toBe(true);
    expect(summary).toContain('Ringkasan laporan');
    const filed = await say('tg:705', 'ya');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(await app.db.case.findUniqueOrThrow({ where: { trackingId } })).toMatchObject({ urgent: true, emergencyKind: 'collapse' });
  });

  it('files the emergency urgent through the chat', async () => {
    app = await createTestApp();
    await say('tg:703', 'Kebakaran rumah di gang 3 sekarang, apinya besar, tolong cepat');
    await say('tg:703', 'Jl. Sumbersari gang 3');
    await say('tg:703', 'lewati');
    await say('tg:703', '1');
    const filed = await say('tg:703', 'ya');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId, filed).toBeDefined();
    expect(await app.db.case.findUniqueOrThrow({ where: { trackingId } })).toMatchObject({ urgent: true, emergencyKind: 'fire' });
  });
});

describe('the same problem at the summary', () => {
  const PIN = { kind: 'location' as const, latitude: -7.9553, longitude: 112.6145 };
  const POTHOLE = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor';

  async function toSummary(key: string) {
    await say(key, POTHOLE);
    const state = await stateOf(key);
    if (state.step === 'location') await say(key, { attachments: [PIN] });
    await say(key, 'lewati');
    return say(key, '1');
  }

  async function openCase(privacy: 'biasa' | 'rahasia' = 'biasa') {
    return fileFixtureCase(app!, {
      key: 'tg:800',
      name: 'Siti Rahayu',
      draft: { description: 'Lubang besar di jalan depan SDN Sumbersari 2, banyak motor jatuh', latitude: PIN.latitude + 0.0003, longitude: PIN.longitude, kelurahan: 'Sumbersari', privacy },
    });
  }

  it('offers an open case nearby by tracking id, category, status and age, never its reporter or text; supporting it files nothing', async () => {
    app = await createTestApp();
    const existing = await openCase();
    const summary = await toSummary('tg:801');
    expect(summary).toContain(existing);
    expect(summary).toContain('Diterima, menunggu verifikasi');
    expect(summary).toContain('masuk hari ini');
    expect(summary).not.toContain('Siti');
    expect(summary).not.toContain('banyak motor jatuh');
    expect((await stateOf('tg:801')).draft?.similarOffer).toEqual([existing]);

    const casesBefore = await app.db.case.count();
    const supported = await say('tg:801', { choice: `dukung:${existing}` });
    expect(supported).toContain(`Dukungan Kakak untuk laporan ${existing} sudah tercatat`);
    expect(await app.db.case.count()).toBe(casesBefore);
    expect((await stateOf('tg:801')).step).toBe('idle');
    const c = await app.db.case.findUniqueOrThrow({ where: { trackingId: existing }, include: { supporters: true } });
    expect(c.supporters.map((s) => s.conversationKey)).toEqual(['tg:801']);
  });

  it('files the citizen\'s own report when they choose to, and a rahasia case is offered without its content', async () => {
    app = await createTestApp();
    const secret = await openCase('rahasia');
    const summary = await toSummary('tg:802');
    expect(summary).toContain(secret);
    expect(summary).not.toContain('banyak motor jatuh');
    const filed = await say('tg:802', 'ya');
    const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
    expect(trackingId).toBeDefined();
    expect(trackingId).not.toBe(secret);
  });

  it('offers nothing when no open case is alike, and never the citizen\'s own case', async () => {
    app = await createTestApp();
    await fileFixtureCase(app, { key: 'tg:803', draft: { description: POTHOLE, latitude: PIN.latitude, longitude: PIN.longitude } });
    const summary = await toSummary('tg:803');
    expect(summary).not.toMatch(/LPR-[2-9A-Z]{6}/);
    expect((await stateOf('tg:803')).draft?.similarOffer).toBeUndefined();
  });
});

describe('a voice note that starts a report', () => {
  it('keeps its audio with the new draft and the case', async () => {
    app = await createTestApp({ transcriber: { transcribe: async () => ({ text: 'Lampu jalan di depan Balai Kota mati sudah seminggu, gelap sekali', language: 'id', model: 'fake', latencyMs: 1 }) } });
    const relative = path.join('attachments', 'voice-test.ogg');
    fs.mkdirSync(path.join(app.dir, 'attachments'), { recursive: true });
    fs.writeFileSync(path.join(app.dir, relative), Buffer.from('OggS fake'));
    const heard = await say('tg:804', { attachments: [{ kind: 'audio', path: relative, mime: 'audio/ogg', durationSeconds: 3 }] });
    expect(heard).toContain('Lampu jalan di depan Balai Kota');
    await say('tg:804', 'ya');
    const state = await stateOf('tg:804');
    expect(state.draft?.description).toContain('Lampu jalan di depan Balai Kota');
    expect(state.draft?.audios?.map((a) => a.path)).toEqual([relative]);
  });
});
