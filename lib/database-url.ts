import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/lapor.db';

/**
 * Turns DATABASE_URL into what the better-sqlite3 adapter expects and makes sure the folder exists,
 * so a fresh clone works with no configuration.
 */
export function resolveDatabaseUrl(url: string | undefined): string {
  const value = url && url.trim() !== '' ? url.trim() : DEFAULT_DATABASE_URL;
  if (value === ':memory:' || value === 'file::memory:') return ':memory:';
  const file = value.startsWith('file:') ? value.slice('file:'.length) : value;
  const absolute = path.resolve(file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  return absolute;
}
