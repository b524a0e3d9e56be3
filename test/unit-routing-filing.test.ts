import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActiveAdmin, listActiveAdmins } from '../db/admins.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { fileThroughChat, text } from './helpers/lifecycle.ts';

// The test app classifies offline (deterministic): these texts go to KELURAHAN, KELURAHAN and DINKES.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: 'term:budi' });
});
afterAll(async () => {
  await app.cleanup();
});

const caseOf = (trackingId: string) =>
  app.db.case.findUniqueOrThrow({ where: { trackingId }, select: { opdCode: true, unitCode: true, accusedOpdCode: true, accusedUnitCode: true, kelurahan: true } });

describe('filing routes the case to its unit', () => {
  it('gives a kelurahan matter to the office of the kelurahan in the address', async () => {
    const id = await fileThroughChat(app, 'tg:8101', { description: 'Surat pengantar dari kelurahan lama sekali jadinya, sudah seminggu belum selesai' });
    expect(await caseOf(id)).toEqual({ opdCode: 'KELURAHAN', unitCode: 'KEL-SUMBERSARI', accusedOpdCode: null, accusedUnitCode: null, kelurahan: 'Sumbersari' });
  });

  it('files a kelurahan employee asking money with the Inspektorat, naming the accused office', async () => {
    const id = await fileThroughChat(app, 'tg:8102', { description: 'Pegawai kelurahan minta uang 100 ribu untuk surat pengantar, katanya biar cepat' });
    expect(await caseOf(id)).toMatchObject({ opdCode: 'INSPEKTORAT', unitCode: null, accusedOpdCode: 'KELURAHAN', accusedUnitCode: 'KEL-SUMBERSARI' });
  });

  it('files a rude puskesmas officer with the Inspektorat, naming the puskesmas from the text', async () => {
    const id = await fileThroughChat(app, 'tg:8103', { description: 'Petugas Puskesmas Kendalsari membentak ibu saya waktu antre' });
    expect(await caseOf(id)).toMatchObject({ opdCode: 'INSPEKTORAT', accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-KENDALSARI' });
  });
});

describe('unit admins before the commands know units', () => {
  it('are not admins to the commands, the alerts and the reminders, so they never see the whole OPD', async () => {
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DINKES', name: 'Dina Dinkes', conversationKey: 'tg:8201' });
    await addAdmin(app.db, { role: 'penghubung', unitCode: 'PKM-ARJUNO', name: 'Rina', conversationKey: 'tg:8202' });
    expect(await findActiveAdmin(app.db, 'tg:8202')).toBeNull();
    expect(await findActiveAdmin(app.db, 'tg:8202', { includeUnitAdmins: true })).toMatchObject({ unitCode: 'PKM-ARJUNO', opdCode: 'DINKES' });
    expect((await listActiveAdmins(app.db, { role: 'penghubung', opdCode: 'DINKES' })).map((a) => a.name)).toEqual(['Dina Dinkes']);
    expect((await listActiveAdmins(app.db, { opdCode: 'DINKES', unitCode: 'PKM-ARJUNO' })).map((a) => a.name)).toEqual(['Rina']);
    // /inbox from the unit admin gets what anyone who is not an admin gets.
    const asUnit = text(await app.say('tg:8202', '/inbox'));
    const asCitizen = text(await app.say('tg:8299', '/inbox'));
    expect(asUnit).toBe(asCitizen);
    expect(text(await app.say('tg:8201', '/inbox'))).not.toBe(asCitizen);
  });
});
