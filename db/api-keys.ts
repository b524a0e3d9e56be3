import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './client.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';

/**
 * Keys for the Open311 API's POST requests, issued by the admin instansi (`npm run admin -- apikey add <name>`).
 * Only the key's SHA-256 is stored: a database leak gives no usable key. The key is shown once, at creation.
 */

/** Names are used in conversation keys (api:<name>:<request>) and on the command line: keep them plain. */
export const API_KEY_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** 32 random bytes: unguessable, so a plain (fast) hash is safe to store and compare. */
const KEY_BYTES = 32;
/** Prefix shown in listings: enough to tell keys apart, far too short to use. */
const SHOWN_PREFIX_LENGTH = 8;

export class ApiKeyError extends AppError {
  constructor(code: 'API_KEY_NAME_INVALID' | 'API_KEY_NAME_TAKEN' | 'API_KEY_NOT_FOUND', message: string) {
    super(code, message);
    this.name = 'ApiKeyError';
  }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface ApiKeyInfo {
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Creates a key; returns the key itself, which is not stored and cannot be shown again. */
export async function addApiKey(db: Db, name: string, now = new Date()): Promise<{ name: string; key: string }> {
  if (!API_KEY_NAME.test(name)) throw new ApiKeyError('API_KEY_NAME_INVALID', 'name: lower-case letters, digits, "-" or "_", at most 40');
  if (await db.apiKey.findUnique({ where: { name } })) throw new ApiKeyError('API_KEY_NAME_TAKEN', `a key named "${name}" exists (revoked keys keep their name)`);
  const key = `lpr_${randomBytes(KEY_BYTES).toString('base64url')}`;
  await db.apiKey.create({ data: { id: newId(), name, keyHash: hashApiKey(key), prefix: key.slice(0, SHOWN_PREFIX_LENGTH), createdAt: now } });
  return { name, key };
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  return db.apiKey.findMany({ orderBy: { createdAt: 'asc' }, select: { name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true } });
}

export async function revokeApiKey(db: Db, name: string, now = new Date()): Promise<void> {
  const updated = await db.apiKey.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: now } });
  if (updated.count === 0) throw new ApiKeyError('API_KEY_NOT_FOUND', `no active key named "${name}"`);
}

/** The name of the active key `key` is, or undefined (unknown or revoked). Records when it was last used. */
export async function authenticateApiKey(db: Db, key: string, now = new Date()): Promise<string | undefined> {
  if (!key) return undefined;
  const row = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, select: { id: true, name: true, revokedAt: true } });
  if (!row || row.revokedAt) return undefined;
  await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return row.name;
}
