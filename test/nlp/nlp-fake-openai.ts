import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server answers to one request: a JSON reply, a raw body, or no reply at all (a hang). */
export type FakeReply =
  | { status?: number; answer: unknown }
  | { status: number; body: string }
  | { hang: true };

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
}

export interface FakeOpenAI {
  baseURL: string;
  requests: ChatRequest[];
  rawBodies: string[];
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) on 127.0.0.1 and a free port. `reply` decides each
 * answer; `answer` objects are returned the way the request asked: as a tool call when it sent `tools`
 * (functionCalling), else as JSON message content (response_format json_schema / json_object).
 */
export async function startFakeOpenAI(reply: (req: ChatRequest, n: number) => FakeReply): Promise<FakeOpenAI> {
  const requests: ChatRequest[] = [];
  const rawBodies: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      rawBodies.push(body);
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const r = reply(parsed, requests.length);
      if ('hang' in r) {
        hanging.add(res);
        return;
      }
      if ('body' in r) {
        res.writeHead(r.status, { 'content-type': 'application/json', 'retry-after-ms': '1' }).end(r.body);
        return;
      }
      const content = typeof r.answer === 'string' ? r.answer : JSON.stringify(r.answer);
      const tool = parsed.tools?.[0]?.function.name;
      const message = tool
        ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool, arguments: content } }] }
        : { role: 'assistant', content };
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 321, completion_tokens: 42, total_tokens: 363 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    rawBodies,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The complaint text as the fake model sees it: the user message's <laporan> block. */
export function complaintOf(req: ChatRequest): string {
  const user = req.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return /<laporan>\n([\s\S]*?)\n<\/laporan>/.exec(user)?.[1] ?? '';
}
