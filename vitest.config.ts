import { defineConfig } from 'vitest/config';

/**
 * The database tests (they run the app, test/helpers/test-app.ts): the "postgresql" project runs them again on
 * PostgreSQL, each test on its own database, when TEST_POSTGRES_URL is set (.ci/run starts a throwaway server).
 * Not here: the SQLite-specific ones (load-direct-access: the SQLite fast path itself; crash-restart: one SQLite
 * worker process; telegram-trust and file-permissions: a locked or a 0600 SQLite file; the instance lock), the
 * tests with no database, and the PostgreSQL-only tests (postgres-*, bot-processes), which run in the sqlite
 * project when TEST_POSTGRES_URL is set (describePostgres).
 */
export const POSTGRES_APP_TESTS = [
  'abuse-flood',
  'abuse-input',
  'access-settled',
  'admin-anonymity',
  'admin-authorization',
  'admin-inbox',
  'emergencies-merges',
  'admin-units-wiring',
  'admin-units',
  'attachment-cleanup',
  'case-for-alert',
  'channel-contract',
  'csv-formula',
  'daily-job-once',
  'daily-jobs',
  'duplicates',
  'engine',
  'http-open311',
  'http-pages',
  'http-public-data',
  'intake-extras',
  'integration-lifecycle-reports',
  'leased-channel',
  'lifecycle-e2e',
  'lifecycle-outbox',
  'logs-privacy',
  'logs-privacy-channels',
  'outbox-claims',
  'admin-keys',
  'message-length-paths',
  'nlp-llm-classifier',
  'property-flows',
  'reminder-jobs',
  'report-export',
  'report-monthly',
  'report-statistik',
  'retention-prune',
  'statistik',
  'telegram-conversation',
  'telegram-crowd',
  'telegram-delivery',
  'telegram-e2e',
  'terminal-notify',
  'unit-routing-filing',
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
