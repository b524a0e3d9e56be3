import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

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

/**
 * Logs go to stderr: JSON lines for a log collector, or readable lines when a person watches the terminal.
 * Redaction applies either way.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  const stream =
    destination ??
    (process.stderr.isTTY ? pretty({ destination: 2, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }) : pino.destination(2));
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
}

let root: Logger | undefined;
export function logger(): Logger {
  root ??= createLogger(process.env.LOG_LEVEL ?? 'info');
  return root;
}
export function setLogger(next: Logger): void {
  root = next;
}
