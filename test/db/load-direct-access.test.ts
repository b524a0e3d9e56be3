import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, sqliteDirect, type Db } from '../../db/client.ts';
import { ConversationConflictError, isProcessed, loadConversation, loadForMessage, saveConversation } from '../../db/conversations.ts';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../db/generated/prisma/client.ts';
import { fileCase } from '../../cases/file-case.ts';
import { WorkingCalendar } from '../../lib/working-days.ts';
import { loadCityProfile } from '../../lib/city-profile.ts';
import { seedCityProfile } from '../../db/seed-city.ts';
import type { IntakeDraft } from '../../flows/types.ts';
import { freshDatabase } from '../helpers/test-app.ts';
import type { SqliteDirectAccess } from '../../db/sqlite-direct.ts';

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
    // The save queues behind the Prisma transaction's hold on the connection, and stays there until it ends.
    const lock = (sqliteDirect(db) as SqliteDirectAccess).lock;
    await vi.waitFor(() => expect(lock.waiting).toBe(1));
    expect(saved).toBe(false);
    finish();
    await expect(prismaTx).rejects.toThrow('roll back');
    await save;
    expect(await db.conversation.findUnique({ where: { key: 'tg:rolled-back' } })).toBeNull();
    const kept = await db.conversation.findUniqueOrThrow({ where: { key: 'tg:kept' } });
    expect(kept.state).toEqual({ step: 'location' });
  });

  it('a read with the root client inside a transaction callback does not wait for that transaction', async () => {
    const db = await open();
    const started = Date.now();
    await db.$transaction(async (tx) => {
      await tx.conversation.create({ data: { key: 'tg:inner', flow: 'citizen', state: { step: 'menu' }, version: 3 } });
      // Same connection: the read sees the transaction's own write, as a plain Prisma read always did.
      expect(await loadConversation(db, 'tg:inner', () => ({}))).toEqual({ state: { step: 'menu' }, version: 3 });
      expect((await loadForMessage(db, 'tg:inner', 'x', () => ({}))).processed).toBe(false);
    });
    expect(Date.now() - started).toBeLessThan(2_000);
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

describe('the portable Prisma path (what PostgreSQL runs) behaves like the SQLite fast path', () => {
  const profile = loadCityProfile('malang');
  const calendar = WorkingCalendar.fromProfile(profile);
  const draft: IntakeDraft = {
    description: "Jalan rusak, kata 'Pak RT' \"parah\"",
    locationText: 'Jl. Sumbersari 10',
    latitude: -7.95,
    longitude: 112.61,
    kelurahan: 'Sumbersari',
    kecamatan: 'Lowokwaru',
    photos: [{ kind: 'photo', path: 'media/a.jpg', mime: 'image/jpeg', size: 1234 }],
    privacy: 'anonim',
    classification: { reportKind: 'pengaduan', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', confidence: 0.42, reason: 'kata jalan', classifier: 'keyword', latencyMs: 1.6 },
  };

  async function exercise(client: Db) {
    await seedCityProfile(client, profile);
    await saveConversation(client, 'tg:1', 'citizen', { step: 'confirm' }, 0, 'a');
    await saveConversation(client, 'tg:1', 'citizen', { step: 'idle' }, 1, 'b');
    await expect(saveConversation(client, 'tg:1', 'citizen', {}, 1, 'c')).rejects.toBeInstanceOf(ConversationConflictError);
    await expect(saveConversation(client, 'tg:1', 'citizen', {}, 2, 'b')).rejects.toBeInstanceOf(ConversationConflictError);
    const loaded = await loadForMessage(client, 'tg:1', 'b', () => ({}));
    const processed = await isProcessed(client, 'tg:1', 'a');
    const now = new Date('2026-03-02T03:00:00Z');
    const request = { intakeKey: 'tg:1#1', conversationKey: 'tg:1', channel: 'tg' as const, sender: { name: 'Ani', phone: '62811' }, language: 'id', draft, now };
    const first = await fileCase({ db: client, calendar }, request);
    const again = await fileCase({ db: client, calendar }, request);
    const stored = await client.case.findUniqueOrThrow({ where: { id: first.id }, include: { events: true, attachments: true, reporter: { include: { identities: true } } } });
    const { id, trackingId, reporterId, createdAt, updatedAt, ...caseFields } = stored;
    return {
      loaded,
      processed,
      first: { created: first.created },
      again: { created: again.created, same: again.id === first.id },
      caseFields: { ...caseFields, events: stored.events.map(({ id: _, caseId: __, actorId: ___, ...e }) => e), attachments: stored.attachments.map((a) => a.path), reporter: { name: stored.reporter.name, identities: stored.reporter.identities.map((i) => [i.conversationKey, i.phone]) } },
      times: [createdAt.getTime(), updatedAt.getTime()],
      ids: [id.length, trackingId.length, reporterId.length],
    };
  }

  it('same rows, same answers, same conflicts', async () => {
    const fast = await open();
    expect(sqliteDirect(fast)).toBeDefined();
    const other = freshDatabase();
    const plain = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: other.databaseUrl.replace(/^file:/, '') }) });
    try {
      expect(sqliteDirect(plain)).toBeUndefined();
      const a = await exercise(fast);
      const b = await exercise(plain);
      expect(b).toEqual(a);
      expect(a.caseFields.verifyDueAt?.getTime()).toBe(calendar.addWorkingDays(new Date('2026-03-02T03:00:00Z'), 3).getTime());
      expect(a.caseFields.lowConfidence).toBe(true);
      expect(a.times).toEqual([new Date('2026-03-02T03:00:00Z').getTime(), new Date('2026-03-02T03:00:00Z').getTime()]);
    } finally {
      await plain.$disconnect();
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
