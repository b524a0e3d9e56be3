import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { FAKE_LLM_ANSWER, startFakeLlm, type FakeLlm } from '../scripts/fake-llm-server.ts';
import { INTAKE } from './fixtures/load-intake.ts';
import { t } from '../flows/citizen/texts.ts';

/**
 * Issue 16's measurement, as a test: ten citizens confirm their reports at once while the LLM is slow (it answers
 * only when the test releases it, standing in for a 1.5 s model), and a bystander says "halo" meanwhile. With one
 * update at a time the LLM saw one request at a time and the bystander waited for all ten; with the runner and
 * per-chat sequentializing, all ten calls are in flight together and the bystander is answered before any returns.
 */
const CITIZENS = 10;
const BYSTANDER = 91_000;
const citizen = (i: number) => 90_001 + i;
/** Up to the privacy question; INTAKE[3] (the privacy answer) is what starts classification. */
const BEFORE_CLASSIFY = INTAKE.slice(0, 3);
const PRIVACY_ANSWER = INTAKE[3];

let llm: FakeLlm | undefined;
afterEach(async () => {
  llm?.release();
  await llm?.close();
  llm = undefined;
});

describe('Telegram long polling under a crowd with a slow LLM', () => {
  const start = useTelegramHarness();

  it('sends every citizen\'s LLM call at once and answers a bystander while they are all pending', async () => {
    llm = await startFakeLlm({ hold: true });
    const h = await start({
      app: { env: { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'test-key', LLM_CONCURRENCY: String(CITIZENS), LLM_TIMEOUT_MS: '60000' } },
    });
    const { fake } = h;
    // Each citizen up to the privacy question (their chats in parallel, each in order).
    await Promise.all(
      Array.from({ length: CITIZENS }, async (_, i) => {
        for (const text of BEFORE_CLASSIFY) await fake.exchange(citizen(i), () => fake.sendText(citizen(i), text), 20_000);
      }),
    );
    expect(llm.stats.received).toBe(0);
    const before = Array.from({ length: CITIZENS }, (_, i) => fake.messagesTo(citizen(i)).length);

    // All ten answer the privacy question at once: ten classifications.
    for (let i = 0; i < CITIZENS; i++) fake.sendText(citizen(i), PRIVACY_ANSWER);
    await vi.waitFor(() => expect(llm!.stats.inFlight).toBe(CITIZENS), { timeout: 20_000, interval: 10 });

    // The bystander needs no LLM: answered while every call is still held.
    fake.sendText(BYSTANDER, 'halo');
    await fake.waitForMessages(BYSTANDER, 1, 20_000);
    expect(fake.textTo(BYSTANDER)).toMatch(/layanan pengaduan warga/);
    expect(llm.stats.answered).toBe(0);
    expect(llm.stats.inFlight).toBe(CITIZENS);
    for (let i = 0; i < CITIZENS; i++) expect(fake.messagesTo(citizen(i)).length, `citizen ${i} before the LLM answered`).toBe(before[i]);

    // The model answers; every citizen gets their summary, from the LLM (not the offline fallback).
    expect(llm.release()).toBe(CITIZENS);
    for (let i = 0; i < CITIZENS; i++) {
      await fake.waitFor(() => fake.textTo(citizen(i), before[i]).includes(t('id', 'summaryTitle')), `summary for citizen ${i}`, 20_000);
      // The model's agency (the offline classifier would pick DISHUB for a street light).
      expect(fake.textTo(citizen(i), before[i])).toContain(h.app.profile.opds.find((o) => o.code === FAKE_LLM_ANSWER.opdCode)!.name);
    }
    expect(llm.stats.received).toBe(CITIZENS);
    expect(llm.stats.maxInFlight).toBe(CITIZENS);
  });

  it('keeps one chat\'s updates in order while other chats run concurrently', async () => {
    llm = await startFakeLlm({ hold: true });
    const h = await start({ app: { env: { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'test-key', LLM_TIMEOUT_MS: '60000' } } });
    const { fake } = h;
    const chat = citizen(50);
    for (const text of BEFORE_CLASSIFY) await fake.exchange(chat, () => fake.sendText(chat, text), 20_000);
    const before = fake.messagesTo(chat).length;
    // The privacy answer waits on the LLM; the same chat's next message must wait for it, not overtake it.
    fake.sendText(chat, PRIVACY_ANSWER);
    const next = fake.sendText(chat, 'ya');
    await vi.waitFor(() => expect(llm!.stats.inFlight).toBe(1), { timeout: 20_000, interval: 10 });
    await fake.waitFor(() => fake.fetched(next), 'second update fetched', 20_000);
    // Another chat is served meanwhile.
    fake.sendText(BYSTANDER, 'halo');
    await fake.waitForMessages(BYSTANDER, 1, 20_000);
    expect(fake.messagesTo(chat).length).toBe(before);
    llm.release();
    await h.channel.whenHandled(next.update_id);
    const texts = fake.messagesTo(chat).slice(before).map((m) => m.text ?? '');
    // Summary first (the privacy answer), then the filing reply ("ya" confirmed it).
    const summaryAt = texts.findIndex((text) => text.includes(t('id', 'summaryTitle')));
    const filedAt = texts.findIndex((text) => /LPR-[2-9A-Z]{6}/.test(text));
    expect(summaryAt).toBeGreaterThanOrEqual(0);
    expect(filedAt).toBeGreaterThan(summaryAt);
  });
});
