import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../lib/errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../lib/private-files.ts';
import { AttachmentBudgetError, dailyAttachmentBudget, type AttachmentBudget } from './store-attachment.ts';
import { AttachmentTooLargeError } from './read-capped.ts';
import type { AudioAttachment } from '../domain/messages.ts';

/** The audio containers voice notes arrive in, recognised by their first bytes (never by a declared type). */
type AudioType = 'ogg' | 'mp3' | 'm4a' | 'wav' | 'webm' | 'amr';
const MIME: Record<AudioType, string> = { ogg: 'audio/ogg', mp3: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav', webm: 'audio/webm', amr: 'audio/amr' };

export class UnsupportedAudioError extends AppError {
  constructor() {
    super('AUDIO_UNSUPPORTED', 'not an Ogg, MP3, MP4, WAV, WebM or AMR audio file');
  }
}

/** Ogg (WhatsApp ptt, Telegram voice), MP3, MP4/M4A, WAV, WebM or AMR by magic number; undefined otherwise. */
export function detectAudioType(data: Buffer): AudioType | undefined {
  const ascii = (from: number, to: number) => data.toString('latin1', from, to);
  if (data.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (data.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
  if (data.length >= 2 && data[0] === 0xff && (data[1] & 0xe0) === 0xe0) return 'mp3';
  if (data.length >= 8 && ascii(4, 8) === 'ftyp') return 'm4a';
  if (data.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (data.length >= 5 && ascii(0, 5) === '#!AMR') return 'amr';
  return undefined;
}

/**
 * Saves a citizen's voice note under DATA_DIR/attachments with a random name, private to the service user, after
 * checking the size cap (STT_MAX_AUDIO_BYTES) and that the bytes are audio. Charged to the chat's daily
 * attachment budget like a photo. The file is the citizen's voice: the voice-note handler (flows/) deletes it
 * when it cannot be used.
 */
export async function storeAudio(
  dataDir: string,
  data: Buffer,
  options: { maxBytes: number; durationSeconds?: number; key?: string; budget?: AttachmentBudget; now?: Date },
): Promise<AudioAttachment> {
  if (data.length > options.maxBytes) throw new AttachmentTooLargeError(options.maxBytes, data.length);
  const type = detectAudioType(data);
  if (!type) throw new UnsupportedAudioError();
  const now = options.now ?? new Date();
  const budget = options.budget ?? dailyAttachmentBudget;
  if (options.key !== undefined && !budget.take(options.key, data.length, now)) throw new AttachmentBudgetError(budget.limitBytes);
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const relative = path.join('attachments', month, `${randomUUID()}.${type}`);
  const absolute = path.resolve(dataDir, relative);
  await fs.mkdir(path.dirname(absolute), { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.writeFile(absolute, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return {
    kind: 'audio',
    path: relative,
    mime: MIME[type],
    size: data.length,
    ...(options.durationSeconds !== undefined ? { durationSeconds: options.durationSeconds } : {}),
  };
}

/** What to tell the citizen about a voice note that was not stored (an InboundMessage `unsupported` value). */
export function audioProblem(err: unknown): 'voice-too-large' | 'voice-unsupported' | 'photo-over-budget' | 'voice-failed' {
  if (err instanceof AttachmentTooLargeError) return 'voice-too-large';
  if (err instanceof UnsupportedAudioError) return 'voice-unsupported';
  if (err instanceof AttachmentBudgetError) return 'photo-over-budget';
  return 'voice-failed';
}
