import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, postgresDirect, type Db } from '../db/client.ts';
import { ConversationConflictError, loadForMessage, saveConversation } from '../db/conversations.ts';
import { findActiveAdmin } from '../db/admins.ts';
import { citizenIdForKey } from '../db/citizens.ts';
import { findDuplicateCandidates } from '../db/find-duplicate-candidates.ts';
import { describePostgres, freshPostgresDatabase, type PostgresTestDatabase } from './helpers/postgres.ts';

/**
 * PostgreSQL's hot path (db/postgres-direct.ts) writes and reads exactly what Prisma does, and keeps the
 * guarantees of the Prisma path it replaced: a stale version or an already-processed message id changes nothing.
 */
describePostgres('PostgreSQL hot path: plain pg statements on Prisma’s pool', () => {
  let database: PostgresTestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshPostgresDatabase();
    db = await openDatabase(database.url);
  });
  afterEach(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('is used for a PostgreSQL client only', () => {
    expect(postgresDirect(db)).toBeDefined();
  });

  it('saves a conversation as Prisma reads it: JSON state, UTC timestamps, version, processed mark', async () => {
    const before = Date.now();
    await saveConversation(db, 'tg:1', 'citizen', { step: 'location', draft: { description: 'Jalan rusak' } }, 0, 'm1');
    const row = await db.conversation.findUniqueOrThrow({ where: { key: 'tg:1' } });
    expect(row.state).toEqual({ step: 'location', draft: { description: 'Jalan rusak' } });
    expect(row.version).toBe(1);
    expect(row.flow).toBe('citizen');
    // Stored in UTC like Prisma's own writes: read back through Prisma it is the moment it was saved.
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.updatedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const mark = await db.processedMessage.findUniqueOrThrow({ where: { conversationKey_messageId: { conversationKey: 'tg:1', messageId: 'm1' } } });
    expect(Math.abs(mark.processedAt.getTime() - row.updatedAt.getTime())).toBeLessThan(1000);

    const loaded = await loadForMessage(db, 'tg:1', 'm2', () => ({ step: 'new' }));
    expect(loaded).toEqual({ state: { step: 'location', draft: { description: 'Jalan rusak' } }, version: 1, processed: false });
    expect((await loadForMessage(db, 'tg:1', 'm1', () => ({}))).processed).toBe(true);
    expect(await loadForMessage(db, 'tg:none', 'm1', () => ({ step: 'new' }))).toEqual({ state: { step: 'new' }, version: 0, processed: false });

    await saveConversation(db, 'tg:1', 'citizen', { step: 'photo' }, 1, 'm2');
    expect((await db.conversation.findUniqueOrThrow({ where: { key: 'tg:1' } })).version).toBe(2);
  });

  it('a stale version is a conflict and marks nothing', async () => {
    await saveConversation(db, 'tg:2', 'citizen', { step: 'a' }, 0, 'm1');
    await expect(saveConversation(db, 'tg:2', 'citizen', { step: 'b' }, 0, 'm2')).rejects.toBeInstanceOf(ConversationConflictError);
    await expect(saveConversation(db, 'tg:2', 'citizen', { step: 'b' }, 5, 'm2')).rejects.toBeInstanceOf(ConversationConflictError);
    expect((await db.conversation.findUniqueOrThrow({ where: { key: 'tg:2' } })).state).toEqual({ step: 'a' });
    expect(await db.processedMessage.count({ where: { conversationKey: 'tg:2' } })).toBe(1);
  });

  it('a message id another process already marked is a conflict, and the state change is rolled back with it', async () => {
    await saveConversation(db, 'tg:3', 'citizen', { step: 'a' }, 0, 'm1');
    await db.processedMessage.create({ data: { conversationKey: 'tg:3', messageId: 'm2' } });
    await expect(saveConversation(db, 'tg:3', 'citizen', { step: 'b' }, 1, 'm2')).rejects.toBeInstanceOf(ConversationConflictError);
    const row = await db.conversation.findUniqueOrThrow({ where: { key: 'tg:3' } });
    expect(row.state).toEqual({ step: 'a' });
    expect(row.version).toBe(1);
  });

  it('finds an active admin and a citizen by chat as the Prisma queries did', async () => {
    await db.admin.create({ data: { id: 'a1', name: 'Budi', role: 'instansi', conversationKey: 'tg:900' } });
    await db.admin.create({ data: { id: 'a2', name: 'Lama', role: 'instansi', conversationKey: 'tg:901', removedAt: new Date() } });
    expect(await findActiveAdmin(db, 'tg:900')).toEqual({ id: 'a1', name: 'Budi', role: 'instansi', opdCode: null, unitCode: null, conversationKey: 'tg:900' });
    expect(await findActiveAdmin(db, 'tg:901')).toBeNull();
    await db.citizen.create({ data: { id: 'c1', name: 'Ani', identities: { create: { conversationKey: 'tg:5', channel: 'tg' } } } });
    expect(await citizenIdForKey(db, 'tg:5')).toBe('c1');
    expect(await citizenIdForKey(db, 'tg:6')).toBeNull();
  });

  it('duplicate candidates: open, not merged, not the asking chat’s own, with submittedAt as stored', async () => {
    const opd = await db.opd.create({ data: { code: 'DPUPR', name: 'Dinas Pekerjaan Umum', scope: 'jalan', keywords: [] } });
    const submittedAt = new Date(Date.now() - 3 * 86_400_000);
    await db.citizen.create({ data: { id: 'r1', name: 'Warga', identities: { create: { conversationKey: 'tg:10', channel: 'tg' } } } });
    const base = { description: 'Jalan berlubang', opdCode: opd.code, kelurahan: 'Sumbersari', latitude: -7.96, longitude: 112.61, reporterId: 'r1', submittedAt, privacy: 'biasa', reportKind: 'pengaduan', channel: 'tg' };
    await db.case.create({ data: { ...base, id: 'k1', intakeKey: 'i-k1', trackingId: 'LPR-AAAAA2', status: 'menunggu_verifikasi', conversationKey: 'tg:10' } });
    await db.case.create({ data: { ...base, id: 'k2', intakeKey: 'i-k2', trackingId: 'LPR-AAAAA3', status: 'menunggu_verifikasi', conversationKey: 'tg:11' } });
    await db.case.create({ data: { ...base, id: 'k3', intakeKey: 'i-k3', trackingId: 'LPR-AAAAA4', status: 'menunggu_verifikasi', conversationKey: 'tg:12', mergedIntoId: 'k2' } });
    await db.case.create({ data: { ...base, id: 'k4', intakeKey: 'i-k4', trackingId: 'LPR-AAAAA5', status: 'selesai', conversationKey: 'tg:13' } });
    const found = await findDuplicateCandidates(db, {
      openStatuses: ['menunggu_verifikasi'],
      opdCode: opd.code,
      latitude: -7.96,
      longitude: 112.61,
      kelurahan: 'Sumbersari',
      excludeConversationKey: 'tg:10',
    });
    expect(found.map((c) => c.trackingId)).toEqual(['LPR-AAAAA3']);
    expect(found[0].submittedAt.getTime()).toBe(submittedAt.getTime());
    expect(found[0]).toMatchObject({ id: 'k2', description: 'Jalan berlubang', opdCode: opd.code, latitude: -7.96, longitude: 112.61, kelurahan: 'Sumbersari' });
  });
});
