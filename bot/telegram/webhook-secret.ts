import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The generated secret's file under DATA_DIR; readable by the bot's user only. */
export const WEBHOOK_SECRET_FILE = 'telegram-webhook-secret';

/**
 * The secret Telegram must echo on every webhook call: TELEGRAM_WEBHOOK_SECRET when set; otherwise a random one
 * generated on first start and kept in DATA_DIR (mode 0600), so a restart registers the same secret. Never derived
 * from the bot token: whoever learns one must not learn the other.
 */
export function resolveWebhookSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, WEBHOOK_SECRET_FILE);
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{16,256}$/.test(stored)) return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // 32 random bytes as base64url: only the characters Telegram allows in secret_token.
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return secret;
}
