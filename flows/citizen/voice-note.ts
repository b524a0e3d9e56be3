import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/logger.ts';
import type { MessageHandler } from '../engine.ts';
import type { AudioAttachment, CitizenState, InboundMessage, Language, Reply } from '../types.ts';
import { TranscriptionError, type AudioTranscriber } from '../../nlp/transcribe-audio.ts';
import { errorCode } from '../../lib/errors.ts';
import { voiceText, type VoiceNoteTextKey } from '../../domain/voice-note-texts.ts';

/** Choice values of the transcript question. */
export const VOICE_USE = 'voice:use';
export const VOICE_CANCEL = 'voice:cancel';

/** Words that confirm the transcript as it is (a correction is any other text). */
const CONFIRM_WORDS = new Set(['ya', 'y', 'iya', 'iyo', 'yes', 'benar', 'betul', 'bener', 'ok', 'oke', 'sip', 'sudah benar', 'ya benar']);
const CANCEL_WORDS = new Set(['batal', 'cancel', 'tidak', 'gak', 'nggak', 'ga', 'no']);

export interface VoiceNoteDeps {
  /** Undefined when STT_BASE_URL is not set: voice notes are declined politely and deleted. */
  transcriber?: Pick<AudioTranscriber, 'transcribe'>;
  /** DATA_DIR: where the adapters stored the audio. */
  dataDir: string;
  /** STT_MAX_DURATION_SECONDS, named in the "too long" reply. */
  maxSeconds: number;
  log: Logger;
}

/** A transcript waiting for the citizen's confirmation, with the voice note it came from. */
export type PendingVoiceNote = NonNullable<CitizenState['voice']>;

type WithVoice = CitizenState;

/** Adapter notes (bot/store-audio.ts audioProblem) for a voice note that could not be taken. */
const ADAPTER_PROBLEMS: Record<string, VoiceNoteTextKey> = {
  'voice-too-large': 'tooLarge',
  'voice-unsupported': 'unreadable',
  'voice-failed': 'failed',
};

const ERROR_TEXT: Partial<Record<string, VoiceNoteTextKey>> = {
  STT_AUDIO_TOO_LONG: 'tooLong',
  STT_AUDIO_TOO_LARGE: 'tooLarge',
  STT_EMPTY_TRANSCRIPT: 'empty',
  STT_AUDIO_UNREADABLE: 'unreadable',
};

function audioOf(message: InboundMessage): AudioAttachment | undefined {
  return message.attachments?.find((a): a is AudioAttachment => a.kind === 'audio');
}

/**
 * Voice notes, as the first step of the engine's pipeline (flows/pipeline.ts). A voice note is transcribed (when
 * STT is configured) and the transcript shown; the citizen confirms it (or types a correction) and it then goes
 * on to the later handlers and the intake flow as if typed, with the voice note attached, so it answers whatever
 * step was pending. The transcript reaches an LLM only through the classifier, which masks it like any text.
 * Without STT, or when transcription fails, the citizen is answered politely, the audio file is deleted, and the
 * conversation (its draft, its step) is left exactly as it was.
 */
export function createVoiceNoteHandler(deps: VoiceNoteDeps): MessageHandler {
  const remove = async (audio: AudioAttachment | undefined) => {
    if (!audio) return;
    await fs.rm(path.resolve(deps.dataDir, audio.path), { force: true }).catch((err) => deps.log.warn({ code: errorCode(err) }, 'voice note file not deleted'));
  };

  return async (message, ctx) => {
    const state = ctx.citizenState as WithVoice;
    const lang: Language = state.lang;
    // After a voice note that could not be used, the report goes on: ask the pending step's question again.
    const andPrompt = (reply: Reply): Reply[] => [reply, ...(state.step === 'idle' ? [] : (ctx.citizenPrompt?.() ?? []))];
    const audio = audioOf(message);
    const problem = message.unsupported ? ADAPTER_PROBLEMS[message.unsupported] : undefined;
    if (problem && !audio) return andPrompt({ text: voiceText(lang, problem) });

    if (audio) {
      if (!deps.transcriber) {
        await remove(audio);
        return andPrompt({ text: voiceText(lang, 'notConfigured') });
      }
      let transcript: string;
      try {
        const bytes = await fs.readFile(path.resolve(deps.dataDir, audio.path));
        transcript = (await deps.transcriber.transcribe({ bytes, mime: audio.mime, durationSeconds: audio.durationSeconds })).text.trim();
        if (!transcript) throw new TranscriptionError('STT_EMPTY_TRANSCRIPT', 'empty transcript');
      } catch (err) {
        // Codes only: the audio and its words are the citizen's.
        deps.log.warn({ code: errorCode(err), messageId: message.messageId }, 'voice note not transcribed');
        await remove(audio);
        const key = (err instanceof TranscriptionError && ERROR_TEXT[err.code]) || 'failed';
        return andPrompt({ text: voiceText(lang, key, { seconds: deps.maxSeconds }) });
      }
      // A newer voice note replaces one still waiting for confirmation.
      await remove(state.voice?.audio);
      ctx.setCitizenState?.({ ...state, voice: { transcript, audio } } as WithVoice);
      return [confirmQuestion(lang, transcript)];
    }

    const pending = state.voice;
    if (!pending) return undefined;
    const text = (message.choice ?? message.text ?? '').trim();
    // Commands go their own way; the transcript keeps waiting.
    if (!text || text.startsWith('/')) return undefined;
    const { voice: _done, ...rest } = state;
    void _done;
    ctx.setCitizenState?.(rest);
    const word = text.toLowerCase().replace(/[.!]+$/, '');
    if (message.choice === VOICE_CANCEL || (!message.choice && CANCEL_WORDS.has(word))) {
      await remove(pending.audio);
      return andPrompt({ text: voiceText(lang, 'cancelled') });
    }
    const confirmed = message.choice === VOICE_USE || (!message.choice && CONFIRM_WORDS.has(word));
    // The voice note stays with the report being written; a report not started yet gets it from the flow.
    if (rest.draft) ctx.setCitizenState?.({ ...rest, draft: { ...rest.draft, audios: [...(rest.draft.audios ?? []), pending.audio] } });
    const rewrite: InboundMessage = {
      ...message,
      text: confirmed ? pending.transcript : text,
      choice: undefined,
      unsupported: undefined,
      attachments: [pending.audio],
    };
    return { rewrite };
  };
}

function confirmQuestion(lang: Language, transcript: string): Reply {
  return {
    text: voiceText(lang, 'heard', { transcript }),
    choices: [
      { value: VOICE_USE, label: voiceText(lang, 'choiceUse') },
      { value: VOICE_CANCEL, label: voiceText(lang, 'choiceCancel') },
    ],
  };
}
