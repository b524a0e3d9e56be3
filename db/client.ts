import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { resolveDatabaseUrl } from '../lib/database-url.ts';
import { SqliteDirectAccess, shareConnection, type SqliteDirect } from './sqlite-direct.ts';

export type Db = PrismaClient;
export { PrismaClient };

/** Opens the database through the better-sqlite3 driver adapter (no Prisma engine binary needed). */
export async function openDatabase(databaseUrl?: string): Promise<Db> {
  const url = resolveDatabaseUrl(databaseUrl);
  const direct = new SqliteDirectAccess();
  const db = new PrismaClient({ adapter: shareConnection(new PrismaBetterSQLite3({ url }), direct) });
  directAccess.set(db, direct);
  // WAL lets readers work while a write commits; a busy timeout turns brief lock waits into waits, not errors.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}

const directAccess = new WeakMap<Db, SqliteDirectAccess>();

/**
 * The synchronous fast path on the connection this client uses (db/sqlite-direct.ts), or undefined for a client
 * not opened by openDatabase (e.g. PostgreSQL), whose callers use Prisma instead.
 */
export function sqliteDirect(db: Db): SqliteDirect | undefined {
  const direct = directAccess.get(db);
  return direct?.attached ? direct : undefined;
}
