import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { addTestAdmins, bringTo, fileFixtureCase, fileThroughChat, type Admins } from '../../helpers/lifecycle.ts';
import { addAdmin } from '../../../cases/manage-admins.ts';
import { removeAdmin } from '../../../db/admins.ts';

/**
 * Every command × every role: admin instansi, admin penghubung of the case's OPD (own), admin penghubung of
 * another OPD (other), a citizen (the reporter, not an admin) and a removed admin. Each row gets a fresh case
 * in the status the command needs, then checks both the reply and whether the case changed.
 */

type Who = 'instansi' | 'own' | 'other' | 'citizen' | 'removed';
type Expect = 'ok' | 'forbidden' | 'notFound' | 'unknown';
type Status = 'submitted' | 'forwarded' | 'answered';

interface Row {
  command: string;
  /** Status the case is brought to first. */
  status: Status;
  /** Builds the message from the tracking id. */
  message: (id: string) => string;
  expect: Record<Who, Expect>;
  /** Proof the action happened (or not): the case's status after "ok". */
  okStatus?: string;
  /** For commands that change no status: the event action they write. */
  okEvent?: string;
}

const NON_ADMIN = { citizen: 'unknown', removed: 'unknown' } as const;
const INSTANSI_ONLY = { instansi: 'ok', own: 'forbidden', other: 'forbidden', ...NON_ADMIN } as const;
const OPD_SCOPED = { instansi: 'ok', own: 'ok', other: 'notFound', ...NON_ADMIN } as const;

const ROWS: Row[] = [
  { command: '/kasus', status: 'forwarded', message: (id) => `/kasus ${id}`, expect: OPD_SCOPED },
  { command: '/kasus (not yet forwarded)', status: 'submitted', message: (id) => `/kasus ${id}`, expect: { instansi: 'ok', own: 'notFound', other: 'notFound', ...NON_ADMIN } },
  { command: '/verifikasi', status: 'submitted', message: (id) => `/verifikasi ${id}`, expect: INSTANSI_ONLY, okStatus: 'verified' },
  { command: '/verifikasi kategori opd', status: 'submitted', message: (id) => `/verifikasi ${id} SAMPAH DLH`, expect: INSTANSI_ONLY, okStatus: 'verified' },
  { command: '/teruskan', status: 'submitted', message: (id) => `/teruskan ${id} DPUPRPKP`, expect: INSTANSI_ONLY, okStatus: 'forwarded' },
  { command: '/tolak', status: 'submitted', message: (id) => `/tolak ${id} Bukan layanan publik`, expect: INSTANSI_ONLY, okStatus: 'rejected' },
  { command: '/balas', status: 'forwarded', message: (id) => `/balas ${id} Sudah ditambal`, expect: OPD_SCOPED, okStatus: 'answered' },
  { command: '/kembalikan', status: 'forwarded', message: (id) => `/kembalikan ${id} Bukan wewenang kami`, expect: OPD_SCOPED, okStatus: 'rerouted' },
  { command: '/catatan', status: 'forwarded', message: (id) => `/catatan ${id} Tim sudah survei`, expect: OPD_SCOPED, okEvent: 'noted' },
  { command: '/tutup', status: 'answered', message: (id) => `/tutup ${id}`, expect: INSTANSI_ONLY, okStatus: 'closed' },
];

const KEYS: Record<Who, string> = { instansi: 'tg:9001', own: 'tg:9003', other: 'tg:9002', citizen: '', removed: 'tg:9004' };

let app: TestApp;
let admins: Admins;
let unknownReply: (key: string) => Promise<string>;

beforeAll(async () => {
  app = await createTestApp();
  admins = await addTestAdmins(app);
  await addAdmin(app.db, { role: 'instansi', name: 'Mantan Admin', conversationKey: KEYS.removed });
  await removeAdmin(app.db, KEYS.removed, new Date());
  // What anybody gets for a command that does not exist, in the same conversation state.
  unknownReply = (key) => app.sayText(key, '/perintahyangtidakada');
});
afterAll(async () => {
  await app.cleanup();
});

async function citizenWithCase(): Promise<{ key: string; id: string }> {
  const key = `tg:${Math.floor(Math.random() * 1e9)}`;
  return { key, id: await fileThroughChat(app, key) };
}

describe('admin authorization matrix', () => {
  for (const row of ROWS) {
    for (const who of Object.keys(KEYS) as Who[]) {
      const expected = row.expect[who];
      it(`${row.command} by ${who} → ${expected}`, async () => {
        let id: string;
        let key = KEYS[who];
        if (who === 'citizen') {
          // The reporter of the case itself: still not an admin.
          const filed = await citizenWithCase();
          id = filed.id;
          key = filed.key;
        } else {
          id = await fileFixtureCase(app);
        }
        await bringTo(app, id, row.status, admins);
        const before = await app.db.case.findUniqueOrThrow({ where: { trackingId: id }, include: { events: true } });
        const reply = await app.sayText(key, row.message(id));
        const after = await app.db.case.findUniqueOrThrow({ where: { trackingId: id }, include: { events: true } });
        const changed = after.status !== before.status || after.events.length !== before.events.length;
        switch (expected) {
          case 'ok':
            if (row.okStatus) expect(after.status, reply).toBe(row.okStatus);
            if (row.okEvent) expect(after.events.map((e) => e.action)).toContain(row.okEvent);
            if (!row.okStatus && !row.okEvent) {
              expect(reply).toContain(`Laporan ${id}`);
              expect(reply).toContain(before.description);
            }
            break;
          case 'forbidden':
            expect(reply).toMatch(/hanya untuk admin instansi/);
            expect(reply).not.toContain(before.description);
            expect(changed).toBe(false);
            break;
          case 'notFound':
            expect(reply).toBe(`Laporan ${id} tidak ditemukan atau bukan wewenang Anda.`);
            expect(changed).toBe(false);
            break;
          case 'unknown':
            expect(reply).toBe(await unknownReply(key));
            expect(changed).toBe(false);
            break;
        }
      });
    }
  }

  it('/inbox: each admin sees its own queue; non-admins get the unknown-command reply', async () => {
    // The shared app holds more cases than one inbox screen shows; make room at the top of the queue.
    await app.db.case.updateMany({ where: { status: { in: ['submitted', 'verified', 'rerouted', 'forwarded', 'reopened', 'answered'] } }, data: { status: 'closed' } });
    const atPu = await fileFixtureCase(app);
    await bringTo(app, atPu, 'forwarded', admins);
    const fresh = await fileFixtureCase(app);
    const instansi = await app.sayText(KEYS.instansi, '/inbox');
    expect(instansi).toContain(atPu);
    expect(instansi).toContain(fresh);
    const own = await app.sayText(KEYS.own, '/inbox');
    expect(own).toContain(atPu);
    expect(own).not.toContain(fresh);
    const other = await app.sayText(KEYS.other, '/inbox');
    expect(other).not.toContain(atPu);
    expect(other).not.toContain(fresh);
    const { key } = await citizenWithCase();
    expect(await app.sayText(key, '/inbox')).toBe(await unknownReply(key));
    expect(await app.sayText(KEYS.removed, '/inbox')).toBe(await unknownReply(KEYS.removed));
  });

  it('/admin: only the admin instansi manages admins; non-admins get the unknown-command reply', async () => {
    expect(await app.sayText(KEYS.instansi, '/admin daftar')).toContain('Sari PU');
    for (const who of ['own', 'other'] as const) {
      expect(await app.sayText(KEYS[who], '/admin tambah instansi tg:1 Penyusup')).toMatch(/hanya untuk admin instansi/);
    }
    expect(await app.sayText(KEYS.removed, '/admin tambah instansi tg:1 Penyusup')).toBe(await unknownReply(KEYS.removed));
    expect(await app.db.admin.count({ where: { conversationKey: 'tg:1' } })).toBe(0);
    // The last admin instansi cannot be removed (nobody could manage admins any more).
    expect(await app.sayText(KEYS.instansi, `/admin hapus ${KEYS.instansi}`)).toMatch(/terakhir/);
  });

  it('/bantuan lists the admin commands of the role; a citizen gets the citizen help', async () => {
    const instansi = await app.sayText(KEYS.instansi, '/bantuan');
    const pu = await app.sayText(KEYS.own, '/help');
    expect(instansi).toContain('/verifikasi');
    expect(pu).toContain('/balas');
    expect(pu).not.toContain('/verifikasi');
    const { key } = await citizenWithCase();
    const citizen = await app.sayText(key, '/bantuan');
    expect(citizen).not.toContain('/inbox');
    expect(citizen).toContain('cek <nomor>');
  });

  it('illegal moves get a clear refusal', async () => {
    const id = await fileFixtureCase(app);
    expect(await app.sayText(KEYS.instansi, `/balas ${id} jawaban`)).toMatch(/belum diteruskan ke OPD.*belum bisa dijawab/);
    await bringTo(app, id, 'answered', admins);
    expect(await app.sayText(KEYS.instansi, `/tutup ${id}`)).toContain('ditutup');
    expect(await app.sayText(KEYS.instansi, `/teruskan ${id} DLH`)).toMatch(/sudah selesai \(ditutup\), jadi tidak bisa diteruskan/);
    expect(await app.sayText(KEYS.instansi, `/verifikasi ${id}`)).toMatch(/sudah selesai/);
    const other = await fileFixtureCase(app);
    await bringTo(app, other, 'forwarded', admins);
    expect(await app.sayText(KEYS.instansi, `/verifikasi ${other}`)).toMatch(/tidak perlu diverifikasi lagi/);
    expect(await app.sayText(KEYS.instansi, `/teruskan ${other} XYZ`)).toMatch(/Kode OPD "XYZ" tidak dikenal/);
    expect(await app.sayText(KEYS.instansi, '/kasus 12345')).toMatch(/Nomor laporan "12345" tidak valid/);
    expect(await app.sayText(KEYS.instansi, '/balas')).toMatch(/Format perintahnya belum pas[\s\S]*\/balas <nomor> <tanggapan>/);
  });
});
