import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/client.ts';
import { freshDatabase } from './helpers/test-app.ts';
import { CHILD_TEST_TIMEOUT_MS } from './helpers/child-process.ts';
import { expectEveryCitizenFiledOnce, startLoadWorker as startWorker } from './helpers/load-worker-process.ts';
import { STEP_AFTER, citizenKey } from './fixtures/load-intake.ts';

/** Small enough for CI (a few seconds with two worker start-ups), big enough that the kill lands mid-load. */
const CITIZENS = 120;
const KILL_AFTER_FILED = 15;

describe('crash test: SIGKILL in the middle of load, restart on the same database', { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  const database = freshDatabase();
  const deliveryLog = path.join(database.dir, 'deliveries.jsonl');
  const env = { DATABASE_URL: database.databaseUrl, DATA_DIR: database.dir, DELIVERY_LOG: deliveryLog, CITIZENS: String(CITIZENS), CONCURRENCY: '16' };
  let db: Db | undefined;
  afterAll(async () => {
    await db?.$disconnect();
    fs.rmSync(database.dir, { recursive: true, force: true });
  });

  it('loses and duplicates nothing, resumes every conversation at its step and delivers every notification', async () => {
    const first = startWorker(env);
    await first.waitFor(() => first.filed.length >= KILL_AFTER_FILED);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    db = await openDatabase(database.databaseUrl);
    const casesAtKill = await db.case.count();
    expect(casesAtKill, 'the kill must land mid-load').toBeLessThan(CITIZENS);
    expect(casesAtKill).toBeGreaterThanOrEqual(KILL_AFTER_FILED);

    // Right after the crash: each conversation is exactly at the step its processed messages lead to.
    for (let i = 0; i < CITIZENS; i++) {
      const key = citizenKey(i);
      const processed = await db.processedMessage.count({ where: { conversationKey: key } });
      const conversation = await db.conversation.findUnique({ where: { key } });
      const step = (conversation?.state as { step?: string } | undefined)?.step;
      expect(step, `${key} after ${processed} messages`).toBe(STEP_AFTER[processed]);
      expect(conversation?.version ?? 0).toBe(processed);
    }
    await db.$disconnect();
    db = undefined;

    // The restarted process gets every message again (the platform redelivers) and finishes the load.
    const second = startWorker(env);
    await second.waitFor(() => second.done);
    expect((await second.exited).code).toBe(0);

    db = await openDatabase(database.databaseUrl);
    const cases = await expectEveryCitizenFiledOnce(db, CITIZENS);

    // One notification per case, every one sent; the fake platform saw each case at least once
    // (at-least-once: a kill between sending and recording "sent" repeats that one message).
    const outbox = await db.outboxMessage.findMany({ select: { caseId: true, status: true } });
    expect(outbox).toHaveLength(CITIZENS);
    expect(outbox.every((m) => m.status === 'sent')).toBe(true);
    expect(new Set(outbox.map((m) => m.caseId))).toEqual(new Set(cases.map((c) => c.id)));
    const delivered = fs
      .readFileSync(deliveryLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { conversationKey: string; caseRef: string });
    expect(new Set(delivered.map((d) => d.caseRef))).toEqual(new Set(cases.map((c) => c.trackingId)));
    for (const d of delivered) expect(cases.find((c) => c.trackingId === d.caseRef)?.conversationKey).toBe(d.conversationKey);
    expect(delivered.length - CITIZENS).toBeLessThanOrEqual(1);
  });
});
