import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/**
 * Applies committed migrations with `prisma migrate deploy` (offline with the JS engine), so `npm start`
 * works on a fresh clone with no separate set-up step.
 */
export function applyMigrations(databaseUrl: string | undefined): void {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('prisma/build/index.js');
  const env = { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const result = spawnSync(process.execPath, [cli, 'migrate', 'deploy'], { cwd: ROOT, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new MigrationError(`Database migration failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}
