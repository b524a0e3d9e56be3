import { applyMigrations } from './migrate.ts';
import { applyPostgresMigrations, type MigrationResult } from './migrate-postgres.ts';
import { isPostgresUrl } from './postgres-url.ts';

/**
 * Brings DATABASE_URL's database up to date, whichever provider it is: db/migrations through
 * `prisma migrate deploy` on SQLite (db/migrate.ts), db/postgres/migrations through db/migrate-postgres.ts on
 * PostgreSQL. The one call start-up and `npm run migrate` need.
 */
export async function migrateDatabase(databaseUrl: string | undefined): Promise<{ provider: 'sqlite' | 'postgresql' } & Partial<MigrationResult>> {
  if (databaseUrl && isPostgresUrl(databaseUrl)) return { provider: 'postgresql', ...(await applyPostgresMigrations(databaseUrl.trim())) };
  await applyMigrations(databaseUrl);
  return { provider: 'sqlite' };
}
