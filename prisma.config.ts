import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { resolveDatabaseUrl } from './lib/database-url.ts';

// engine "js" + a driver adapter keeps every Prisma CLI command offline (no schema-engine download);
// see DESIGN.md, "Choices already made".
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('db', 'schema.prisma'),
  migrations: { path: path.join('db', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: resolveDatabaseUrl(process.env.DATABASE_URL) });
  },
});
