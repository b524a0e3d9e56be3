import type { PoolConfig } from 'pg';

/** Connections in Prisma's pool when the URL does not say (pg's own default). */
export const DEFAULT_POOL_SIZE = 10;
/** Upper bound: PostgreSQL's default max_connections is 100, shared by every process of the bot. */
export const MAX_POOL_SIZE = 100;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

export class PostgresUrlError extends Error {
  readonly code = 'POSTGRES_URL_INVALID';
}

/**
 * pg's pool settings for a DATABASE_URL. `connection_limit` (Prisma's name for it) sets the pool size; every other
 * parameter (sslmode, application_name, …) is pg's own and stays in the connection string.
 */
export function postgresPoolConfig(url: string, fallbackPoolSize = DEFAULT_POOL_SIZE): PoolConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PostgresUrlError('DATABASE_URL is not a valid postgresql:// URL');
  }
  const limit = parsed.searchParams.get('connection_limit');
  parsed.searchParams.delete('connection_limit');
  let max = fallbackPoolSize;
  if (limit !== null) {
    max = Number(limit);
    if (!Number.isInteger(max) || max < 1 || max > MAX_POOL_SIZE) {
      throw new PostgresUrlError(`connection_limit must be a whole number from 1 to ${MAX_POOL_SIZE}`);
    }
  }
  return { connectionString: parsed.toString(), max, application_name: parsed.searchParams.get('application_name') ?? 'lapor-bot' };
}

/** The URL of another database on the same server (tests create and drop databases next to the given one). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
