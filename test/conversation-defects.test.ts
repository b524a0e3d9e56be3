import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { recordOutbox } from './helpers/lifecycle.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import type { ActionDeps } from '../cases/change-case.ts';
import { answerCase } from '../cases/answer-case.ts';
import { forwardCase } from '../cases/forward-case.ts';
import { verifyCase } from '../cases/verify-case.ts';
import type { InboundMessage } from '../flows/types.ts';

/**
 * One scripted conversation per defect reported in issue 13, through the engine and the database (the path the
 * terminal channel takes; Telegram and WhatsApp have their own scripts). Each script is what a citizen typed.
 */
const GEO = path.resolve(import.meta.dirname, '..', '..', 'shared', 'reference', 'geo');
const BOUNDARY = path.join(GEO, 'malang-kelurahan.geojson');
const NEARBY = path.join(GEO, 'malang-sekitar-desa.geojson');
const geoPresent = fs.existsSync(BOUNDARY) && fs.existsSync(NEARBY);
if (!geoPresent) console.warn(`conversation-defects: ${GEO} is absent; the boundary conversations are skipped`);

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps) await app.cleanup();
  apps = [];
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await createTestApp({ env });
  apps.push(app);
  return app;
}

let seq = 0;
const citizen = () => `term:warga-${++seq}`;
const pin = (latitude: number, longitude: number): Partial<InboundMessage> => ({ attachments: [{ kind: 'location', latitude, longitude }] });

/** Sends each line and returns every reply, one string per message. */
async function script(app: TestApp, key: string, lines: Array<string | Partial<InboundMessage>>): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) out.push(await app.sayText(key, line));
  return out;
}

async function draftOf(app: TestApp, key: string) {
  const row = await app.db.conversation.findUniqueOrThrow({ where: { key } });
  return (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as { step: string; lang: string; draft?: Record<string, unknown> };
}

async function fileAndGetCase(app: TestApp, key: string, lines: string[]) {
  const replies = await script(app, key, lines);
  const trackingId = /LPR-[2-9A-Z]{6}/.exec(replies.at(-1) ?? '')?.[0];
  expect(trackingId, replies.join('\n====\n')).toBeDefined();
  return { replies, stored: await app.db.case.findUniqueOrThrow({ where: { trackingId } }) };
}

describe('defect: any text was taken as the location', () => {
  it('"udah lama bgt" goes to the description, "kembali" goes back, "min" and "lewati" are asked again', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Got depan rumah mampet, airnya meluber ke jalan', 'udah lama bgt', 'min', 'lewati']);
    expect(replies[1]).toMatch(/tambahkan ke ceritanya/);
    expect(replies[2]).toMatch(/^Lokasinya di mana/);
    expect(replies[3]).toMatch(/^Lokasinya di mana/);
    let state = await draftOf(app, key);
    expect(state.step).toBe('location');
    expect(state.draft).not.toHaveProperty('locationText');
    expect(state.draft?.description).toBe('Got depan rumah mampet, airnya meluber ke jalan. udah lama bgt');
    const back = await app.sayText(key, 'kembali');
    expect(back).toMatch(/Uraian sekarang: Got depan rumah mampet/);
    state = await draftOf(app, key);
    expect(state.step).toBe('description');
    const { stored } = await fileAndGetCase(app, key, ['lanjut', 'Jl. Kalpataru gang 3, Jatimulyo', 'lewati', '1', 'ya']);
    expect(stored.locationText).toBe('Jl. Kalpataru gang 3, Jatimulyo');
    expect(stored.kelurahan).toBe('Jatimulyo');
    expect(stored.description).toContain('udah lama bgt');
  });

  it('a QR-prefilled puskesmas stays when the citizen types "lewati"', async () => {
    const app = await start();
    const key = citizen();
    const { replies, stored } = await fileAndGetCase(app, key, [
      'Halo, saya mau melapor tentang Puskesmas Arjuno (kode tempat: PKM-ARJUNO)',
      'Antrean di loket pendaftaran lama sekali, sudah dua jam belum dipanggil',
      'lewati',
      'lewati',
      '2',
      'ya',
    ]);
    expect(replies[1]).toMatch(/Lokasi sudah terisi: Puskesmas Arjuno/);
    expect(stored.placeCode).toBe('PKM-ARJUNO');
    expect(stored.locationText).toMatch(/^Puskesmas Arjuno/);
    expect(stored.opdCode).toBe('DINKES');
  });

  it('a place typed outside the city is asked about, and "tidak" asks for the place again', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Jalan berlubang besar, sudah seminggu belum ditambal', 'Surabaya, jl. tunjungan', 'tidak']);
    expect(replies[1]).toBe('Lokasi itu sepertinya di luar Kota Malang (Surabaya). Tetap lanjut?\nYa\nTidak');
    expect(replies[2]).toMatch(/Di mana lokasinya/);
    expect((await draftOf(app, key)).draft).not.toHaveProperty('locationText');
    // "Jl. Surabaya" is a street in Malang, not the city.
    expect(await app.sayText(key, 'Jl. Surabaya depan SMA 1')).toMatch(/foto pendukung/);
  });

  describe.skipIf(!geoPresent)('with the boundary files (BOUNDARY_FILE, BOUNDARY_NEARBY_FILE)', () => {
    it('a pin outside the city names the desa and asks; "ya" keeps it', async () => {
      const app = await start({ BOUNDARY_FILE: BOUNDARY, BOUNDARY_NEARBY_FILE: NEARBY });
      const key = citizen();
      const nearby = JSON.parse(fs.readFileSync(NEARBY, 'utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
      const landungsari = nearby.features.find((f) => f.properties.desa_kelurahan === 'Landungsari')!.properties;
      const replies = await script(app, key, [
        'Lampu jalan mati total sejak kemarin malam, gelap sekali',
        pin(Number(landungsari.label_lat), Number(landungsari.label_lon)),
      ]);
      expect(replies[1]).toBe('Titik itu di luar Kota Malang (Desa Landungsari, Kec. Dau). Tetap lanjut?\nYa\nTidak');
      expect(await app.sayText(key, 'iya')).toMatch(/foto pendukung/);
    });

    it('a pin far away ("/lokasi -6.2,106.8") is outside too', async () => {
      const app = await start({ BOUNDARY_FILE: BOUNDARY, BOUNDARY_NEARBY_FILE: NEARBY });
      const key = citizen();
      const replies = await script(app, key, ['Lampu jalan mati total sejak kemarin malam, gelap sekali', pin(-6.2, 106.8)]);
      expect(replies[1]).toBe('Titik itu di luar Kota Malang. Tetap lanjut?\nYa\nTidak');
    });

    it('a shared pin becomes kelurahan and kecamatan', async () => {
      const app = await start({ BOUNDARY_FILE: BOUNDARY });
      const key = citizen();
      const { replies, stored } = await fileAndGetCase(app, key, [
        'Lampu jalan mati total sejak kemarin malam, gelap sekali',
        pin(-7.952122, 112.613936) as never,
        'lewati',
        '1',
        'ya',
      ]);
      expect(replies[1]).toMatch(/Lokasi tercatat: Kel\. Ketawanggede, Kec\. Lowokwaru/);
      expect([stored.kelurahan, stored.kecamatan]).toEqual(['Ketawanggede', 'Lowokwaru']);
      expect(stored.latitude).toBeCloseTo(-7.952122, 5);
    });

    it('a location shared at the menu starts a report at that place', async () => {
      const app = await start({ BOUNDARY_FILE: BOUNDARY });
      const key = citizen();
      const replies = await script(app, key, [pin(-7.952122, 112.613936), 'Sampah menumpuk di pinggir jalan sudah seminggu, baunya menyengat']);
      expect(replies[0]).toMatch(/Lokasi tercatat: Kel\. Ketawanggede[\s\S]*ceritakan masalahnya/);
      expect(replies[1]).toMatch(/Baik, soal sampah ya\.[\s\S]*foto pendukung/);
      const state = await draftOf(app, key);
      expect(state.step).toBe('photo');
      expect(state.draft).toMatchObject({ kelurahan: 'Ketawanggede', latitude: -7.952122 });
    });
  });

  it('without a boundary file a bare pin keeps its coordinates and the kelurahan is asked', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Lampu jalan mati total sejak kemarin malam, gelap sekali', pin(-7.952122, 112.613936), 'Ketawanggede']);
    expect(replies[1]).toMatch(/Di kelurahan mana/);
    expect(replies[2]).toMatch(/Lokasi tercatat: Kel\. Ketawanggede, Kec\. Lowokwaru[\s\S]*foto pendukung/);
    expect((await draftOf(app, key)).draft).toMatchObject({ latitude: -7.952122, kelurahan: 'Ketawanggede' });
  });
});

describe('defect: openings were filed as the complaint', () => {
  it('"selamat siang, saya mau melaporkan sesuatu" asks for the complaint', async () => {
    const app = await start();
    const key = citizen();
    const [reply] = await script(app, key, ['selamat siang, saya mau melaporkan sesuatu']);
    expect(reply).toMatch(/Ceritakan masalahnya/);
    expect(reply).not.toMatch(/lokasi/i);
    expect((await draftOf(app, key)).step).toBe('description');
  });

  it('"Hi, I want to report a problem" is answered in English all the way, and the summary is right', async () => {
    const app = await start();
    const key = citizen();
    const { replies, stored } = await fileAndGetCase(app, key, [
      'Hi, I want to report a problem',
      'the road near my house is full of potholes, a motorbike fell yesterday',
      'Jl. Kalpataru near the mosque',
      'skip',
      'anonymous',
      'yes',
    ]);
    expect(replies[0]).toMatch(/Please describe the problem/);
    expect(replies[1]).toMatch(/OK, about damaged roads\.[\s\S]*Where is it\?/);
    expect(replies[4]).toMatch(/Description: the road near my house is full of potholes[\s\S]*Location: Jl\. Kalpataru near the mosque/);
    expect(replies[5]).toMatch(/Tracking number/);
    expect(replies.join('\n')).not.toMatch(/Ceritakan|lokasinya|Kirim laporan/);
    expect(stored.description).toBe('the road near my house is full of potholes, a motorbike fell yesterday');
    // The citizen's language is kept with the citizen, for every notification that follows.
    expect((await app.db.citizen.findUniqueOrThrow({ where: { id: stored.reporterId } })).language).toBe('en');
    expect(stored.privacy).toBe('anonim');
  });
});

describe('defect: greetings, salam and thanks got the menu or "belum saya pahami"', () => {
  it('salam is answered with Waalaikumsalam, thanks with sama-sama, "pagi min, mau lapor" starts a report', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['assalamualaikum min', 'makasih min', 'pagi min, mau lapor']);
    expect(replies[0]).toMatch(/^Waalaikumsalam, Kak/);
    expect(replies[1]).toMatch(/^Sama-sama, Kak/);
    expect(replies[1]).not.toMatch(/belum saya pahami|Buat laporan/);
    expect(replies[2]).toMatch(/Ceritakan masalahnya/);
    expect((await draftOf(app, key)).step).toBe('description');
  });

  it('a greeting in the middle of a report repeats only the pending question', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Trotoar depan pasar rusak dan berlubang, bahaya buat pejalan kaki', 'Jl. Gatot Subroto', 'halo min']);
    expect(replies[2]).toMatch(/Halo, Kak![\s\S]*foto pendukung/);
    expect(replies[2]).not.toMatch(/Buat laporan/);
  });
});

describe('defect: natural answers were refused or lost', () => {
  it.each([
    ['dua', 'anonim'],
    ['anonim aja min', 'anonim'],
    ['biasa aja', 'biasa'],
  ])('privacy "%s" is %s', async (answer, privacy) => {
    const app = await start();
    const key = citizen();
    const { stored } = await fileAndGetCase(app, key, ['Sampah menumpuk di pinggir jalan sudah seminggu, baunya menyengat', 'Jl. Sukarno Hatta', 'lewati', answer, 'iya']);
    expect(stored.privacy).toBe(privacy);
  });

  it('"cek status" asks for the number instead of looking up LPR-STATUS', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['cek status']);
    expect(replies[0]).toMatch(/Ketik nomor laporannya/);
    expect(replies[0]).not.toMatch(/LPR-STATUS/);
  });

  it('rating "lima", "5 bintang" and stars are recorded; "masih banjir min" reopens the case with those words', async () => {
    const app = await start();
    const outbox = recordOutbox(app);
    const key = citizen();
    const admin = 'tg:1300001';
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: admin });
    const answered = async (description: string) => {
      const { stored } = await fileAndGetCase(app, key, [description, 'Jl. Candi Panggung', 'lewati', '1', 'ya']);
      const deps: ActionDeps = { db: app.db, calendar: app.calendar, now: new Date() };
      const actor = { type: 'admin' as const, id: (await app.db.admin.findFirstOrThrow()).id };
      await verifyCase(deps, actor, stored.trackingId);
      await forwardCase(deps, actor, stored.trackingId, 'DPUPRPKP');
      await answerCase(deps, actor, stored.trackingId, 'Saluran sudah dibersihkan.');
      await outbox.drain();
      return stored.trackingId;
    };
    for (const [i, rating] of [['lima', 5], ['5 bintang', 5], ['⭐⭐⭐⭐', 4], ['4/5', 4]] as const) {
      const id = await answered(`Saluran air depan rumah mampet, tiap hujan banjir (${i})`);
      expect(await app.sayText(key, 'sudah beres min, makasih')).toMatch(/nilai layanannya/);
      expect(await app.sayText(key, i)).toMatch(new RegExp(`penilaiannya, Kak \\(${rating}/5\\)`));
      expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).rating).toBe(rating);
    }
    const id = await answered('Saluran air depan rumah mampet, tiap hujan banjir setinggi lutut');
    expect(await app.sayText(key, 'masih banjir min')).toMatch(/dibuka kembali/);
    const reopened = await app.db.case.findUniqueOrThrow({ where: { trackingId: id }, include: { events: true } });
    expect(reopened.status).toBe('reopened');
    expect(reopened.events.map((e) => e.note ?? '').join('\n')).toContain('masih banjir min');
  });
});

describe('defect: places were weakly understood', () => {
  it.each([
    ['puskesmas janti', 'Bandungrejosari'],
    ['depan pasar besar', 'Sukoharjo'],
    ['alun-alun tugu', 'Kiduldalem'],
    ['dkt polinema', 'Jatimulyo'],
  ])('"%s" is recognised (Kel. %s)', async (place, kelurahan) => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Banyak pengamen dan pengemis mengganggu pengunjung setiap sore', place]);
    expect(replies[1]).toMatch(new RegExp(`Kel\\. ${kelurahan}`));
    expect((await draftOf(app, key)).draft).toMatchObject({ locationText: place, kelurahan });
  });

  it('a place named in the first message is used without asking again', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['dalan e bolong-bolong dekat terminal hamid rusdi, wis seminggu']);
    expect(replies[0]).toMatch(/Lokasi saya catat: dekat terminal hamid rusdi[\s\S]*foto pendukung/);
    expect(replies[0]).not.toMatch(/Di mana lokasinya/);
  });
});

describe('defect: place words decided the agency', () => {
  it.each([
    [['dalan e bolong-bolong dekat terminal hamid rusdi'], 'DPUPRPKP'],
    [['dalan e bolong-bolong kel. bunulrejo'], 'DPUPRPKP'],
    [['uwuh numpuk nang pinggir kali, mambu wis telung dino', 'gang 4 rt 2 rw 3 kel. polehan'], 'DLH'],
    [['Parkir liar di trotoar, jukirnya narik 5 ribu', 'depan stasiun kota baru'], 'DISHUB'],
  ])('%j goes to %s', async (lines, opd) => {
    const app = await start();
    const { stored } = await fileAndGetCase(app, citizen(), [...lines, 'lewati', '1', 'ya']);
    expect(stored.opdCode).toBe(opd);
  });
});

describe('defect: restart, batal and the topic', () => {
  it('after a restart the pending question comes back with a reminder of the draft', async () => {
    const first = await start();
    const key = citizen();
    await first.say(key, 'Lampu penerangan jalan di gang kami mati sejak tiga hari lalu');
    const app = await first.restart();
    apps = apps.filter((a) => a !== first).concat(app);
    const reply = await app.sayText(key, 'halo');
    expect(reply).toMatch(/Kita lanjutkan laporan Kakak yang tadi: "Lampu penerangan jalan di gang kami mati sejak tiga hari la…"\.[\s\S]*Di mana lokasinya/);
    expect(reply).not.toMatch(/Buat laporan/);
  });

  it('after a long silence too, and an answer that fits is simply taken', async () => {
    let now = new Date('2026-11-30T01:00:00Z');
    const app = await createTestApp({ clock: () => now });
    apps.push(app);
    const key = citizen();
    await app.say(key, 'Lampu penerangan jalan di gang kami mati sejak tiga hari lalu');
    now = new Date('2026-11-30T05:00:00Z');
    expect(await app.sayText(key, 'min')).toMatch(/Kita lanjutkan laporan Kakak yang tadi[\s\S]*Lokasinya di mana/);
    now = new Date('2026-11-30T09:00:00Z');
    expect(await app.sayText(key, 'Jl. Bunga Kumis Kucing, Jatimulyo')).not.toMatch(/Kita lanjutkan/);
  });

  it('batal on a filled draft asks first; "gak" keeps the draft, "iya" throws it away', async () => {
    const app = await start();
    const key = citizen();
    const replies = await script(app, key, ['Pohon besar di pinggir jalan miring, takut tumbang kalau angin kencang', 'batal', 'gak']);
    expect(replies[1]).toMatch(/Batalkan laporan ini\?/);
    expect(replies[2]).toMatch(/kita lanjutkan[\s\S]*Di mana lokasinya/);
    expect((await draftOf(app, key)).draft).toMatchObject({ description: expect.stringContaining('Pohon besar') });
    expect(await script(app, key, ['batal', 'iya'])).toEqual([expect.stringMatching(/Batalkan/), expect.stringMatching(/dibatalkan/)]);
    expect((await draftOf(app, key)).draft).toBeUndefined();
  });

  it('the topic is acknowledged after the description', async () => {
    const app = await start();
    const [reply] = await script(app, citizen(), ['Jalan di kampung kami rusak parah, banyak lubang besar']);
    expect(reply).toMatch(/^Baik, soal jalan rusak ya\./);
  });

  it('the language stays with the citizen', async () => {
    const app = await start();
    const key = citizen();
    await script(app, key, ['Hello, there is a lot of garbage near my house', 'cancel', 'yes']);
    expect(await app.sayText(key, 'halo')).toMatch(/^Hello!/);
  });
});
