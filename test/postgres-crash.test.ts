import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/client.ts';
import { CHILD_TEST_TIMEOUT_MS } from './helpers/child-process.ts';
import { expectEveryCitizenFiledOnce, startLoadWorker as startWorker } from './helpers/load-worker-process.ts';
import { describePostgres, freshPostgresDatabase, type PostgresTestDatabase } from './helpers/postgres.ts';

/**
 * Several bot processes on one PostgreSQL database, one killed mid-load (issue 16). Every process is given every
 * citizen's every message, as a load balancer with redelivery would at its worst: the same chat's messages reach
 * three processes at once, so the cross-process conversation lock, the processed-message check and the outbox
 * claims all have to hold. The worker is the SQLite crash test's (test/fixtures/load-worker.ts): each process files
 * through the engine and delivers its outbox to a fake platform that appends to one shared log.
 */
const PROCESSES = 3;
/** Small enough for a two-core CI machine, big enough that the kill lands mid-load. */
const CITIZENS = 90;
const KILL_AFTER_FILED = 15;

describePostgres('crash test on PostgreSQL: three bot processes on one database, one SIGKILLed mid-load', () => {
  let database: PostgresTestDatabase | undefined;
  let db: Db | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-pgcrash-'));
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses and duplicates no case, keeps every conversation consistent and delivers every notification once', { timeout: CHILD_TEST_TIMEOUT_MS }, async () => {
    database = await freshPostgresDatabase();
    const deliveryLog = path.join(dir, 'deliveries.jsonl');
    const env = { DATABASE_URL: database.url, DATA_DIR: dir, DELIVERY_LOG: deliveryLog, CITIZENS: String(CITIZENS), CONCURRENCY: '12' };
    const workers = Array.from({ length: PROCESSES }, () => startWorker(env));
    const [victim, ...survivors] = workers;
    // Kill once the load is well under way (filings seen by any process), not at a fixed time.
    await Promise.race(workers.map((w) => w.waitFor(() => workers.reduce((n, x) => n + x.filed.length, 0) >= KILL_AFTER_FILED)));
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    // The survivors finish every citizen's intake (they were given every message) and empty the outbox.
    for (const w of survivors) {
      await w.waitFor(() => w.done);
      expect((await w.exited).code).toBe(0);
    }

    db = await openDatabase(database.url);
    const cases = await expectEveryCitizenFiledOnce(db, CITIZENS);

    // Each filing reply reached the citizen from exactly one process (the others found the message processed).
    const filedReplies = workers.flatMap((w) => w.filed);
    expect(new Set(filedReplies).size).toBe(filedReplies.length);

    // One notification per case, sent; as the citizen sees it, once each. At most one repeat: the killed process
    // may have died between the platform taking a message and recording it sent (at-least-once beats lost).
    const outbox = await db.outboxMessage.findMany({ select: { caseId: true, status: true } });
    expect(outbox).toHaveLength(CITIZENS);
    expect(outbox.filter((m) => m.status !== 'sent')).toEqual([]);
    const delivered = fs
      .readFileSync(deliveryLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { conversationKey: string; caseRef: string });
    expect(new Set(delivered.map((d) => d.caseRef))).toEqual(new Set(cases.map((c) => c.trackingId)));
    for (const d of delivered) expect(cases.find((c) => c.trackingId === d.caseRef)?.conversationKey).toBe(d.conversationKey);
    expect(delivered.length - CITIZENS, 'notifications sent more than once').toBeLessThanOrEqual(1);
  });
});
