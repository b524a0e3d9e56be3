import { defineConfig } from 'vitest/config';

/**
 * The database tests (they run the app, test/helpers/test-app.ts): the "postgresql" project runs them again on
 * PostgreSQL, each test on its own database, when TEST_POSTGRES_URL is set (.ci/run starts a throwaway server).
 * Not here: load-direct-access (the SQLite fast path itself), crash-restart (a SQLite worker process; its
 * several-process PostgreSQL version comes with the outbox claims), and the tests with no database.
 */
export const POSTGRES_APP_TESTS = [
  'abuse-flood',
  'abuse-input',
  'admin-anonymity',
  'admin-authorization',
  'admin-inbox',
  'engine',
  'integration-lifecycle-reports',
  'lifecycle-e2e',
  'lifecycle-outbox',
  'logs-privacy',
  'logs-privacy-channels',
  'property-flows',
  'reminder-jobs',
  'report-export',
  'report-monthly',
  'report-statistik',
  'telegram-conversation',
  'telegram-crowd',
  'telegram-delivery',
  'telegram-e2e',
  'whatsapp-auth-store',
  'whatsapp-citizen',
  'whatsapp-jid',
  'whatsapp-rate',
  'whatsapp-reconnect',
].map((name) => `test/**/${name}.test.ts`);

const postgres = Boolean(process.env.TEST_POSTGRES_URL?.trim());

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on CI: more workers only add contention on SQLite and CPU.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(postgres
        ? [{ extends: true as const, test: { name: 'postgresql', include: POSTGRES_APP_TESTS, env: { TEST_DATABASE: 'postgresql' } } }]
        : []),
    ],
  },
});
