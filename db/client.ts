import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { resolveDatabaseUrl } from '../lib/database-url.ts';
import { isPostgresUrl, postgresPoolConfig } from './postgres-url.ts';
import { SqliteDirectAccess, shareConnection, type SqliteDirect } from './sqlite-direct.ts';
import { PostgresDirectAccess, type PostgresDirect } from './postgres-direct.ts';

/**
 * The database client the rest of the code uses, whichever provider is behind it. Both clients are generated
 * from the same models (db/postgres/schema.prisma is generated from db/schema.prisma, test/postgres-schema.test.ts
 * keeps them in step), so their APIs are the same; TypeScript cannot compare two generated clients' generic method
 * types, so openPostgres casts and the checks below compare what can be compared: the models and their rows.
 */
export type Db = PrismaClient;
export { PrismaClient };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type SqliteModels = typeof import('./generated/prisma/client.ts');
type PostgresModels = typeof import('./generated/postgres/client.ts');
// A compile error here means the two generated clients drifted apart: run `npm run schema:postgres` and
// `npm run generate` (both clients).
export type ClientsAgree = [
  Assert<Same<keyof Db, keyof InstanceType<PostgresModels['PrismaClient']>>>,
  Assert<Same<keyof SqliteModels, keyof PostgresModels>>,
  Assert<Same<import('./generated/prisma/client.ts').Case, import('./generated/postgres/client.ts').Case>>,
  Assert<Same<import('./generated/prisma/client.ts').OutboxMessage, import('./generated/postgres/client.ts').OutboxMessage>>,
  Assert<Same<import('./generated/prisma/client.ts').Conversation, import('./generated/postgres/client.ts').Conversation>>,
  Assert<Same<import('./generated/prisma/client.ts').Lease, import('./generated/postgres/client.ts').Lease>>,
];

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseInfo {
  provider: DatabaseProvider;
  /** The URL it was opened with (PostgreSQL only: the primitives in db/ open their own connections with it). */
  url?: string;
}

const databases = new WeakMap<Db, DatabaseInfo>();

/**
 * Opens the database through a driver adapter (no Prisma engine binary needed): PostgreSQL for a
 * postgresql:// or postgres:// URL (@prisma/adapter-pg), else a SQLite file (@prisma/adapter-better-sqlite3).
 */
export async function openDatabase(databaseUrl?: string): Promise<Db> {
  if (databaseUrl && isPostgresUrl(databaseUrl)) return openPostgres(databaseUrl.trim());
  return openSqlite(databaseUrl);
}

async function openPostgres(url: string): Promise<Db> {
  // Loaded only for PostgreSQL: the second generated client and pg would add to every SQLite process's start-up.
  const [{ PrismaPg }, { PrismaClient: PostgresPrismaClient }, { default: pg }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('./generated/postgres/client.ts'),
    import('pg'),
  ]);
  // One pool for Prisma and the hot path's plain queries (db/postgres-direct.ts), so the connection limit in the
  // URL bounds both; Prisma ends it on $disconnect.
  const pool = new pg.Pool(postgresPoolConfig(url));
  const db = new PostgresPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as unknown as Db;
  databases.set(db, { provider: 'postgresql', url });
  postgresAccess.set(db, new PostgresDirectAccess(pool));
  // Fail at start-up, with the server's message, rather than on the first citizen's message.
  await db.$queryRawUnsafe('SELECT 1');
  return db;
}

async function openSqlite(databaseUrl: string | undefined): Promise<Db> {
  const url = resolveDatabaseUrl(databaseUrl);
  const direct = new SqliteDirectAccess();
  const db = new PrismaClient({ adapter: shareConnection(new PrismaBetterSQLite3({ url }), direct) });
  directAccess.set(db, direct);
  databases.set(db, { provider: 'sqlite' });
  // WAL lets readers work while a write commits; a busy timeout turns brief lock waits into waits, not errors.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}

/** Which provider a client opened by openDatabase talks to (SQLite for any other client, as before). */
export function databaseInfo(db: Db): DatabaseInfo {
  return databases.get(db) ?? { provider: 'sqlite' };
}

const directAccess = new WeakMap<Db, SqliteDirectAccess>();

/**
 * The synchronous fast path on the connection this client uses (db/sqlite-direct.ts), or undefined for a client
 * not opened by openDatabase on SQLite (e.g. PostgreSQL), whose callers use Prisma instead.
 */
export function sqliteDirect(db: Db): SqliteDirect | undefined {
  const direct = directAccess.get(db);
  return direct?.attached ? direct : undefined;
}

const postgresAccess = new WeakMap<Db, PostgresDirectAccess>();

/** Plain queries on this PostgreSQL client's pool (db/postgres-direct.ts), or undefined for any other client. */
export function postgresDirect(db: Db): PostgresDirect | undefined {
  return postgresAccess.get(db);
}
