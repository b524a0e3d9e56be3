import pRetry from 'p-retry';
import { z } from 'zod';
import { sttApiKey, type Config } from '../lib/config.ts';
import type { Logger } from '../lib/logger.ts';
import { AudioFormatError, isOggOpusMime, readOggOpusDuration } from './read-ogg-opus-duration.ts';

/** Citizens speak Indonesian (with Javanese words); telling Whisper so avoids it guessing English or Malay. */
export const STT_LANGUAGE = 'id';
/**
 * One extra attempt after a 5xx or a dropped connection: a restarting server or a proxy blip. Not more, because the
 * citizen is waiting for the transcript; not after a timeout, when they have already waited STT_TIMEOUT_MS.
 */
export const STT_TRANSIENT_RETRIES = 1;
export const STT_RETRY_DELAY_MS = 500;
/** Longest transcript kept; a 3-minute voice note is about 3,000 characters of speech. */
export const MAX_TRANSCRIPT_CHARS = 8_000;

export type TranscriptionErrorCode =
  | 'STT_TIMEOUT'
  | 'STT_SERVER_ERROR'
  | 'STT_HTTP_ERROR'
  | 'STT_NETWORK'
  | 'STT_INVALID_RESPONSE'
  | 'STT_EMPTY_TRANSCRIPT'
  | 'STT_AUDIO_TOO_LARGE'
  | 'STT_AUDIO_TOO_LONG'
  | 'STT_AUDIO_UNREADABLE';

/** Why a voice note was not transcribed. Never carries the audio or the transcript (citizens' data). */
export class TranscriptionError extends Error {
  constructor(
    readonly code: TranscriptionErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TranscriptionError';
  }
}

export interface AudioInput {
  bytes: Uint8Array;
  /** As the platform labels it: audio/ogg (WhatsApp ptt, Telegram voice), audio/mpeg, audio/mp4… */
  mime: string;
  fileName?: string;
  /** The platform's own duration (Telegram `duration`, WhatsApp `seconds`), used when the file cannot be measured. */
  durationSeconds?: number;
}

export interface Transcript {
  text: string;
  language: string;
  /** Measured from the file when it is Ogg/Opus, else the platform's figure. */
  durationSeconds?: number;
  model: string;
  latencyMs: number;
}

export interface TranscriberOptions {
  /** Root of the OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1. */
  baseURL: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  maxBytes: number;
  maxSeconds: number;
  language?: string;
  log?: Logger;
  /** Tests lower the delay, never the policy. */
  retryDelayMs?: number;
}

const responseShape = z.object({ text: z.string() });

const EXTENSIONS: Record<string, string> = { ogg: 'ogg', opus: 'ogg', mpeg: 'mp3', mp3: 'mp3', mp4: 'm4a', m4a: 'm4a', aac: 'aac', wav: 'wav', webm: 'webm', amr: 'amr' };

/** A file name whose extension matches the type: several servers pick the decoder by extension, not by type. */
function uploadName(audio: AudioInput): string {
  if (audio.fileName && /\.[a-z0-9]{2,4}$/i.test(audio.fileName)) return audio.fileName;
  const sub = /^audio\/(?:x-)?([a-z0-9]+)/i.exec(audio.mime)?.[1]?.toLowerCase() ?? '';
  return `voice.${EXTENSIONS[sub] ?? 'ogg'}`;
}

/**
 * Client for any OpenAI-compatible `POST /audio/transcriptions` (faster-whisper-server, vLLM, LocalAI, OpenAI):
 * multipart upload with fetch and FormData, size and duration checked before anything leaves the machine.
 */
export class AudioTranscriber {
  constructor(private readonly options: TranscriberOptions) {}

  get model(): string {
    return this.options.model;
  }

  /** Checks the caps without sending anything; returns the duration when known. */
  checkAudio(audio: AudioInput): number | undefined {
    if (audio.bytes.length === 0) throw new TranscriptionError('STT_AUDIO_UNREADABLE', 'the voice note is empty');
    if (audio.bytes.length > this.options.maxBytes)
      throw new TranscriptionError('STT_AUDIO_TOO_LARGE', `voice note of ${audio.bytes.length} bytes exceeds ${this.options.maxBytes}`);
    let duration = audio.durationSeconds;
    if (isOggOpusMime(audio.mime)) {
      try {
        duration = readOggOpusDuration(audio.bytes);
      } catch (err) {
        if (err instanceof AudioFormatError) throw new TranscriptionError('STT_AUDIO_UNREADABLE', `voice note is not valid Ogg/Opus (${err.code})`);
        throw err;
      }
    }
    if (duration !== undefined && duration > this.options.maxSeconds)
      throw new TranscriptionError('STT_AUDIO_TOO_LONG', `voice note of ${Math.round(duration)} s exceeds ${this.options.maxSeconds} s`);
    return duration;
  }

  async transcribe(audio: AudioInput, signal?: AbortSignal): Promise<Transcript> {
    const durationSeconds = this.checkAudio(audio);
    const started = performance.now();
    const language = this.options.language ?? STT_LANGUAGE;
    let attempts = 0;
    const text = await pRetry(
      async () => {
        attempts++;
        return this.request(audio, language, signal);
      },
      {
        retries: STT_TRANSIENT_RETRIES,
        minTimeout: this.options.retryDelayMs ?? STT_RETRY_DELAY_MS,
        maxTimeout: this.options.retryDelayMs ?? STT_RETRY_DELAY_MS,
        shouldRetry: ({ error }) => error instanceof TranscriptionError && (error.code === 'STT_SERVER_ERROR' || error.code === 'STT_NETWORK'),
      },
    );
    const latencyMs = Math.round(performance.now() - started);
    // Sizes and timings only: the transcript is the citizen's words.
    this.options.log?.debug({ model: this.options.model, bytes: audio.bytes.length, durationSeconds, latencyMs, attempts }, 'voice note transcribed');
    return { text, language, durationSeconds, model: this.options.model, latencyMs };
  }

  private async request(audio: AudioInput, language: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    // A copy: Blob wants ArrayBuffer-backed bytes, and a pooled Buffer's .buffer would carry its neighbours too.
    form.append('file', new Blob([audio.bytes.slice()], { type: audio.mime }), uploadName(audio));
    form.append('model', this.options.model);
    form.append('language', language);
    form.append('response_format', 'json');
    form.append('temperature', '0');
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(`${this.options.baseURL.replace(/\/+$/, '')}/audio/transcriptions`, {
        method: 'POST',
        body: form,
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (timeout.aborted) throw new TranscriptionError('STT_TIMEOUT', `no transcript within ${this.options.timeoutMs} ms`);
      if (signal?.aborted) throw err;
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new TranscriptionError('STT_NETWORK', `could not reach the speech-to-text server${typeof cause === 'string' ? ` (${cause})` : ''}`);
    }
    let body: string;
    try {
      body = await response.text();
    } catch {
      if (timeout.aborted) throw new TranscriptionError('STT_TIMEOUT', `no transcript within ${this.options.timeoutMs} ms`);
      throw new TranscriptionError('STT_NETWORK', 'the speech-to-text server closed the connection');
    }
    if (response.status >= 500) throw new TranscriptionError('STT_SERVER_ERROR', `speech-to-text server error (${response.status})`, response.status);
    if (!response.ok) throw new TranscriptionError('STT_HTTP_ERROR', `speech-to-text request rejected (${response.status})`, response.status);
    let parsed: z.infer<typeof responseShape>;
    try {
      parsed = responseShape.parse(JSON.parse(body));
    } catch {
      throw new TranscriptionError('STT_INVALID_RESPONSE', 'the speech-to-text server did not answer with {"text": …}');
    }
    const text = parsed.text.replace(/\s+/g, ' ').trim().slice(0, MAX_TRANSCRIPT_CHARS);
    if (text === '') throw new TranscriptionError('STT_EMPTY_TRANSCRIPT', 'the transcript is empty');
    return text;
  }
}

/** The transcriber the bot uses, or undefined when no speech-to-text server is configured (voice notes refused). */
export function createTranscriber(config: Config, log?: Logger): AudioTranscriber | undefined {
  if (!config.STT_BASE_URL) return undefined;
  return new AudioTranscriber({
    baseURL: config.STT_BASE_URL,
    apiKey: sttApiKey(config),
    model: config.STT_MODEL,
    timeoutMs: config.STT_TIMEOUT_MS,
    maxBytes: config.STT_MAX_AUDIO_BYTES,
    maxSeconds: config.STT_MAX_DURATION_SECONDS,
    log,
  });
}
