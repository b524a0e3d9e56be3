import { afterEach, describe, expect, it } from 'vitest';
import { loadCityProfile } from '../../lib/city-profile.ts';
import { LlmMessageReader } from '../../nlp/read-message.ts';
import type { StructuredMethod } from '../../nlp/llm-classifier.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI, type FakeReply } from './nlp-fake-openai.ts';
import { createTestApp, testConfig, type TestApp } from '../helpers/test-app.ts';
import { createMessageReader } from '../../nlp/create-classifier.ts';

/** The LLM reader of first messages against the fake OpenAI-compatible server; every failure falls back. */
const profile = loadCityProfile('malang');
const MESSAGE = 'Assalamualaikum min, dalan e bolong-bolong dekat terminal hamid rusdi, wis seminggu. HP saya 081234567890';
const READING = {
  isReport: true,
  description: 'dalan e bolong-bolong, wis seminggu',
  place: 'dekat terminal hamid rusdi',
  reportKind: 'pengaduan',
  language: 'id',
};

let server: FakeOpenAI | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  await server?.close();
  app = undefined;
  server = undefined;
});

async function reader(reply: (req: ChatRequest, n: number) => FakeReply, method: StructuredMethod = 'jsonSchema', timeoutMs = 5_000) {
  server = await startFakeOpenAI(reply);
  return new LlmMessageReader({ profile, baseURL: server.baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs, method });
}

const userMessage = (req: ChatRequest) => req.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

describe.each(['jsonSchema', 'functionCalling', 'jsonMode'] as const)('LLM message reader, method %s', (method) => {
  it('reads description, place, kind and language; the phone number never leaves', async () => {
    const r = await reader(() => ({ answer: READING }), method);
    expect(await r.read(MESSAGE)).toEqual(READING);
    const sent = userMessage(server!.requests[0]);
    expect(sent).toContain('<pesan>');
    expect(sent).toContain('dalan e bolong-bolong');
    expect(sent).not.toContain('081234567890');
    expect(server!.requests[0].messages[0].content).toContain('Kota Malang');
  });
});

describe('LLM message reader: every failure is null, so the offline path answers', () => {
  it.each<[string, FakeReply]>([
    ['a server error', { status: 500, body: '{"error":{"message":"boom"}}' }],
    ['output that is not JSON', { answer: 'maaf saya tidak bisa' }],
    ['output of the wrong shape', { answer: { isReport: 'mungkin', description: 5 } }],
    ['a description the citizen never wrote', { answer: { ...READING, description: 'warga melaporkan kerusakan infrastruktur jalan raya yang parah' } }],
  ])('%s', async (_name, reply) => {
    const r = await reader(() => reply, 'jsonMode');
    expect(await r.read(MESSAGE)).toBeNull();
  });

  it('a timeout', async () => {
    const r = await reader(() => ({ hang: true }), 'jsonSchema', 200);
    expect(await r.read(MESSAGE)).toBeNull();
  });

  it('a place the citizen never wrote is dropped, the rest is kept', async () => {
    const r = await reader(() => ({ answer: { ...READING, place: 'Balai Kota Malang' } }));
    expect(await r.read(MESSAGE)).toEqual({ ...READING, place: undefined });
  });
});

describe('the flow with an LLM reading first messages', () => {
  async function appWith(reply: (req: ChatRequest, n: number) => FakeReply) {
    const r = await reader(reply);
    app = await createTestApp({ messageReader: r });
    return app;
  }

  it('uses the reading: the description without the salam, and the place without asking', async () => {
    const a = await appWith(() => ({ answer: READING }));
    const reply = await a.sayText('term:llm-1', MESSAGE);
    expect(reply).toMatch(/Baik, soal jalan rusak ya\.[\s\S]*Lokasi saya catat: dekat terminal hamid rusdi[\s\S]*foto pendukung/);
    const row = await a.db.conversation.findUniqueOrThrow({ where: { key: 'term:llm-1' } });
    const state = (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as { step: string; draft: Record<string, unknown> };
    expect(state.step).toBe('photo');
    expect(state.draft).toMatchObject({ description: 'dalan e bolong-bolong, wis seminggu', locationText: 'dekat terminal hamid rusdi', kelurahan: 'Wonokoyo' });
  });

  it('an English reading switches the conversation to English', async () => {
    const a = await appWith(() => ({ answer: { isReport: true, description: 'the street light has been off for a week', place: '', reportKind: 'pengaduan', language: 'en' } }));
    const reply = await a.sayText('term:llm-2', 'Hi, the street light in my alley has been off for a week');
    expect(reply).toMatch(/Where is it\?/);
  });

  it('when the LLM fails, the offline understanding answers the same message', async () => {
    const a = await appWith(() => ({ status: 500, body: '{"error":{"message":"boom"}}' }));
    const reply = await a.sayText('term:llm-3', MESSAGE);
    expect(reply).toMatch(/Baik, soal jalan rusak ya\.[\s\S]*Lokasi saya catat: dekat terminal hamid rusdi/);
    expect(server!.requests).toHaveLength(1);
  });

  it('a greeting or a bare opening is not sent to the LLM at all', async () => {
    const a = await appWith(() => ({ answer: READING }));
    expect(await a.sayText('term:llm-4', 'assalamualaikum min')).toMatch(/Waalaikumsalam/);
    expect(await a.sayText('term:llm-4', 'saya mau melaporkan sesuatu')).toMatch(/Ceritakan masalahnya/);
    expect(server!.requests).toHaveLength(0);
  });
});

describe('who may read a first message (it comes before the citizen chooses rahasia)', () => {
  const profile = loadCityProfile('malang');
  it.each([
    [{ LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, false],
    [{ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_SELF_HOSTED: '1' }, true],
    [{ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_SELF_HOSTED: '1', LLM_READS_MESSAGES: '0' }, false],
    [{}, false],
  ])('%o → reader %s', async (env, expected) => {
    const reader = await createMessageReader({ config: testConfig(env), profile });
    expect(reader !== undefined).toBe(expected);
  });
});
