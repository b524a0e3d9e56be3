import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from './database-url.ts';

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().optional().transform((v) => v ?? fallback);

/** Every setting the bot reads from the environment; README's configuration table lists the same. */
export const configSchema = z.object({
  DATABASE_URL: optionalString.transform((v) => v ?? DEFAULT_DATABASE_URL),
  DATA_DIR: optionalString.transform((v) => v ?? './data'),
  CITY_PROFILE: optionalString.transform((v) => v ?? 'malang'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .transform((v) => v ?? 'info'),
  DEFAULT_LANGUAGE: z.enum(['id', 'en']).optional().transform((v) => v ?? 'id'),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.url().optional(),
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  /** Port the webhook HTTP server listens on (behind the reverse proxy that serves TELEGRAM_WEBHOOK_URL). */
  TELEGRAM_WEBHOOK_PORT: positiveInt(8443),
  /** Address the webhook HTTP server binds; loopback by default, for a reverse proxy on the same machine. */
  TELEGRAM_WEBHOOK_HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  /** Secret Telegram echoes in a header on every webhook call; when unset a random one is generated and kept in DATA_DIR. */
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
    message: 'only letters, digits, _ and -, at most 256 characters',
  }),
  /** The bot's @username without "@", for t.me deep links printed on QR codes. */
  TELEGRAM_BOT_USERNAME: optionalString.transform((v) => v?.replace(/^@/, '')),
  WHATSAPP_ENABLED: flag,
  WHATSAPP_PHONE_NUMBER: optionalString.refine((v) => v === undefined || /^\d{8,15}$/.test(v), {
    message: 'must be digits only with the country code, e.g. 6281234567890',
  }),
  /** Name of the bot's WhatsApp account: the auth rows' account and the middle part of wa:<account>:<jid> keys. */
  WHATSAPP_ACCOUNT: optionalString
    .transform((v) => v ?? 'main')
    .refine((v) => /^[A-Za-z0-9_-]{1,32}$/.test(v), { message: 'letters, digits, "-" or "_" only (max 32)' }),
  LLM_BASE_URL: z.url().optional(),
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  LLM_TIMEOUT_MS: positiveInt(20_000),
  /**
   * The LLM server runs on the city's own machines. Only then are rahasia reports classified by the LLM; otherwise
   * they are classified offline, because their content must not reach a third party.
   */
  LLM_SELF_HOSTED: flag,
  /**
   * LLM calls at once per process; more wait their turn (first come, first served), and one that cannot start
   * within LLM_TIMEOUT_MS is answered by the offline classifier (nlp/limited-classifier.ts).
   */
  LLM_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional().transform((v) => v ?? 8),
  LLM_STRUCTURED_METHOD: z
    .enum(['jsonSchema', 'functionCalling', 'jsonMode'])
    .optional()
    .transform((v) => v ?? 'jsonSchema'),
  /** Any OpenAI-compatible speech-to-text server (POST /audio/transcriptions); voice notes are read only when set. */
  STT_BASE_URL: z.url().optional(),
  STT_MODEL: optionalString.transform((v) => v ?? 'whisper-1'),
  /** Defaults to LLM_API_KEY / OPENAI_API_KEY (see sttApiKey). */
  STT_API_KEY: optionalString,
  STT_TIMEOUT_MS: positiveInt(30_000),
  /** Larger voice notes are refused before upload: a complaint fits in far less, and uploads cost time and money. */
  STT_MAX_AUDIO_BYTES: positiveInt(5 * 1024 * 1024),
  STT_MAX_DURATION_SECONDS: positiveInt(180),
  /** The trained offline classifier; default <DATA_DIR>/models/offline-classifier.json (see docs/classification.md). */
  CLASSIFIER_MODEL_PATH: optionalString,
  /** GeoJSON of the city's kelurahan polygons: a shared pin becomes kelurahan and kecamatan (docs/conversation.md). */
  BOUNDARY_FILE: optionalString,
  /** GeoJSON of the villages around the city, to name where a pin outside the city lies. */
  BOUNDARY_NEARBY_FILE: optionalString,
  /** With an LLM configured, it also reads a citizen's free first message (description, place, kind); 0 turns that off. */
  LLM_READS_MESSAGES: z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .optional()
    .transform((v) => v === undefined || v === '' || v === '1' || v === 'true' || v === 'yes'),
  MAX_MESSAGE_LENGTH: positiveInt(4000),
  MAX_ATTACHMENT_BYTES: positiveInt(10 * 1024 * 1024),
  /**
   * Days to keep handled-message ids and finished outbox rows (they hold message text); the daily job prunes older
   * ones. At least 30: WhatsApp holds undelivered messages for up to a month, and duplicate detection needs the ids
   * while a platform may still redeliver.
   */
  RETENTION_DAYS: z.coerce.number().int().min(30).optional().transform((v) => v ?? 90),
  /** Hour (0-23, city time) of the daily job: reminders, escalations, automatic close and the admins' summary. */
  DAILY_SUMMARY_HOUR: z.coerce.number().int().min(0).max(23).optional().transform((v) => v ?? 7),
  /** Runs the HTTP server (Open311 API, public pages, dashboard, /healthz, /metrics) on this port when set. */
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Address the HTTP server binds to; loopback by default, so only a reverse proxy on the machine reaches it. */
  HTTP_HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  /** Trust X-Forwarded-For from the reverse proxy, so rate limits count real clients, not the proxy. */
  HTTP_TRUST_PROXY: flag,
  /** Public address of the HTTP server (e.g. https://lapor.malangkota.go.id): links to a case's public page. */
  PUBLIC_BASE_URL: z.url().optional().transform((v) => v?.replace(/\/+$/, '')),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; an optional .env file in the working directory fills gaps. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { dotenvPath?: string } = {}): Config {
  const merged: Record<string, string | undefined> = { ...env };
  // Only the real environment falls back to ./.env; a test passing its own env names the file explicitly.
  const dotenvPath = options.dotenvPath ?? (env === process.env ? path.resolve('.env') : undefined);
  if (dotenvPath && fs.existsSync(dotenvPath)) {
    const parsed = dotenv.parse(fs.readFileSync(dotenvPath));
    for (const [k, v] of Object.entries(parsed)) if (merged[k] === undefined) merged[k] = v;
  }
  // Empty strings mean "not set", as most shells and .env files write it.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** The speech-to-text server's key: its own, else the LLM's (often the same provider). */
export function sttApiKey(config: Config): string | undefined {
  return config.STT_API_KEY ?? config.LLM_API_KEY ?? config.OPENAI_API_KEY;
}
