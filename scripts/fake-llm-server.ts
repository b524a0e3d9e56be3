import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A slow OpenAI-compatible chat-completions server on 127.0.0.1 for the bench and the tests: every request is
 * answered with the same classification, after `delayMs` or, with `hold`, only when the caller releases it (tests
 * hold the clock instead of sleeping). Counts requests in flight, so a caller can see how many calls the bot made
 * at once. Never reached over the network.
 */
export interface FakeLlmOptions {
  /** Answer each request this long after it arrived (the bench's 1.5 s model). */
  delayMs?: number;
  /** Keep every request waiting until release() (tests). */
  hold?: boolean;
  /** The classification the model "returns" (JSON in the message content). */
  answer?: object;
}

export interface FakeLlm {
  baseURL: string;
  readonly stats: { received: number; inFlight: number; maxInFlight: number; answered: number };
  /** performance.now() at each request's arrival and each answer (the bench splits a reply's time with them). */
  readonly arrivals: number[];
  readonly answers: number[];
  /** Called for every request as it arrives (after stats are updated). */
  onRequest?: () => void;
  /** Answers every held request now; returns how many. */
  release(): number;
  close(): Promise<void>;
}

/** A valid answer for the Malang profile (nlp/llm-classifier.ts's schema). */
export const FAKE_LLM_ANSWER = {
  reportKind: 'pengaduan',
  categoryCode: 'JALAN',
  opdCode: 'DPUPRPKP',
  confidence: 0.9,
  reason: 'Jalan rusak.',
  emergency: false,
  emergencyKind: 'none',
};

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const held: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  const fake: FakeLlm = {
    baseURL: '',
    stats: { received: 0, inFlight: 0, maxInFlight: 0, answered: 0 },
    arrivals: [],
    answers: [],
    release: () => {
      const answers = held.splice(0);
      for (const answer of answers) answer();
      return answers.length;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const { model } = JSON.parse(body || '{}') as { model?: string };
      const { stats } = fake;
      stats.received++;
      fake.arrivals.push(performance.now());
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const id = stats.received;
      const answer = () => {
        stats.inFlight--;
        stats.answered++;
        fake.answers.push(performance.now());
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${id}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: model ?? 'fake-model',
            choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(options.answer ?? FAKE_LLM_ANSWER) }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
      };
      if (options.hold) held.push(answer);
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, options.delayMs ?? 0);
        timers.add(timer);
      }
      fake.onRequest?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
