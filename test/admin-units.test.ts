import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError, listActiveAdmins } from '../db/admins.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { seedCityProfile } from '../db/seed-city.ts';
import { createTestApp, freshDatabase, type TestApp } from './helpers/test-app.ts';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.cleanup();
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(AdminError);
    return (err as AdminError).code;
  }
};

describe('unit admins', () => {
  it('seeds the profile units with their OPD', async () => {
    const units = await app.db.unit.findMany({ where: { active: true } });
    expect(units).toHaveLength(app.profile.units.length);
    expect(await app.db.unit.findUnique({ where: { code: 'PKM-ARJUNO' } })).toMatchObject({ opdCode: 'DINKES', kind: 'puskesmas' });
    expect(await app.db.unit.count({ where: { opdCode: 'KELURAHAN', kind: 'kelurahan' } })).toBe(57);
  });

  it('re-seeds a changed profile: renamed units updated, dropped ones kept but inactive, new ones added', async () => {
    const changed = structuredClone(app.profile);
    changed.units = changed.units.filter((u) => u.code !== 'PKM-POLOWIJEN');
    changed.units.find((u) => u.code === 'PKM-JANTI')!.name = 'UPT Puskesmas Janti';
    changed.units.push({ code: 'UPT-PARKIR', opdCode: 'DISHUB', kind: 'upt', name: 'UPT Perparkiran', aliases: [] });
    await seedCityProfile(app.db, changed);
    expect(await app.db.unit.findUnique({ where: { code: 'PKM-JANTI' } })).toMatchObject({ name: 'UPT Puskesmas Janti', active: true });
    expect(await app.db.unit.findUnique({ where: { code: 'PKM-POLOWIJEN' } })).toMatchObject({ active: false });
    expect(await app.db.unit.findUnique({ where: { code: 'UPT-PARKIR' } })).toMatchObject({ opdCode: 'DISHUB', kind: 'upt' });
    await seedCityProfile(app.db, app.profile);
    expect(await app.db.unit.findUnique({ where: { code: 'PKM-POLOWIJEN' } })).toMatchObject({ active: true });
    expect(await app.db.unit.findUnique({ where: { code: 'PKM-JANTI' } })).toMatchObject({ name: 'Puskesmas Janti' });
  });

  it('adds a unit admin with or without the OPD, checking that the unit is under it', async () => {
    const rina = await addAdmin(app.db, { role: 'penghubung', opdCode: 'dinkes', unitCode: 'pkm-arjuno', name: 'Rina', conversationKey: 'tg:7001' });
    expect(rina).toMatchObject({ role: 'penghubung', opdCode: 'DINKES', unitCode: 'PKM-ARJUNO' });
    const lurah = await addAdmin(app.db, { role: 'penghubung', unitCode: 'KEL-SUMBERSARI', name: 'Pak Lurah', conversationKey: 'tg:7002' });
    expect(lurah).toMatchObject({ opdCode: 'KELURAHAN', unitCode: 'KEL-SUMBERSARI' });
    expect(await codeOf(addAdmin(app.db, { role: 'penghubung', opdCode: 'DLH', unitCode: 'PKM-ARJUNO', name: 'X', conversationKey: 'tg:7003' }))).toBe('ADMIN_UNIT_NOT_UNDER_OPD');
    expect(await codeOf(addAdmin(app.db, { role: 'penghubung', opdCode: 'DINKES', unitCode: 'PKM-ATLANTIS', name: 'X', conversationKey: 'tg:7003' }))).toBe('ADMIN_UNIT_UNKNOWN');
    expect(await codeOf(addAdmin(app.db, { role: 'instansi', unitCode: 'PKM-ARJUNO', name: 'X', conversationKey: 'tg:7003' }))).toBe('ADMIN_UNIT_NOT_FOR_INSTANSI');
    expect(await app.db.admin.count({ where: { conversationKey: 'tg:7003' } })).toBe(0);
    // Moving an admin from a unit to its whole OPD clears the unit.
    expect(await addAdmin(app.db, { role: 'penghubung', opdCode: 'DINKES', name: 'Rina', conversationKey: 'tg:7001' })).toMatchObject({ unitCode: null });
    expect((await listActiveAdmins(app.db, { unitCode: 'KEL-SUMBERSARI' })).map((a) => a.name)).toEqual(['Pak Lurah']);
  });

  it('npm run admin adds and lists unit admins and explains a wrong unit', async () => {
    // Its own database: the script migrates at start, which waits for no other open connection.
    const db = freshDatabase();
    const env = { ...process.env, DATABASE_URL: db.databaseUrl, DATA_DIR: db.dir, LOG_LEVEL: 'silent' };
    try {
      const added = await run(TSX, ['scripts/admin.ts', 'add', '--role', 'penghubung', '--opd', 'DINKES', '--unit', 'PKM-JANTI', '--name', 'Sri (PKM Janti)', '--key', 'term:sri'], { env });
      expect(added.stdout).toContain('Added Sri (PKM Janti) as admin penghubung of PKM-JANTI (DINKES) on term:sri.');
      const list = await run(TSX, ['scripts/admin.ts', 'list'], { env });
      expect(list.stdout.split('\n')).toContain('penghubung\tDINKES\tPKM-JANTI\tterm:sri\tSri (PKM Janti)');
      const wrong = await run(TSX, ['scripts/admin.ts', 'add', '--role', 'penghubung', '--opd', 'DLH', '--unit', 'PKM-JANTI', '--name', 'X', '--key', 'term:x'], { env }).catch((e) => e);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('ADMIN_UNIT_NOT_UNDER_OPD: unit PKM-JANTI (Puskesmas Janti) belongs to DINKES, not DLH');
    } finally {
      fs.rmSync(db.dir, { recursive: true, force: true });
    }
    // Three script runs, each starting tsx and migrating: seconds each on a machine busy with other tests.
  }, 120_000);
});
