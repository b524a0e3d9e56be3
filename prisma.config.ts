import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { resolveDatabaseUrl } from './lib/database-url.ts';
import { isPostgresUrl } from './db/postgres-url.ts';

// engine "js" + a driver adapter keeps every Prisma CLI command offline (no schema-engine download);
// see DESIGN.md, "Choices already made".
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('db', 'schema.prisma'),
  migrations: { path: path.join('db', 'migrations') },
  async adapter() {
    // This configuration is SQLite's. PostgreSQL migrates with db/migrate-postgres.ts: the CLI through
    // @prisma/adapter-pg fails (prisma/orm#27403), and without this check it would create a SQLite file named
    // after the URL.
    if (isPostgresUrl(process.env.DATABASE_URL ?? '')) {
      throw new Error(
        'DATABASE_URL is a PostgreSQL URL: run `npm run migrate` (db/migrate-postgres.ts) instead of the Prisma CLI; see docs/deploy.md',
      );
    }
    return new PrismaBetterSQLite3({ url: resolveDatabaseUrl(process.env.DATABASE_URL) });
  },
});
