import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCityProfile } from '../lib/city-profile.ts';
import { LlmClassifier } from '../nlp/llm-classifier.ts';
import { OfflineClassifier } from '../nlp/offline-classifier.ts';
import { FallbackClassifier } from '../nlp/fallback-classifier.ts';
import { ConcurrencyLimitedClassifier } from '../nlp/limited-classifier.ts';
import { createClassifier } from '../nlp/create-classifier.ts';
import { configSchema } from '../lib/config.ts';

const profile = loadCityProfile('malang');
const GOOD = { reportKind: 'pengaduan', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', confidence: 0.9, reason: 'Jalan berlubang.', emergency: false, emergencyKind: 'none' };
const POTHOLE = 'jln di depan sdn 3 bolong2 besar, kmrn motor jatuh';

/**
 * An OpenAI-compatible server that answers only when the test says so (a slow model, with the test holding the
 * clock), and counts the requests in flight at once.
 */
async function startSlowOpenAI() {
  const waiting: Array<() => void> = [];
  const stats = { received: 0, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { model: string };
      stats.received++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      waiting.push(() => {
        stats.inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${stats.received}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: parsed.model,
            choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(GOOD) }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    stats,
    /** Answers every request waiting right now. */
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: Awaited<ReturnType<typeof startSlowOpenAI>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function llmOn(baseURL: string) {
  return new LlmClassifier({ profile, baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs: 10_000, method: 'jsonSchema', retryMinDelayMs: 5 });
}

describe('LLM concurrency limit (LLM_CONCURRENCY)', () => {
  it('never has more calls in flight than the limit; the rest wait their turn, first come first served, and all get the LLM\'s answer', async () => {
    server = await startSlowOpenAI();
    const limited = new ConcurrencyLimitedClassifier(llmOn(server.baseURL), { concurrency: 3, maxWaitMs: 10_000 });
    const classifier = new FallbackClassifier(limited, new OfflineClassifier(profile));
    const finished: number[] = [];
    const calls = Array.from({ length: 10 }, (_, i) => classifier.classify({ text: `${POTHOLE} ${i}` }).then((c) => (finished.push(i), c)));

    await vi.waitFor(() => expect(server!.stats.inFlight).toBe(3));
    expect(limited.load).toEqual({ running: 3, waiting: 7 });
    // A slow model: as each batch is answered, the next waiting calls start, never more than 3 at once.
    while (finished.length < 10) {
      const before = finished.length;
      await vi.waitFor(() => expect(server!.stats.inFlight).toBe(Math.min(3, 10 - before)));
      server.answerAll();
      await vi.waitFor(() => expect(finished.length).toBe(Math.min(before + 3, 10)));
    }
    const results = await Promise.all(calls);
    expect(server.stats).toMatchObject({ received: 10, maxInFlight: 3 });
    expect(results.every((c) => c.classifier === 'llm' && c.fallback === undefined)).toBe(true);
    // Started in arrival order: the first three finished first.
    expect(finished.slice(0, 3).sort()).toEqual([0, 1, 2]);
  });

  it('answers offline, with reason "overloaded", a call that finds no free slot within the timeout', async () => {
    server = await startSlowOpenAI();
    const limited = new ConcurrencyLimitedClassifier(llmOn(server.baseURL), { concurrency: 1, maxWaitMs: 100 });
    const classifier = new FallbackClassifier(limited, new OfflineClassifier(profile));
    const first = classifier.classify({ text: POTHOLE });
    await vi.waitFor(() => expect(server!.stats.inFlight).toBe(1));
    const second = await classifier.classify({ text: 'lampu jalan mati di jl ijen' });
    expect(second.fallback).toBe('overloaded');
    expect(second.classifier).not.toBe('llm');
    // It never reached the model, and left the queue: the slot's next user is whoever comes next.
    expect(server.stats.received).toBe(1);
    expect(limited.load).toEqual({ running: 1, waiting: 0 });
    server.answerAll();
    expect((await first).classifier).toBe('llm');
  });

  it('is how createClassifier wires the LLM, with LLM_CONCURRENCY as the limit and LLM_TIMEOUT_MS as the longest wait', async () => {
    const config = configSchema.parse({ LOG_LEVEL: 'silent', LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_CONCURRENCY: '5', DATA_DIR: '/nonexistent' });
    expect(configSchema.parse({}).LLM_CONCURRENCY).toBe(8);
    expect(() => configSchema.parse({ LLM_CONCURRENCY: '0' })).toThrow();
    const classifier = await createClassifier({ config, profile });
    expect(classifier).toBeInstanceOf(FallbackClassifier);
    const primary = (classifier as FallbackClassifier).primary;
    expect(primary).toBeInstanceOf(ConcurrencyLimitedClassifier);
    expect((primary as ConcurrencyLimitedClassifier<LlmClassifier>).inner).toBeInstanceOf(LlmClassifier);
    expect(primary.model).toBe('gpt-4o-mini');
  });
});
