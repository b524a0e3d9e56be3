import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One upload as the fake server understood it (multipart parsed by undici's own FormData parser). */
export interface SttUpload {
  path: string;
  authorization?: string;
  contentType: string;
  model?: string;
  language?: string;
  responseFormat?: string;
  file?: { name: string; type: string; bytes: Uint8Array };
  /** Every non-file field, to check nothing unexpected (such as a prompt carrying text) is sent. */
  fields: Record<string, string>;
}

/** What the fake answers: a transcript, an HTTP error, or nothing at all (a hang, for timeouts). */
export type SttReply = { text: string } | { status: number; body: string } | { hang: true };

export interface FakeSttServer {
  baseURL: string;
  uploads: SttUpload[];
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible speech-to-text server: POST /v1/audio/transcriptions with a multipart body. It checks
 * the fields as OpenAI does (400 without `file` or `model`) and lets the test decide each answer.
 */
export async function startFakeSttServer(reply: (upload: SttUpload, n: number) => SttReply): Promise<FakeSttServer> {
  const uploads: SttUpload[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') return json(404, { error: { message: 'not found' } });
        const contentType = req.headers['content-type'] ?? '';
        let form: FormData;
        try {
          form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.concat(chunks) }).formData();
        } catch {
          return json(400, { error: { message: 'could not parse multipart body' } });
        }
        const fields: Record<string, string> = {};
        let file: SttUpload['file'];
        for (const [key, value] of form.entries()) {
          if (typeof value === 'string') fields[key] = value;
          else if (key === 'file') file = { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
        }
        const upload: SttUpload = {
          path: req.url,
          authorization: req.headers.authorization,
          contentType,
          model: fields.model,
          language: fields.language,
          responseFormat: fields.response_format,
          file,
          fields,
        };
        uploads.push(upload);
        if (!file || !upload.model) return json(400, { error: { message: "'file' and 'model' are required" } });
        const r = reply(upload, uploads.length);
        if ('hang' in r) {
          hanging.add(res);
          return;
        }
        if ('status' in r) return res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
        return json(200, { text: r.text });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    uploads,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
