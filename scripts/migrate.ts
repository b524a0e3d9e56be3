import { loadConfig } from '../lib/config.ts';
import { applyMigrations } from '../db/migrate.ts';
import { applyPostgresMigrations } from '../db/migrate-postgres.ts';
import { isPostgresUrl } from '../db/postgres-url.ts';
import { parseOptions, runCli } from './cli.ts';

const USAGE = `Usage: npm run migrate

  Brings the database in DATABASE_URL up to date: db/migrations with \`prisma migrate deploy\` on SQLite,
  db/postgres/migrations with db/migrate-postgres.ts on PostgreSQL (docs/deploy.md explains why not Prisma's CLI).`;

/** `npm run migrate`: the same migrations `npm start` applies, for a deployment that runs them as a separate step. */
async function main(): Promise<void> {
  parseOptions({});
  const { DATABASE_URL } = loadConfig();
  if (isPostgresUrl(DATABASE_URL)) {
    const { applied, modified } = await applyPostgresMigrations(DATABASE_URL);
    for (const name of modified) process.stderr.write(`warning: migration ${name} changed after it was applied\n`);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'PostgreSQL database is up to date\n');
    return;
  }
  applyMigrations(DATABASE_URL);
  process.stdout.write('SQLite database is up to date\n');
}

runCli('Migration', USAGE, main);
