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
 * Keys whose values identify a person wherever they appear (Baileys' own logs put `from`, `participant`, `sender`,
 * `senderAlt`, `lid`, `pn` and `attrs.from` at every depth). Their string and number values are censored whole.
 */
const IDENTITY_KEYS = new Set(
  [
    'from',
    'to',
    'participant',
    'participantAlt',
    'sender',
    'senderAlt',
    'senderPn',
    'senderLid',
    'lid',
    'pn',
    'jid',
    'remoteJid',
    'remoteJidAlt',
    'recipient',
    'phone',
    'phoneNumber',
    'chatId',
    'conversationKey',
    'key',
    'nik',
    'email',
    'pushName',
    'notify',
    'verifiedName',
  ].map((k) => k.toLowerCase()),
);

/** A WhatsApp JID of any server (user, LID, group, broadcast, bot…), with a device suffix or not. */
const JID = /[^\s"'<>@,;()[\]{}]*@(?:s\.whatsapp\.net|c\.us|lid|g\.us|broadcast|newsletter|bot|call|hosted(?:\.lid)?)(?![\w.])/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * Phone-shaped: an Indonesian number with separators (0812-3456-7890, +62 812 3456 7890), or any run of 8–15
 * digits standing alone (international numbers, LIDs, Telegram chat ids). A 10-digit epoch time in a string goes
 * too; pino's own `time` is a number and stays.
 */
const PHONE = /(?<![\w+])(?:\+62|62|0)[ .-]?8\d{1,3}(?:[ .-]?\d{2,4}){2,3}(?!\w)|(?<![\w+])\+?\d{8,15}(?!\w)/g;
/** Deeper than this is not walked (a log object is never that deep; a cycle is caught before). */
const MAX_DEPTH = 32;

/** Masks JIDs, e-mail addresses and phone-shaped numbers in free text. */
export function redactLogText(text: string): string {
  return text.replace(JID, '[jid]').replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * A copy of a log argument with personal data masked at any depth: identity keys censored whole, every other
 * string (and object key) pattern-masked. Errors become pino's serialised form first, so their message and stack
 * are masked too. Binary data is left alone.
 */
export function redactLogValue(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redactLogText(value);
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) {
    // A masked copy that is still an Error of the same class, so pino serialises it as it would the original.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(value)) {
      const v = (value as unknown as Record<string, unknown>)[name];
      Object.defineProperty(copy, name, { value: redactLogValue(v, seen, depth + 1), enumerable: name !== 'stack' && name !== 'message', writable: true, configurable: true });
    }
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, seen, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const censor = IDENTITY_KEYS.has(k.toLowerCase()) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint');
    out[redactLogText(k)] = censor ? '[redacted]' : redactLogValue(v, seen, depth + 1);
  }
  return out;
}

/**
 * Logs go to stderr: JSON lines for a log collector, or readable lines when a person watches the terminal.
 * Redaction applies either way, at every level, in two layers: pino's redact paths (by name, a level deep) and a
 * hook that walks every argument (objects at any depth, the message and its format arguments) masking identity
 * keys, JIDs, e-mail addresses and phone-shaped numbers. pino's paths cannot say "any depth"; the hook can.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  const stream =
    destination ??
    (process.stderr.isTTY ? pretty({ destination: 2, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }) : pino.destination(2));
  const log = pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          // Runs only for enabled levels, so debug logging costs nothing at info.
          const [first, ...rest] = args as unknown[];
          // An Error logged alone keeps pino's shape ({ err }, with its message as msg), masked.
          const masked = first instanceof Error ? [{ err: first }, ...(rest.length ? rest : [first.message])] : args;
          return method.apply(this, masked.map((arg) => redactLogValue(arg)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
  return maskChildBindings(log);
}

/**
 * Child loggers' bindings (Baileys makes children) are written once, outside the log method, and pino replaces
 * a bindings formatter for children; so `child` itself masks them, on every generation of children.
 */
function maskChildBindings(log: Logger): Logger {
  const child = log.child.bind(log);
  log.child = ((bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => maskChildBindings(child(redactLogValue(bindings) as pino.Bindings, options))) as unknown as Logger['child'];
  return log;
}

let root: Logger | undefined;
export function logger(): Logger {
  root ??= createLogger(process.env.LOG_LEVEL ?? 'info');
  return root;
}
export function setLogger(next: Logger): void {
  root = next;
}
