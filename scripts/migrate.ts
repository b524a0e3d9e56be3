import { loadConfig } from '../lib/config.ts';
import { migrateDatabase } from '../db/migrate-database.ts';
import { parseOptions, runCli } from './cli.ts';

const USAGE = `Usage: npm run migrate

  Brings the database in DATABASE_URL up to date: db/migrations with \`prisma migrate deploy\` on SQLite,
  db/postgres/migrations with db/migrate-postgres.ts on PostgreSQL (docs/deploy.md explains why not Prisma's CLI).`;

/** `npm run migrate`: the same migrations `npm start` applies, for a deployment that runs them as a separate step. */
async function main(): Promise<void> {
  parseOptions({});
  const result = await migrateDatabase(loadConfig().DATABASE_URL);
  for (const name of result.modified ?? []) process.stderr.write(`warning: migration ${name} changed after it was applied\n`);
  if (result.applied?.length) process.stdout.write(`applied: ${result.applied.join(', ')}\n`);
  process.stdout.write(`${result.provider === 'postgresql' ? 'PostgreSQL' : 'SQLite'} database is up to date\n`);
}

runCli('Migration', USAGE, main);
