import type { CityProfile } from '../lib/city-profile.ts';
import type { Db } from './client.ts';

/** Writes the profile's OPDs, units and categories into the database; safe to run at every start. */
export async function seedCityProfile(db: Db, profile: CityProfile): Promise<void> {
  await db.$transaction(async (tx) => {
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
    for (const unit of profile.units) {
      const data = { opdCode: unit.opdCode, kind: unit.kind, name: unit.name, kecamatan: unit.kecamatan ?? null, kelurahan: unit.kelurahan ?? null, active: true };
      await tx.unit.upsert({ where: { code: unit.code }, create: { code: unit.code, ...data }, update: data });
    }
    // Units dropped from the profile stay (old cases and admins point at them) but are marked inactive.
    await tx.unit.updateMany({ where: { code: { notIn: profile.units.map((u) => u.code) } }, data: { active: false } });
  });
}
