import { afterEach, describe, expect, it } from 'vitest';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AudioTranscriber, createTranscriber, STT_LANGUAGE, TranscriptionError, type TranscriberOptions } from '../nlp/transcribe-audio.ts';
import { AudioFormatError, readOggOpusDuration } from '../nlp/read-ogg-opus-duration.ts';
import { configSchema, sttApiKey } from '../lib/config.ts';
import { encodeOggOpus, PRE_SKIP } from './helpers/ogg-opus.ts';
import { startFakeSttServer, type FakeSttServer, type SttReply, type SttUpload } from './helpers/fake-stt-server.ts';

let server: FakeSttServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(reply: (u: SttUpload, n: number) => SttReply, options: Partial<TranscriberOptions> = {}) {
  server = await startFakeSttServer(reply);
  const transcriber = new AudioTranscriber({
    baseURL: server.baseURL,
    apiKey: 'stt-key',
    model: 'whisper-1',
    timeoutMs: 5_000,
    maxBytes: 1024 * 1024,
    maxSeconds: 60,
    retryDelayMs: 5,
    ...options,
  });
  return { transcriber, server };
}

/** libopus in WebAssembly encodes about ten times faster than real time; reuse notes across tests. */
const notes = new Map<number, Uint8Array>();
function note(seconds: number): Uint8Array {
  let bytes = notes.get(seconds);
  if (!bytes) notes.set(seconds, (bytes = encodeOggOpus(seconds)));
  return bytes;
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TranscriptionError);
  expect((err as TranscriptionError).code).toBe(code);
  return err as TranscriptionError;
}

describe('generated Ogg/Opus voice notes', () => {
  it('are real Ogg/Opus: an independent decoder reads them back to the right length', async () => {
    const bytes = encodeOggOpus(3);
    const decoder = new OggOpusDecoder();
    await decoder.ready;
    try {
      const decoded = await decoder.decodeFile(bytes);
      expect(decoded.errors).toEqual([]);
      expect(decoded.sampleRate).toBe(48_000);
      // The decoder drops the pre-skip, as players do.
      expect(decoded.samplesDecoded).toBe(3 * 48_000 - PRE_SKIP);
      const loudest = decoded.channelData[0].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(loudest).toBeGreaterThan(0.05);
    } finally {
      decoder.free();
    }
  });

  it('have their duration read from the granule positions', () => {
    expect(readOggOpusDuration(encodeOggOpus(3))).toBeCloseTo(3, 3);
    expect(readOggOpusDuration(encodeOggOpus(0.5))).toBeCloseTo(0.5, 3);
    expect(readOggOpusDuration(encodeOggOpus(7.3))).toBeCloseTo(7.3, 3);
  });

  it('reading the duration rejects other formats and cut-off files with a typed error', () => {
    const notOgg = new TextEncoder().encode('ID3\u0004 this is an mp3, honest');
    expect(() => readOggOpusDuration(notOgg)).toThrow(AudioFormatError);
    try {
      readOggOpusDuration(notOgg);
    } catch (err) {
      expect((err as AudioFormatError).code).toBe('AUDIO_NOT_OGG_OPUS');
    }
    const whole = encodeOggOpus(2);
    try {
      readOggOpusDuration(whole.subarray(0, whole.length - 10));
      expect.unreachable();
    } catch (err) {
      expect((err as AudioFormatError).code).toBe('AUDIO_TRUNCATED');
    }
  });
});

describe('transcription through an OpenAI-compatible server', () => {
  it('uploads the voice note as multipart with model, language id and the key, and returns the transcript', async () => {
    const { transcriber, server } = await setup(() => ({ text: '  jalan di depan rumah saya\n berlubang besar  ' }));
    const bytes = note(2.5);
    const t = await transcriber.transcribe({ bytes, mime: 'audio/ogg; codecs=opus' });
    expect(t.text).toBe('jalan di depan rumah saya berlubang besar');
    expect(t.language).toBe(STT_LANGUAGE);
    expect(t.durationSeconds).toBeCloseTo(2.5, 3);
    expect(t.model).toBe('whisper-1');
    const upload = server.uploads[0];
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.authorization).toBe('Bearer stt-key');
    expect(upload.model).toBe('whisper-1');
    expect(upload.language).toBe('id');
    expect(upload.responseFormat).toBe('json');
    expect(upload.file?.name).toBe('voice.ogg');
    expect(upload.file?.type).toBe('audio/ogg; codecs=opus');
    expect(Buffer.from(upload.file!.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(Object.keys(upload.fields).sort()).toEqual(['language', 'model', 'response_format', 'temperature']);
  });

  it('sends only the voice note\'s own bytes when it is a view into a larger buffer', async () => {
    const { transcriber, server } = await setup(() => ({ text: 'ok' }));
    const voice = note(1);
    const pool = Buffer.alloc(voice.length + 100, 7);
    pool.set(voice, 50);
    await transcriber.transcribe({ bytes: pool.subarray(50, 50 + voice.length), mime: 'audio/ogg' });
    expect(Buffer.from(server.uploads[0].file!.bytes).equals(Buffer.from(voice))).toBe(true);
  });

  it('names non-Ogg audio by its type and trusts the platform\'s duration for it', async () => {
    const { transcriber, server } = await setup(() => ({ text: 'halo' }), { maxSeconds: 30 });
    const t = await transcriber.transcribe({ bytes: new Uint8Array([1, 2, 3, 4]), mime: 'audio/mpeg', durationSeconds: 12 });
    expect(t.durationSeconds).toBe(12);
    expect(server.uploads[0].file?.name).toBe('voice.mp3');
    await expectCode(transcriber.transcribe({ bytes: new Uint8Array([1, 2, 3]), mime: 'audio/mp4', durationSeconds: 31 }), 'STT_AUDIO_TOO_LONG');
    expect(server.uploads).toHaveLength(1);
  });

  it('refuses a voice note over the duration cap without uploading it', async () => {
    const { transcriber, server } = await setup(() => ({ text: 'never' }), { maxSeconds: 4 });
    // The platform's figure is not trusted over the file's own: a 5 s note claiming 1 s is still refused.
    await expectCode(transcriber.transcribe({ bytes: note(5), mime: 'audio/ogg', durationSeconds: 1 }), 'STT_AUDIO_TOO_LONG');
    expect(server.uploads).toHaveLength(0);
  });

  it('refuses a voice note over the size cap without uploading it', async () => {
    const bytes = note(3);
    const { transcriber, server } = await setup(() => ({ text: 'never' }), { maxBytes: bytes.length - 1 });
    await expectCode(transcriber.transcribe({ bytes, mime: 'audio/ogg' }), 'STT_AUDIO_TOO_LARGE');
    expect(server.uploads).toHaveLength(0);
  });

  it('refuses a file labelled Ogg that is not', async () => {
    const { transcriber, server } = await setup(() => ({ text: 'never' }));
    await expectCode(transcriber.transcribe({ bytes: new Uint8Array(100), mime: 'audio/ogg' }), 'STT_AUDIO_UNREADABLE');
    expect(server.uploads).toHaveLength(0);
  });

  it('retries a server error once, then reports it', async () => {
    const { transcriber, server } = await setup(() => ({ status: 500, body: '{"error":{"message":"CUDA out of memory"}}' }));
    const err = await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_SERVER_ERROR');
    expect(err.status).toBe(500);
    expect(server.uploads).toHaveLength(2);
  });

  it('recovers when the retry succeeds', async () => {
    const { transcriber, server } = await setup((_, n) => (n === 1 ? { status: 503, body: 'busy' } : { text: 'lampu jalan mati' }));
    const t = await transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' });
    expect(t.text).toBe('lampu jalan mati');
    expect(server.uploads).toHaveLength(2);
  });

  it('does not retry a rejected request (4xx)', async () => {
    const { transcriber, server } = await setup(() => ({ status: 401, body: '{"error":{"message":"bad key"}}' }));
    await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_HTTP_ERROR');
    expect(server.uploads).toHaveLength(1);
  });

  it('times out on a server that never answers, without retrying', async () => {
    const { transcriber, server } = await setup(() => ({ hang: true }), { timeoutMs: 300 });
    await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_TIMEOUT');
    expect(server.uploads).toHaveLength(1);
  });

  it('treats an empty or blank transcript as a failure', async () => {
    const { transcriber } = await setup(() => ({ text: ' \n ' }));
    await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_EMPTY_TRANSCRIPT');
  });

  it('reports an answer that is not {"text": …}', async () => {
    const { transcriber } = await setup(() => ({ status: 200, body: '<html>proxy login</html>' }));
    await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_INVALID_RESPONSE');
  });

  it('reports an unreachable server as a network error', async () => {
    const { transcriber, server } = await setup(() => ({ text: 'x' }));
    await server.close();
    await expectCode(transcriber.transcribe({ bytes: note(1), mime: 'audio/ogg' }), 'STT_NETWORK');
  });
});

describe('speech-to-text configuration', () => {
  it('is off without STT_BASE_URL', () => {
    expect(createTranscriber(configSchema.parse({ LLM_API_KEY: 'k' }))).toBeUndefined();
  });

  it('defaults the model to whisper-1 and the key to the LLM\'s', () => {
    const config = configSchema.parse({ STT_BASE_URL: 'http://127.0.0.1:9/v1', LLM_API_KEY: 'llm-key' });
    expect(config.STT_MODEL).toBe('whisper-1');
    expect(sttApiKey(config)).toBe('llm-key');
    expect(sttApiKey(configSchema.parse({ STT_API_KEY: 'own', LLM_API_KEY: 'llm-key' }))).toBe('own');
    expect(sttApiKey(configSchema.parse({ OPENAI_API_KEY: 'openai' }))).toBe('openai');
    expect(createTranscriber(config)?.model).toBe('whisper-1');
  });

  it('rejects a cap that is not a positive number', () => {
    expect(configSchema.safeParse({ STT_MAX_DURATION_SECONDS: '0' }).success).toBe(false);
    expect(configSchema.safeParse({ STT_MAX_AUDIO_BYTES: 'lots' }).success).toBe(false);
  });

  it('uses the configured server end to end', async () => {
    server = await startFakeSttServer(() => ({ text: 'sampah belum diangkut' }));
    const config = configSchema.parse({ STT_BASE_URL: server.baseURL, STT_MODEL: 'Systran/faster-whisper-small', OPENAI_API_KEY: 'sk-test' });
    const t = await createTranscriber(config)!.transcribe({ bytes: note(1.5), mime: 'audio/ogg' });
    expect(t.text).toBe('sampah belum diangkut');
    expect(server.uploads[0]).toMatchObject({ model: 'Systran/faster-whisper-small', authorization: 'Bearer sk-test' });
  });
});
