import { OPEN_STATUSES } from '../domain/case-status.ts';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIdf,
  descriptionTerms,
  DUPLICATE_RADIUS_METERS,
  findSimilarCases,
  haversineMeters,
  isLikelyDuplicate,
  textSimilarity,
  type DuplicateSubject,
} from '../nlp/find-similar-cases.ts';
import { binaryReport } from '../nlp/binary-metrics.ts';
import { boundingBox, findDuplicateCandidates } from '../db/find-duplicate-candidates.ts';
import { openDatabase, PrismaClient, sqliteDirect, type Db } from '../db/client.ts';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { seedCityProfile } from '../db/seed-city.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { DUPLICATE_PAIRS, PAIRS_NOW } from './fixtures/duplicate-pairs.ts';
import { freshDatabase } from './helpers/test-app.ts';
import { insertCase } from './helpers/case-fixtures.ts';

const NOW = new Date('2026-11-20T03:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
/** A point `north` metres north of (and `east` metres east of) a spot on Jl. Ijen. */
const ijen = (north = 0, east = 0) => ({
  latitude: -7.9735 + north / 111_320,
  longitude: 112.6215 + east / (111_320 * Math.cos((-7.9735 * Math.PI) / 180)),
});

describe('duplicate rule on the hand-written pairs', () => {
  it('finds the same problem with precision and recall of at least 0.8', () => {
    expect(DUPLICATE_PAIRS.filter((p) => p.duplicate).length).toBeGreaterThanOrEqual(15);
    expect(DUPLICATE_PAIRS.filter((p) => !p.duplicate).length).toBeGreaterThanOrEqual(15);
    const idf = buildIdf(DUPLICATE_PAIRS.flatMap((p) => [descriptionTerms(p.draft.description), descriptionTerms(p.open.description)]));
    const report = binaryReport(DUPLICATE_PAIRS.map((p) => ({ gold: p.duplicate, predicted: isLikelyDuplicate(p.draft, p.open, { now: PAIRS_NOW, idf }).duplicate })));
    expect(report.precision).toBeGreaterThanOrEqual(0.8);
    expect(report.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('never matches the same street\'s other problem or a report too old', () => {
    for (const p of DUPLICATE_PAIRS.filter((x) => x.kind === 'same-street-other-problem' || x.kind === 'too-old')) {
      expect(isLikelyDuplicate(p.draft, p.open, { now: PAIRS_NOW }).duplicate, `${p.draft.description} ~ ${p.open.description}`).toBe(false);
    }
  });
});

describe('text similarity', () => {
  it('reads informal spellings as the same words', () => {
    expect(descriptionTerms('jln bolong2 di gg 5, got mampet')).toEqual(descriptionTerms('jalan berlubang di gang 5, saluran tersumbat'));
    expect(descriptionTerms('lampu mati di RW 3')).not.toEqual(descriptionTerms('lampu mati di RW 7'));
    expect(textSimilarity('jln bolong2 besar', 'jalan berlubang besar')).toBeCloseTo(1, 5);
  });

  it('is 0 for unrelated reports and for stopword-only text', () => {
    expect(textSimilarity('sampah menumpuk di tps', 'lampu lalu lintas mati')).toBe(0);
    expect(textSimilarity('tolong pak mohon segera', 'jalan berlubang')).toBe(0);
  });

  it('weighs rare words over common ones', () => {
    const corpus = ['jalan lubang', 'jalan lubang besar', 'jalan macet', 'jalan sempit', 'jembatan retak'].map(descriptionTerms);
    const idf = buildIdf(corpus);
    // "jalan" is everywhere, "jembatan retak" is specific.
    expect(textSimilarity('jalan macet', 'jalan lubang', idf)).toBeLessThan(textSimilarity('jembatan retak', 'jembatan retak parah', idf));
  });
});

describe('isLikelyDuplicate', () => {
  const road = (over: Partial<DuplicateSubject> = {}): DuplicateSubject => ({
    description: 'jalan berlubang',
    categoryCode: 'JALAN',
    opdCode: 'DPUPRPKP',
    kelurahan: 'Oro-oro Dowo',
    ...ijen(),
    submittedAt: daysAgo(3),
    ...over,
  });

  it('measures distance on the globe', () => {
    expect(haversineMeters(ijen(0), ijen(100))).toBeCloseTo(100, 0);
    expect(haversineMeters(ijen(0, 0), ijen(0, 100))).toBeCloseTo(100, 0);
  });

  it('counts the same category within 150 m, not beyond', () => {
    const draft = road({ description: 'aspal hancur', submittedAt: NOW });
    expect(isLikelyDuplicate(draft, road({ ...ijen(DUPLICATE_RADIUS_METERS - 2) }), { now: NOW })).toMatchObject({ duplicate: true, reason: 'nearby' });
    expect(isLikelyDuplicate(draft, road({ ...ijen(DUPLICATE_RADIUS_METERS + 2) }), { now: NOW }).duplicate).toBe(false);
  });

  it('needs the same OPD or category', () => {
    const draft = road({ submittedAt: NOW });
    expect(isLikelyDuplicate(draft, road({ categoryCode: 'SAMPAH', opdCode: 'DLH' }), { now: NOW }).duplicate).toBe(false);
    // Same OPD, other category, same words: still one problem.
    expect(isLikelyDuplicate(draft, road({ categoryCode: 'DRAINASE' }), { now: NOW }).duplicate).toBe(true);
  });

  it('uses kelurahan and text when coordinates are missing', () => {
    const draft = road({ latitude: null, longitude: null, description: 'jln bolong2 depan sd', submittedAt: NOW });
    expect(isLikelyDuplicate(draft, road({ description: 'jalan berlubang di depan SD negeri' }), { now: NOW })).toMatchObject({
      duplicate: true,
      reason: 'same_kelurahan_similar_text',
    });
    expect(isLikelyDuplicate(draft, road({ description: 'jalan berlubang di depan SD negeri', kelurahan: 'Bareng' }), { now: NOW }).duplicate).toBe(false);
    expect(isLikelyDuplicate(draft, road({ description: 'jembatan retak' }), { now: NOW }).duplicate).toBe(false);
  });

  it('ignores cases filed more than 30 days ago', () => {
    const draft = road({ submittedAt: NOW });
    expect(isLikelyDuplicate(draft, road({ submittedAt: daysAgo(29) }), { now: NOW }).duplicate).toBe(true);
    expect(isLikelyDuplicate(draft, road({ submittedAt: daysAgo(31) }), { now: NOW }).duplicate).toBe(false);
  });

  it('ranks the nearest first and returns at most the limit', () => {
    const draft = road({ submittedAt: NOW });
    const open = [130, 10, 70, 500, 40].map((m, i) => ({ id: `c${i}`, ...road({ ...ijen(m) }) }));
    const found = findSimilarCases(draft, open, { now: NOW, limit: 3 });
    expect(found.map((f) => f.openCase.id)).toEqual(['c1', 'c4', 'c2']);
  });
});

describe('findDuplicateCandidates (database)', () => {
  let db: Db;
  let dir: string;
  let databaseUrl: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const database = freshDatabase();
    dir = database.dir;
    databaseUrl = database.databaseUrl;
    db = await openDatabase(database.databaseUrl);
    await seedCityProfile(db, loadCityProfile('malang'));
    const add = async (name: string, over: Partial<DuplicateSubject> & { status?: string; privacy?: string; submittedAt?: Date }) => {
      const { id } = await insertCase(db, {
        description: over.description ?? 'jalan berlubang',
        categoryCode: over.categoryCode ?? 'JALAN',
        opdCode: over.opdCode ?? 'DPUPRPKP',
        status: over.status ?? 'submitted',
        privacy: over.privacy,
        submittedAt: over.submittedAt ?? daysAgo(2),
      });
      await db.case.update({ where: { id }, data: { latitude: over.latitude ?? null, longitude: over.longitude ?? null, kelurahan: over.kelurahan ?? null } });
      ids[name] = id;
    };
    await add('near', { ...ijen(100), kelurahan: 'Oro-oro Dowo' });
    await add('nearOtherCategorySameOpd', { ...ijen(50), categoryCode: 'DRAINASE', kelurahan: 'Oro-oro Dowo' });
    await add('sameKelurahanNoCoords', { kelurahan: 'Oro-oro Dowo' });
    await add('far', { ...ijen(2_000), kelurahan: 'Bareng' });
    await add('nearClosed', { ...ijen(20), status: 'closed', kelurahan: 'Oro-oro Dowo' });
    await add('nearOld', { ...ijen(20), submittedAt: daysAgo(40), kelurahan: 'Oro-oro Dowo' });
    await add('nearOtherOpd', { ...ijen(10), categoryCode: 'SAMPAH', opdCode: 'DLH', kelurahan: 'Oro-oro Dowo' });
    await add('rahasiaNear', { ...ijen(30), privacy: 'rahasia', kelurahan: 'Oro-oro Dowo' });
  });

  afterAll(async () => {
    await db?.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];

  it('returns open, recent cases of the same OPD or category nearby or in the same kelurahan', async () => {
    const found = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, opdCode: 'DPUPRPKP', categoryCode: 'JALAN', ...ijen(), kelurahan: 'Oro-oro Dowo', now: NOW });
    expect(found.map((c) => nameOf(c.id)).sort()).toEqual(['near', 'nearOtherCategorySameOpd', 'rahasiaNear', 'sameKelurahanNoCoords'].sort());
  });

  it('with coordinates only, finds only what is inside the box', async () => {
    const found = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, opdCode: 'DPUPRPKP', categoryCode: 'JALAN', ...ijen(), now: NOW });
    expect(found.map((c) => nameOf(c.id)).sort()).toEqual(['near', 'nearOtherCategorySameOpd', 'rahasiaNear'].sort());
  });

  it('never returns the reporter, and says which cases are rahasia', async () => {
    const found = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, opdCode: 'DPUPRPKP', ...ijen(), now: NOW });
    for (const c of found) {
      expect(Object.keys(c)).not.toContain('reporterId');
      expect(Object.keys(c)).not.toContain('conversationKey');
    }
    expect(found.find((c) => c.id === ids.rahasiaNear)?.privacy).toBe('rahasia');
  });

  it('excludes the draft\'s own case and needs an OPD or a category', async () => {
    const found = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, opdCode: 'DPUPRPKP', ...ijen(), now: NOW, excludeCaseId: ids.near });
    expect(found.map((c) => c.id)).not.toContain(ids.near);
    expect(await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, ...ijen(), kelurahan: 'Oro-oro Dowo', now: NOW })).toEqual([]);
  });

  it('feeds the rule: the nearest same-category case comes first', async () => {
    const draft: DuplicateSubject = { description: 'aspal jalan bolong', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', ...ijen(), kelurahan: 'Oro-oro Dowo' };
    const candidates = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, ...draft, now: NOW });
    const similar = findSimilarCases(draft, candidates, { now: NOW });
    expect(nameOf(similar[0].openCase.id)).toBe('rahasiaNear');
    expect(similar.map((s) => nameOf(s.openCase.id))).toContain('near');
  });

  it('gives the same answers through Prisma (PostgreSQL\'s path) as through the SQLite fast path', async () => {
    const plain = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
    try {
      expect(sqliteDirect(plain)).toBeUndefined();
      expect(sqliteDirect(db)).toBeDefined();
      for (const q of [
        { opdCode: 'DPUPRPKP', categoryCode: 'JALAN', ...ijen(), kelurahan: 'Oro-oro Dowo', now: NOW },
        { categoryCode: 'JALAN', ...ijen(), now: NOW },
        { opdCode: 'DLH', kelurahan: 'Oro-oro Dowo', now: NOW },
        { opdCode: 'DPUPRPKP', ...ijen(), now: NOW, excludeCaseId: ids.near },
      ]) {
        const viaPrisma = await findDuplicateCandidates(plain, { openStatuses: OPEN_STATUSES, ...q });
        const direct = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, ...q });
        expect(direct.length).toBeGreaterThan(0);
        const byId = (xs: typeof direct) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
        expect(byId(direct)).toEqual(byId(viaPrisma));
      }
    } finally {
      await plain.$disconnect();
    }
  });

  // The statements findDuplicateCandidates has Prisma send, in SQL; without these indexes both are full scans.
  it('has indexes SQLite uses for both lookups', async () => {
    const conn = sqliteDirect(db);
    expect(conn).toBeDefined();
    const box = boundingBox(-7.9735, 112.6215, 150);
    const plan = (sql: string, ...params: unknown[]) =>
      conn!
        .run((c) => c.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .then((rows) => rows.map((r) => r.detail).join('\n'));
    expect(
      await plan(
        'SELECT id FROM "Case" WHERE latitude >= ? AND latitude <= ? AND longitude >= ? AND longitude <= ? AND submittedAt >= ? AND (opdCode = ? OR categoryCode = ?) ORDER BY submittedAt DESC LIMIT 200',
        box.minLat,
        box.maxLat,
        box.minLng,
        box.maxLng,
        '2026-10-20',
        'DPUPRPKP',
        'JALAN',
      ),
    ).toMatch(/Case_latitude_longitude_idx/);
    expect(
      await plan(
        'SELECT id FROM "Case" WHERE kelurahan = ? AND submittedAt >= ? AND status IN (\'submitted\', \'verified\') AND (opdCode = ? OR categoryCode = ?) ORDER BY submittedAt DESC LIMIT 200',
        'Oro-oro Dowo',
        '2026-10-20',
        'DPUPRPKP',
        'JALAN',
      ),
    ).toMatch(/Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx/);
  });
});
