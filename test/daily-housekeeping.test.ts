import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { createScheduler } from '../bot/scheduler.ts';
import { storeAttachment } from '../bot/store-attachment.ts';
import { ORPHAN_GRACE_MS } from '../db/orphan-attachments.ts';
import { TINY_JPEG } from './helpers/images.ts';

// Issue 12 #6 and #14: the daily job prunes what only grows (RETENTION_DAYS) and deletes photo files nothing
// refers to; both modules existed, nothing ran them.

const DAY_MS = 24 * 60 * 60 * 1000;

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

describe('the daily job keeps house', () => {
  it('prunes sent notifications and handled-message ids past RETENTION_DAYS and deletes orphan photo files', async () => {
    app = await createTestApp({ env: { RETENTION_DAYS: '30' } });
    const now = new Date();
    const old = new Date(now.getTime() - 45 * DAY_MS);
    await app.db.outboxMessage.create({ data: { id: 'old-sent', conversationKey: 'tg:1', channel: 'tg', payload: { text: 'Nama pelapor: Rudi' }, status: 'sent', sentAt: old, createdAt: old } });
    await app.db.outboxMessage.create({ data: { id: 'recent-sent', conversationKey: 'tg:1', channel: 'tg', payload: { text: 'baru' }, status: 'sent', sentAt: now } });
    await app.db.outboxMessage.create({ data: { id: 'old-pending', conversationKey: 'tg:1', channel: 'tg', payload: { text: 'menunggu' }, createdAt: old } });
    await app.db.processedMessage.create({ data: { conversationKey: 'tg:1', messageId: 'm-old', processedAt: old } });
    await app.db.processedMessage.create({ data: { conversationKey: 'tg:1', messageId: 'm-new', processedAt: now } });
    const orphan = await storeAttachment(app.dir, TINY_JPEG);
    const past = new Date(now.getTime() - ORPHAN_GRACE_MS - 60_000);
    fs.utimesSync(path.join(app.dir, orphan.path), past, past);
    const fresh = await storeAttachment(app.dir, TINY_JPEG);

    const scheduler = createScheduler(app, () => now);
    const result = await scheduler.runNow();

    expect(result?.pruned).toMatchObject({ processedMessages: 1, outboxDeleted: 1 });
    expect(result?.orphans).toMatchObject({ deleted: 1 });
    expect((await app.db.outboxMessage.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['old-pending', 'recent-sent']);
    expect((await app.db.processedMessage.findMany({ select: { messageId: true } })).map((r) => r.messageId)).toEqual(['m-new']);
    expect(fs.existsSync(path.join(app.dir, orphan.path))).toBe(false);
    expect(fs.existsSync(path.join(app.dir, fresh.path))).toBe(true);
  });
});
