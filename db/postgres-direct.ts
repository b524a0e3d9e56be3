import type pg from 'pg';

/**
 * Plain `pg` queries on the very pool Prisma's PostgreSQL adapter uses, for the per-message hot path
 * (db/conversations.ts). Through Prisma, even a `$queryRaw` costs 0.3–0.5 ms of CPU in its client and query
 * interpreter, and the save needed its own BEGIN/COMMIT round trips; here one named (server-side prepared)
 * statement per step costs a few tens of microseconds on both sides (figures in docs/load.md).
 *
 * Never used inside a Prisma interactive transaction: a query here takes another connection from the pool, so it
 * would not see or join that transaction. The hot path's statements are each atomic on their own. It lives as long
 * as its client: `$disconnect` ends the pool (disposeExternalPool), and a query after that fails with pg's error.
 */
export interface PostgresDirect {
  /** Runs a parameterised statement, prepared once per connection under `name`. */
  query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]>;
}

export class PostgresDirectAccess implements PostgresDirect {
  constructor(private readonly pool: pg.Pool) {}

  async query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    const result = await this.pool.query<R>({ name, text, values });
    return result.rows;
  }
}

/** How a DateTime is bound so `timestamp(3)` stores UTC, as Prisma's adapter does (the "Z" is ignored there). */
export function postgresTimestamp(date: Date): string {
  return date.toISOString();
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';
