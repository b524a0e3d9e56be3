import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may carry citizens' data. They are censored at every level, so a stray `log.info({ msg })`
 * cannot leak a phone number, NIK, chat id or message text.
 */
export const REDACTED_PATHS = [
  'text',
  '*.text',
  'phone',
  '*.phone',
  'nik',
  '*.nik',
  'chatId',
  '*.chatId',
  'jid',
  '*.jid',
  'conversationKey',
  '*.conversationKey',
  'key',
  '*.key',
  'name',
  '*.name',
  'description',
  '*.description',
  'payload',
  '*.payload',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination ?? pino.destination(2));
}

let root: Logger | undefined;
export function logger(): Logger {
  root ??= createLogger(process.env.LOG_LEVEL ?? 'info');
  return root;
}
export function setLogger(next: Logger): void {
  root = next;
}
