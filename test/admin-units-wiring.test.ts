import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { addTestAdmins, fileFixtureCase, type Admins } from './helpers/lifecycle.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import type { Reply } from '../flows/types.ts';

// Units in chat (issue 15): DINKES works through its puskesmas; an OPD admin sees all its units' cases, a unit
// admin its own; /disposisi and the unit's hand-back; complaints kept from the accused; /inbox paging and /cari.
let app: TestApp;
let admins: Admins;
const INST = 'tg:9001';
const DINKES = 'tg:8301';
const ARJUNO = 'tg:8302';
const DINOYO = 'tg:8303';

const HEALTH = { reportKind: 'pengaduan', categoryCode: 'KESEHATAN', opdCode: 'DINKES', confidence: 0.9, reason: 'test', classifier: 'test', latencyMs: 1 } as const;

beforeAll(async () => {
  app = await createTestApp();
  admins = await addTestAdmins(app);
  await addAdmin(app.db, { role: 'penghubung', opdCode: 'DINKES', name: 'Dina Dinkes', conversationKey: DINKES });
  await addAdmin(app.db, { role: 'penghubung', unitCode: 'PKM-ARJUNO', name: 'Rina Arjuno', conversationKey: ARJUNO });
  await addAdmin(app.db, { role: 'penghubung', unitCode: 'PKM-DINOYO', name: 'Dodi Dinoyo', conversationKey: DINOYO });
});
afterAll(async () => {
  await app?.cleanup();
});

async function outboxTexts(key: string): Promise<string> {
  const rows = await app.db.outboxMessage.findMany({ where: { conversationKey: key }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => (r.payload as unknown as Reply).text).join('\n---\n');
}
const stored = (trackingId: string) => app.db.case.findUniqueOrThrow({ where: { trackingId } });

describe('units in chat', () => {
  it('/disposisi, alerts to the unit and the OPD, the unit sees only its own, and its hand-back returns to the OPD', async () => {
    const id = await fileFixtureCase(app, { draft: { description: 'Antrean obat lama sekali', classification: HEALTH } });
    expect(await app.sayText(INST, `/teruskan ${id} DINKES`)).toContain(`✅ ${id} diteruskan`);
    expect(await app.sayText(ARJUNO, `/kasus ${id}`)).toContain('tidak ditemukan atau bukan wewenang');
    // A unit cannot dispose; the OPD can, to its own units only.
    expect(await app.sayText(ARJUNO, `/disposisi ${id} PKM-ARJUNO`)).toContain('Disposisi ke unit dilakukan oleh admin OPD');
    expect(await app.sayText(DINKES, `/disposisi ${id} KEL-SUMBERSARI`)).toContain('bukan unit DINKES');
    const [units] = await app.say(DINKES, `/disposisi ${id}`);
    expect(units.choices?.find((c) => c.label === 'Puskesmas Arjuno')?.value).toMatch(/^k:d:.*:PKM-ARJUNO$/);
    const reply = await app.sayText(DINKES, `/disposisi ${id} PKM-ARJUNO`);
    expect(reply).toContain(`✅ ${id} didisposisikan ke Puskesmas Arjuno (PKM-ARJUNO). Admin unit (1)`);
    expect((await stored(id)).unitCode).toBe('PKM-ARJUNO');
    expect(await outboxTexts(ARJUNO)).toContain(`🏢 Laporan ${id} didisposisikan ke Puskesmas Arjuno`);
    expect(await outboxTexts(DINOYO)).not.toContain(id);
    // The citizen is told which office handles it now.
    const c = await stored(id);
    expect(await outboxTexts(c.conversationKey)).toContain('kini ditangani langsung oleh Puskesmas Arjuno');

    expect(await app.sayText(ARJUNO, '/inbox')).toContain(id);
    expect(await app.sayText(DINOYO, '/inbox')).not.toContain(id);
    expect(await app.sayText(DINKES, '/inbox')).toContain(id);
    expect(await app.sayText(DINOYO, `/cari ${id}`)).not.toContain(`${id} ·`);
    expect(await app.sayText(ARJUNO, '/kasus ' + id)).toContain('Unit: Puskesmas Arjuno (PKM-ARJUNO)');

    // The unit hands it back: to its OPD (unit cleared, still forwarded), not to the admin instansi.
    expect(await app.sayText(ARJUNO, `/kembalikan ${id} Pasien dari wilayah lain`)).toContain('dikembalikan ke admin DINKES');
    const back = await stored(id);
    expect(back).toMatchObject({ status: 'forwarded', unitCode: null });
    expect(back.opdRespondedAt).not.toBeNull();
    expect(await outboxTexts(DINKES)).toContain(`PKM-ARJUNO mengembalikan laporan ${id} ke OPD`);
    expect(await outboxTexts(INST)).not.toContain(`mengembalikan laporan ${id}`);
    expect(await app.sayText(ARJUNO, `/kasus ${id}`)).toContain('tidak ditemukan atau bukan wewenang');
  });

  it('keeps an integrity complaint from the accused unit and OPD, and refuses routing it to them', async () => {
    const id = await fileFixtureCase(app, { draft: { description: 'Petugas Puskesmas Arjuno minta uang', classification: HEALTH } });
    await app.db.case.update({ where: { trackingId: id }, data: { opdCode: 'INSPEKTORAT', accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-ARJUNO' } });
    expect(await app.sayText(INST, `/teruskan ${id} DINKES`)).toContain('pengaduan tentang DINKES sendiri');
    expect((await stored(id)).status).toBe('submitted');
    expect(await app.sayText(INST, `/teruskan ${id} INSPEKTORAT`)).toContain('diteruskan');
    for (const accused of [DINKES, ARJUNO]) {
      expect(await app.sayText(accused, `/kasus ${id}`)).toContain('tidak ditemukan atau bukan wewenang');
      expect(await app.sayText(accused, '/inbox semua')).not.toContain(id);
      expect(await app.sayText(accused, '/cari uang')).not.toContain(id);
      expect(await outboxTexts(accused)).not.toContain(id);
    }
  });

  it('/teruskan sets the category of a rerouted case, and /verifikasi works again after a hand-back', async () => {
    const id = await fileFixtureCase(app, { draft: { classification: { ...HEALTH, categoryCode: 'SAMPAH', opdCode: 'DLH' } } });
    await app.sayText(INST, `/teruskan ${id} DLH`);
    await app.sayText('tg:9002', `/kembalikan ${id} Ini jalan rusak, bukan sampah`);
    expect((await stored(id)).status).toBe('rerouted');
    expect(await app.sayText(INST, `/verifikasi ${id} JALAN`)).toContain('terverifikasi');
    expect((await stored(id)).categoryCode).toBe('JALAN');
    expect(await app.sayText(INST, `/teruskan ${id} DPUPRPKP DRAINASE`)).toContain('diteruskan');
    expect(await stored(id)).toMatchObject({ opdCode: 'DPUPRPKP', categoryCode: 'DRAINASE', status: 'forwarded', opdRespondedAt: null });
    expect(await app.sayText(INST, `/teruskan ${id} DPUPRPKP BUKANKODE`)).toContain('"BUKANKODE" tidak dikenal');
  });

  it('/admin tambah makes a unit admin from a unit code', async () => {
    expect(await app.sayText(INST, '/admin tambah penghubung PKM-KENDALSARI tg:8399 Kiki Kendalsari')).toContain('unit PKM-KENDALSARI');
    expect(await app.db.admin.findUniqueOrThrow({ where: { conversationKey: 'tg:8399' } })).toMatchObject({ opdCode: 'DINKES', unitCode: 'PKM-KENDALSARI' });
    expect(await app.sayText(INST, '/admin tambah penghubung PKM-TIDAKADA tg:8398 X')).toContain('tidak dikenal');
    expect(await app.sayText(INST, '/admin daftar')).toContain('DINKES/PKM-KENDALSARI');
  });
});

describe('/inbox paging and /cari', () => {
  it('pages ten at a time with the next page, filters, and searches words within access', async () => {
    await app.db.case.updateMany({ data: { status: 'closed' } });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await fileFixtureCase(app, { draft: { description: `Lampu jalan mati nomor ${i} di Jalan Kawi` } }));
    const late = ids[11];
    // Deadlines set by hand: one overdue, the rest far ahead, whatever the clock of the test app says.
    await app.db.case.updateMany({ where: { trackingId: { in: ids } }, data: { verifyDueAt: new Date('2100-01-01T00:00:00Z') } });
    await app.db.case.update({ where: { trackingId: late }, data: { verifyDueAt: new Date('2000-01-01T00:00:00Z') } });
    const first = await app.sayText(INST, '/inbox');
    expect(first).toContain('12 laporan · halaman 1/2');
    expect(first).toMatch(new RegExp(`^1\\. ⏰ ${late}`, 'm'));
    const second = await app.sayText(INST, '/inbox 2');
    expect(second).toContain('halaman 2/2');
    const shown = (text: string) => ids.filter((id) => text.includes(id));
    expect(shown(first)).toHaveLength(10);
    expect(shown(second)).toHaveLength(2);
    expect(new Set([...shown(first), ...shown(second)]).size).toBe(12);
    // The Telegram reply carries the next-page button whose press is the same command.
    const [reply] = await app.say(INST, '/inbox');
    expect(reply.choices).toEqual([{ label: 'Berikutnya ▶', value: '/inbox 2' }]);
    expect(await app.sayText(INST, { choice: '/inbox 2' })).toBe(second);

    const overdue = await app.sayText(INST, '/inbox terlambat');
    expect(shown(overdue)).toEqual([late]);
    expect(await app.sayText(INST, '/inbox DLH')).toContain('Tidak ada laporan yang cocok');
    expect(await app.sayText(INST, '/inbox 5000')).toContain('Halaman "5000" tidak ada');
    expect(await app.sayText(INST, '/inbox bingung')).toContain('"bingung" tidak saya kenali');
    // darurat filters on Case.urgent: none of these cases is urgent (test/cases/emergencies-merges.test.ts lists one that is).
    expect(await app.sayText(INST, '/inbox darurat')).toContain('Tidak ada laporan yang cocok');

    const found = await app.sayText(INST, '/cari lampu nomor 7');
    expect(shown(found)).toEqual([ids[7]]);
    expect(await app.sayText(INST, `/cari ${ids[3]}`)).toContain(ids[3]);
    // An OPD admin finds nothing it may not see (none of these was forwarded to it).
    expect(shown(await app.sayText('tg:9003', '/cari lampu'))).toEqual([]);
    void admins;
  });
});
