import type { CityProfile } from '../lib/city-profile.ts';
import type { Logger } from '../lib/logger.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import type { MessageHandler } from './engine.ts';
import { createStatistikHandler } from './admin/statistik-command.ts';
import { createAdminHandler } from './admin/admin-handler.ts';
import { createFollowUpHandler } from './citizen/citizen-follow-up.ts';
import { createVoiceNoteHandler } from './citizen/voice-note.ts';
import type { AudioTranscriber } from '../nlp/transcribe-audio.ts';

export interface PipelineDeps {
  profile: CityProfile;
  calendar: WorkingCalendar;
  log: Logger;
  /** Where /statistik writes its chart (DATA_DIR). */
  dataDir: string;
  /** Speech-to-text (nlp/transcribe-audio.ts createTranscriber); undefined when STT_BASE_URL is not set. */
  transcriber?: Pick<AudioTranscriber, 'transcribe'>;
  /** STT_MAX_DURATION_SECONDS, for the voice-note replies. */
  maxVoiceSeconds?: number;
  /** WHATSAPP_ACCOUNT: admin keys added in chat must be of this account. */
  whatsappAccount?: string;
}

/**
 * The engine's handlers, in the order they are asked: /statistik (admins only), the admin commands (which leave
 * /statistik to the first), then the citizen's follow-up on a filed case. A message none of them takes goes to
 * the citizen's intake flow.
 */
export function createPipeline(deps: PipelineDeps): MessageHandler[] {
  return [
    // First: a transcript waiting for confirmation answers the pending step, whoever would take the message next.
    createVoiceNoteHandler({ transcriber: deps.transcriber, dataDir: deps.dataDir, maxSeconds: deps.maxVoiceSeconds ?? 180, log: deps.log }),
    createStatistikHandler({ calendar: deps.calendar, dataDir: deps.dataDir, cityName: deps.profile.name, log: deps.log }),
    createAdminHandler({ profile: deps.profile, calendar: deps.calendar, log: deps.log, whatsappAccount: deps.whatsappAccount }),
    createFollowUpHandler({ calendar: deps.calendar }),
  ];
}
