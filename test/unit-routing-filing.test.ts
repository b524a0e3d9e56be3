import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdmin } from '../cases/manage-admins.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { fileThroughChat } from './helpers/lifecycle.ts';

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

