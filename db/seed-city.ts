import type { CityProfile } from '../lib/city-profile.ts';
import { databaseInfo, type Db } from './client.ts';

/**
 * Longest the seeding transaction may take. Prisma's default (5 s) is too short where several bot processes start
 * together on PostgreSQL: they seed one after the other (the lock below), each a few hundred statements, on a
 * machine busy starting them all. Past two minutes something is wrong and the start-up error says so.
 */
const SEED_TIMEOUT_MS = 120_000;
/** The advisory lock (two-int form) that makes processes seed one at a time; 0x4c50 = "LP", 1 is the migrations'. */
const SEED_LOCK_KEY = [0x4c50, 2] as const;

/** Writes the profile's OPDs, units and categories into the database; safe to run at every start. */
export async function seedCityProfile(db: Db, profile: CityProfile): Promise<void> {
  const postgres = databaseInfo(db).provider === 'postgresql';
  await db.$transaction(async (tx) => {
    // Processes started together would upsert the same rows at once and wait on each other's row locks until one
    // timed out; on PostgreSQL they take turns (the lock ends with the transaction).
    if (postgres) await tx.$queryRawUnsafe(`SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY[0]}, ${SEED_LOCK_KEY[1]})) AS l`);
    for (const opd of profile.opds) {
      const data = { name: opd.name, scope: opd.scope, keywords: opd.keywords, active: true };
      await tx.opd.upsert({ where: { code: opd.code }, create: { code: opd.code, ...data }, update: data });
    }
    const known = new Set(profile.opds.map((o) => o.code));
    await tx.opd.updateMany({ where: { code: { notIn: [...known] } }, data: { active: false } });
    for (const category of profile.categories) {
      const data = { name: category.name, defaultOpdCode: category.defaultOpdCode };
      await tx.category.upsert({ where: { code: category.code }, create: { code: category.code, ...data }, update: data });
    }
    // ~80 units: one read, one insert of the new ones, updates only for the changed ones, since this runs at
    // every start (and in every test app).
    const existing = new Map((await tx.unit.findMany()).map((u) => [u.code, u]));
    const rows = profile.units.map((u) => ({ code: u.code, opdCode: u.opdCode, kind: u.kind, name: u.name, kecamatan: u.kecamatan ?? null, kelurahan: u.kelurahan ?? null, active: true }));
    const missing = rows.filter((r) => !existing.has(r.code));
    if (missing.length > 0) await tx.unit.createMany({ data: missing });
    for (const row of rows) {
      const old = existing.get(row.code);
      if (old && (Object.keys(row) as Array<keyof typeof row>).some((k) => old[k] !== row[k])) {
        const { code, ...data } = row;
        await tx.unit.update({ where: { code }, data });
      }
    }
    // Units dropped from the profile stay (old cases and admins point at them) but are marked inactive.
    const knownUnits = new Set(rows.map((r) => r.code));
    const dropped = [...existing.values()].filter((u) => u.active && !knownUnits.has(u.code)).map((u) => u.code);
    if (dropped.length > 0) await tx.unit.updateMany({ where: { code: { in: dropped } }, data: { active: false } });
  }, { maxWait: SEED_TIMEOUT_MS, timeout: SEED_TIMEOUT_MS });
}
