import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE, isPostgresUrl, postgresPoolConfig, PostgresUrlError, withDatabase } from '../db/postgres-url.ts';

describe('PostgreSQL URLs', () => {
  it('are told from SQLite ones by their scheme', () => {
    expect(isPostgresUrl('postgresql://bot@db/lapor')).toBe(true);
    expect(isPostgresUrl(' postgres://bot@db/lapor')).toBe(true);
    expect(isPostgresUrl('file:./data/lapor.db')).toBe(false);
    expect(isPostgresUrl('./postgresql.db')).toBe(false);
  });

  it('size the pool from connection_limit (Prisma\'s name), keeping every other parameter for pg', () => {
    const config = postgresPoolConfig('postgresql://bot:pw@db:5432/lapor?connection_limit=4&sslmode=require');
    expect(config.max).toBe(4);
    expect(config.connectionString).toBe('postgresql://bot:pw@db:5432/lapor?sslmode=require');
    expect(postgresPoolConfig('postgresql://bot@db/lapor').max).toBe(DEFAULT_POOL_SIZE);
    expect(postgresPoolConfig('postgresql://bot@db/lapor').application_name).toBe('lapor-bot');
  });

  it('refuse a pool size that is not a sensible whole number, naming the parameter', () => {
    for (const bad of ['0', '-1', '2.5', 'many', '1000']) {
      expect(() => postgresPoolConfig(`postgresql://bot@db/lapor?connection_limit=${bad}`)).toThrow(PostgresUrlError);
    }
    expect(() => postgresPoolConfig('postgresql://bot@db/lapor?connection_limit=0')).toThrow(/connection_limit/);
  });

  it('point at another database on the same server', () => {
    expect(withDatabase('postgresql://bot:pw@db:5432/postgres?sslmode=require', 'lapor_t1')).toBe('postgresql://bot:pw@db:5432/lapor_t1?sslmode=require');
  });
});
