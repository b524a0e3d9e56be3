import path from 'node:path';
import { ensurePrivateDatabaseFile } from '../lib/private-files.ts';

export const DEFAULT_DATABASE_URL = 'file:./data/lapor.db';

/**
 * Turns DATABASE_URL into what the better-sqlite3 adapter expects and makes sure the folder (0700) and the file
 * (0600, with its -wal/-shm tightened too) exist, so a fresh clone works with no configuration and the database,
 * which holds the WhatsApp session keys, is readable by the service user only.
 */
export function resolveDatabaseUrl(url: string | undefined): string {
  const value = url && url.trim() !== '' ? url.trim() : DEFAULT_DATABASE_URL;
  if (value === ':memory:' || value === 'file::memory:') return ':memory:';
  const file = value.startsWith('file:') ? value.slice('file:'.length) : value;
  const absolute = path.resolve(file);
  ensurePrivateDatabaseFile(absolute);
  return absolute;
}
