import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, sqliteDirect, type Db } from '../db/client.ts';
import { ConversationConflictError, loadConversation, loadForMessage, saveConversation } from '../db/conversations.ts';
import { freshDatabase } from './helpers/test-app.ts';

let db: Db | undefined;
let dir: string | undefined;
afterEach(async () => {
  await db?.$disconnect();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  db = undefined;
});

async function open(): Promise<Db> {
  const fresh = freshDatabase();
  dir = fresh.dir;
  db = await openDatabase(fresh.databaseUrl);
  return db;
}

describe('the SQLite fast path for conversations (db/sqlite-direct.ts)', () => {
  it('is used on SQLite', async () => {
    expect(sqliteDirect(await open())).toBeDefined();
  });

  it('waits for an open Prisma transaction instead of joining it (its rollback does not take our write along)', async () => {
    const db = await open();
    let entered!: () => void;
    let finish!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const prismaTx = db.$transaction(async (tx) => {
      await tx.conversation.create({ data: { key: 'tg:rolled-back', flow: 'citizen', state: { step: 'x' }, version: 1 } });
      entered();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    let saved = false;
    const save = saveConversation(db, 'tg:kept', 'citizen', { step: 'location' }, 0, 'm-1').then(() => (saved = true));
    await sleep(30);
    expect(saved).toBe(false);
    finish();
    await expect(prismaTx).rejects.toThrow('roll back');
    await save;
    expect(await db.conversation.findUnique({ where: { key: 'tg:rolled-back' } })).toBeNull();
    const kept = await db.conversation.findUniqueOrThrow({ where: { key: 'tg:kept' } });
    expect(kept.state).toEqual({ step: 'location' });
  });

  it('writes what Prisma reads back (JSON, DateTime) and honours versions and message ids', async () => {
    const db = await open();
    const before = Date.now();
    await saveConversation(db, 'tg:1', 'citizen', { step: 'location', draft: { description: 'Jalan “rusak” \u{1F573}' } }, 0, 'a');
    const row = await db.conversation.findUniqueOrThrow({ where: { key: 'tg:1' } });
    expect(row.version).toBe(1);
    expect(row.state).toEqual({ step: 'location', draft: { description: 'Jalan “rusak” \u{1F573}' } });
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    const processed = await db.processedMessage.findFirstOrThrow({ where: { conversationKey: 'tg:1' } });
    expect(processed.processedAt.getTime()).toBeGreaterThanOrEqual(before - 1);

    await expect(saveConversation(db, 'tg:1', 'citizen', {}, 0, 'b')).rejects.toBeInstanceOf(ConversationConflictError);
    await expect(saveConversation(db, 'tg:1', 'citizen', {}, 5, 'b')).rejects.toBeInstanceOf(ConversationConflictError);
    // Same message id again: a conflict, and the version did not move (the transaction rolled back).
    await expect(saveConversation(db, 'tg:1', 'citizen', {}, 1, 'a')).rejects.toBeInstanceOf(ConversationConflictError);
    expect((await loadConversation(db, 'tg:1', () => ({}))).version).toBe(1);

    const loaded = await loadForMessage(db, 'tg:1', 'a', () => ({}));
    expect(loaded).toMatchObject({ processed: true, version: 1 });
    expect(await loadForMessage(db, 'tg:new', 'a', () => ({ fresh: true }))).toEqual({ state: { fresh: true }, version: 0, processed: false });
  });

  it('reads rows Prisma wrote', async () => {
    const db = await open();
    await db.conversation.create({ data: { key: 'tg:2', flow: 'citizen', state: { step: 'photo' }, version: 7 } });
    expect(await loadConversation(db, 'tg:2', () => ({}))).toEqual({ state: { step: 'photo' }, version: 7 });
  });
});
