import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOldRecords } from '../db/prune-retention.ts';
import { createTestApp, testConfig, type TestApp } from './helpers/test-app.ts';

// Issue 12 #14 (db part): handled-message ids and finished outbox rows (they hold message text) are pruned after
// RETENTION_DAYS.
const NOW = new Date('2026-11-30T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 60 * 60 * 1000);

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.cleanup();
});

async function outbox(row: { status: string; createdAt: Date; sentAt?: Date; dedupeKey?: string; text?: string }) {
  const id = randomUUID();
  await app.db.outboxMessage.create({
    data: {
      id,
      conversationKey: 'tg:424242',
      channel: 'tg',
      payload: { text: row.text ?? 'Laporan Anda LPR-ABCDEF sudah dijawab: jalan di depan rumah Bu Siti sudah ditambal' },
      status: row.status,
      createdAt: row.createdAt,
      sentAt: row.sentAt ?? null,
      dedupeKey: row.dedupeKey ?? null,
    },
  });
  return id;
}

describe('pruneOldRecords', () => {
  it('deletes old handled-message ids and finished outbox rows, keeps recent and unfinished ones', async () => {
    for (const [i, age] of [200, 91, 89, 1].entries()) {
      await app.db.processedMessage.create({ data: { conversationKey: 'tg:424242', messageId: `m${i}`, processedAt: daysAgo(age) } });
    }
    const oldSent = await outbox({ status: 'sent', createdAt: daysAgo(120), sentAt: daysAgo(100) });
    // Written long ago but sent recently (the platform was down): it ages from its sending.
    const lateSent = await outbox({ status: 'sent', createdAt: daysAgo(120), sentAt: daysAgo(10) });
    const recentSent = await outbox({ status: 'sent', createdAt: daysAgo(5), sentAt: daysAgo(5) });
    const oldUndeliverable = await outbox({ status: 'undeliverable', createdAt: daysAgo(95) });
    const oldFailed = await outbox({ status: 'failed', createdAt: daysAgo(95) });
    // Still due: never pruned, however old.
    const oldPending = await outbox({ status: 'pending', createdAt: daysAgo(300) });
    const oldSending = await outbox({ status: 'sending', createdAt: daysAgo(300) });
    // A scheduled notice's dedupe key must stay so it is never sent twice; its text goes.
    const oldReminder = await outbox({ status: 'sent', createdAt: daysAgo(100), sentAt: daysAgo(100), dedupeKey: 'summary:admin-1:2026-08-22' });

    const result = await pruneOldRecords(app.db, { retentionDays: 90, now: NOW });
    expect(result).toEqual({ processedMessages: 2, outboxDeleted: 3, outboxBlanked: 1 });

    const processed = await app.db.processedMessage.findMany({ orderBy: { messageId: 'asc' } });
    expect(processed.map((p) => p.messageId)).toEqual(['m2', 'm3']);
    const rows = await app.db.outboxMessage.findMany();
    const ids = new Set(rows.map((r) => r.id));
    for (const gone of [oldSent, oldUndeliverable, oldFailed]) expect(ids.has(gone)).toBe(false);
    for (const kept of [lateSent, recentSent, oldPending, oldSending, oldReminder]) expect(ids.has(kept)).toBe(true);
    const reminder = rows.find((r) => r.id === oldReminder)!;
    expect(JSON.stringify(reminder.payload)).not.toContain('Siti');
    expect(reminder.dedupeKey).toBe('summary:admin-1:2026-08-22');

    // A second run finds nothing more to do.
    expect(await pruneOldRecords(app.db, { retentionDays: 90, now: NOW })).toEqual({ processedMessages: 0, outboxDeleted: 0, outboxBlanked: 0 });
  });

  it('a shorter retention prunes more', async () => {
    await app.db.processedMessage.create({ data: { conversationKey: 'tg:434343', messageId: 'r1', processedAt: daysAgo(40) } });
    expect((await pruneOldRecords(app.db, { retentionDays: 90, now: NOW })).processedMessages).toBe(0);
    expect((await pruneOldRecords(app.db, { retentionDays: 30, now: NOW })).processedMessages).toBe(2);
  });

  it('RETENTION_DAYS defaults to 90 and refuses less than 30', () => {
    expect(testConfig().RETENTION_DAYS).toBe(90);
    expect(testConfig({ RETENTION_DAYS: '365' }).RETENTION_DAYS).toBe(365);
    expect(() => testConfig({ RETENTION_DAYS: '7' })).toThrow();
  });
});
