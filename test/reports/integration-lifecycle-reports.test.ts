import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { addTestAdmins, fileThroughChat, RecordingSender, type Delivered } from '../helpers/lifecycle.ts';
import { wib } from '../helpers/case-fixtures.ts';
import { OutboxDispatcher } from '../../db/outbox.ts';
import { computeMonthlyReport } from '../../reports/monthly-report.ts';
import type { Figures } from '../../reports/monthly-figures.ts';
import { createScheduler } from '../../bot/scheduler.ts';
import { exportCases } from '../../reports/export-cases.ts';

/**
 * Issues 6 and 7 together: real admin commands and citizen messages through the engine (say()) on a fake
 * clock, November 2026 in Kota Malang (no public holiday that month; 2 November is a Monday). Then the daily
 * job (reminders, escalation, automatic close) and the monthly figures, checked against values worked out by
 * hand below.
 *
 *   B  Mon 2 08:00 filed · /verifikasi Mon 2 14:00 · /teruskan DLH Tue 3 10:00 · DLH /balas Wed 4 08:00 ·
 *      "puas" + rating 4 Wed 4 12:00
 *   C  Tue 3 09:00 filed · /teruskan DLH Tue 10 09:00 (verified late) · never answered
 *   D  Wed 4 10:00 filed · /teruskan DPUPRPKP Wed 4 11:00 · PU /kembalikan Thu 5 09:00 · /teruskan DLH Fri 6
 *      09:00 · DLH /balas Mon 9 10:00 · "belum, …" Mon 9 12:00 (reopened) · DLH /balas Tue 10 10:00 ·
 *      "belum, …" Tue 10 12:00 (closed unresolved)
 *   E  Thu 5 10:00 filed (terminal) · /tolak Thu 5 16:00
 *   A  Fri 6 15:00 filed · /teruskan DPUPRPKP Mon 9 09:00 (across the weekend) · PU /balas Thu 12 15:00 ·
 *      bare "belum" Fri 13 (asked what is wrong, never says) · closed automatically Fri 27
 */

const CITIZEN = { A: 'tg:7001', B: 'tg:7002', C: 'tg:7003', D: 'tg:7004', E: 'term:warga5' } as const;

let now = wib('2026-11-02T08:00');
let app: TestApp;
const ids: Record<keyof typeof CITIZEN, string> = { A: '', B: '', C: '', D: '', E: '' };

// The engine and the daily job read the fake clock. The outbox rows get their `nextAttemptAt` from the
// database's own clock (real time), so the recording dispatcher runs on real time and so sends every pending
// row at once, which is what the checks need: what went out, to whom, and how many times.
const senders = { tg: new RecordingSender('tg'), wa: new RecordingSender('wa'), term: new RecordingSender('term') };
let dispatcher: OutboxDispatcher;
async function drain(): Promise<Delivered[]> {
  const before = Object.values(senders).map((s) => s.delivered.length);
  while ((await dispatcher.drainOnce()) > 0);
  return Object.values(senders).flatMap((s, i) => s.delivered.slice(before[i]));
}
const to = (delivered: Delivered[], key: string) => delivered.filter((d) => d.key === key);
const about = (delivered: Delivered[], trackingId: string) => delivered.filter((d) => d.reply.caseRef === trackingId);

async function at(local: string, step: () => Promise<unknown>): Promise<void> {
  now = wib(local);
  await step();
}
const say = (key: string, text: string) => app.sayText(key, text);
async function dailyJob() {
  const result = await createScheduler(app, () => now).runNow();
  expect(result, 'daily job failed').toBeDefined();
  return result!;
}
const stored = (id: string) => app.db.case.findUniqueOrThrow({ where: { trackingId: id } });

beforeAll(async () => {
  app = await createTestApp({ clock: () => now });
  await addTestAdmins(app);
  dispatcher = new OutboxDispatcher(app.db, pino({ level: 'silent' }));
  for (const sender of Object.values(senders)) dispatcher.register(sender);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('lifecycle, deadlines, reminders and reports together (fake clock, November 2026)', () => {
  const INST = 'tg:9001';
  const DLH = 'tg:9002';
  const PU = 'tg:9003';

  it('runs the month through real commands', async () => {
    await at('2026-11-02T08:00', async () => {
      ids.B = await fileThroughChat(app, CITIZEN.B, { description: 'Sampah menumpuk di pojok gang Jl. Kalpataru, sudah seminggu tidak diangkut petugas' });
    });
    expect((await stored(ids.B)).verifyDueAt).toEqual(wib('2026-11-05T23:59:59.999'));
    await at('2026-11-02T14:00', async () => expect(await say(INST, `/verifikasi ${ids.B}`)).toContain('terverifikasi'));
    await at('2026-11-03T09:00', async () => {
      ids.C = await fileThroughChat(app, CITIZEN.C, { description: 'Tong sampah di taman kota rusak dan sampahnya berserakan ke jalan' });
    });
    await at('2026-11-03T10:00', async () => expect(await say(INST, `/teruskan ${ids.B} DLH`)).toContain('diteruskan'));
    await at('2026-11-04T08:00', async () => expect(await say(DLH, `/balas ${ids.B} Sampah sudah diangkut pagi ini`)).toContain('dikirim ke pelapor'));
    await at('2026-11-04T10:00', async () => {
      ids.D = await fileThroughChat(app, CITIZEN.D, { description: 'Saluran air di depan rumah mampet dan sampah plastik menyumbat gorong-gorong' });
    });
    await at('2026-11-04T11:00', async () => expect(await say(INST, `/teruskan ${ids.D} DPUPRPKP`)).toContain('diteruskan'));
    await at('2026-11-04T12:00', async () => {
      expect(await say(CITIZEN.B, 'puas')).toContain('Balas angka 1');
      expect(await say(CITIZEN.B, '4')).toContain('(4/5)');
    });

    // The roads OPD hands D back: the admin instansi gets a fresh verification-level deadline to forward it.
    await at('2026-11-05T09:00', async () => expect(await say(PU, `/kembalikan ${ids.D} Ini sampah, bukan wewenang PU`)).toContain('dikembalikan'));
    const rerouted = await stored(ids.D);
    expect([rerouted.status, rerouted.followUpDueAt, rerouted.verifyDueAt]).toEqual(['rerouted', null, wib('2026-11-10T23:59:59.999')]);
    // PU does not hold D any more: not in its report.
    expect((await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', opdCode: 'DPUPRPKP', now })).total.received).toBe(0);

    await at('2026-11-05T10:00', async () => {
      ids.E = await fileThroughChat(app, CITIZEN.E, { description: 'Mau tanya cara daftar beasiswa kuliah luar negeri lewat kantor kedutaan' });
    });
    await at('2026-11-05T16:00', async () => expect(await say(INST, `/tolak ${ids.E} Bukan layanan Pemerintah Kota Malang`)).toContain('ditolak'));
    await at('2026-11-06T09:00', async () => expect(await say(INST, `/teruskan ${ids.D} DLH`)).toContain('diteruskan'));
    await at('2026-11-06T15:00', async () => {
      ids.A = await fileThroughChat(app, CITIZEN.A, { description: 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor' });
    });
    // Across the weekend.
    await at('2026-11-09T09:00', async () => expect(await say(INST, `/teruskan ${ids.A} DPUPRPKP`)).toContain('diteruskan'));
    expect((await stored(ids.A)).followUpDueAt).toEqual(wib('2026-11-16T23:59:59.999'));
    await at('2026-11-09T10:00', async () => expect(await say(DLH, `/balas ${ids.D} Saluran sudah dibersihkan petugas`)).toContain('dikirim'));
    await at('2026-11-09T12:00', async () => expect(await say(CITIZEN.D, 'belum, sampahnya masih menumpuk di pojok gang')).toContain('dibuka kembali'));
    await at('2026-11-10T09:00', async () => expect(await say(INST, `/teruskan ${ids.C} DLH`)).toContain('diteruskan'));
    await at('2026-11-10T10:00', async () => expect(await say(DLH, `/balas ${ids.D} Sudah kami angkut semua`)).toContain('dikirim'));
    await at('2026-11-10T12:00', async () => expect(await say(CITIZEN.D, 'belum, tetap belum diangkut sama sekali')).toContain('belum terselesaikan'));
    await at('2026-11-12T15:00', async () => expect(await say(PU, `/balas ${ids.A} Lubang sudah ditambal tim UPT Jalan`)).toContain('dikirim'));
    const answered = await stored(ids.A);
    expect(answered.autoCloseAt).toEqual(wib('2026-11-26T23:59:59.999'));
    // The city's export carries the deadline too.
    const exported = (await exportCases(app.db, app.calendar, { from: '2026-11-06', to: '2026-11-06' })).find((r) => r.trackingId === ids.A);
    expect(exported?.autoCloseAt).toBe(wib('2026-11-26T23:59:59.999').toISOString());
    // A bare "belum": asked what is still wrong; the citizen never answers.
    await at('2026-11-13T08:00', async () => expect(await say(CITIZEN.A, 'belum')).toContain('Apa yang masih belum beres'));

    const statuses = await Promise.all(Object.values(ids).map(async (id) => (await stored(id)).status));
    expect(Object.fromEntries(Object.keys(ids).map((k, i) => [k, statuses[i]]))).toEqual({
      A: 'answered',
      B: 'closed',
      C: 'forwarded',
      D: 'closed',
      E: 'rejected',
    });
    // Everything so far goes out; the rest of the test looks only at what the daily job sends.
    const sent = await drain();
    expect(to(sent, CITIZEN.E).map((d) => d.reply.text).join('\n')).toContain('Bukan layanan Pemerintah Kota Malang');
    expect(to(sent, INST).some((d) => d.reply.text.startsWith(`❗ Laporan ${ids.D} ditutup sebagai BELUM TERSELESAIKAN`))).toBe(true);
  });

  it('reminds the OPD of a case due tomorrow once, even when the daily job runs twice', async () => {
    now = wib('2026-11-16T07:00');
    expect(await dailyJob()).toMatchObject({ workingDay: true, reminders: 1, escalations: 0 });
    expect(await dailyJob()).toMatchObject({ reminders: 0, escalations: 0, summaries: 0 });
    const sent = await drain();
    expect(about(sent, ids.C).map((d) => d.key)).toEqual([DLH]);
    expect(about(sent, ids.C)[0].reply.text).toContain('Selasa, 17 November 2026 (hari kerja berikutnya)');
    // One summary each, nothing else for the PU admin.
    expect(to(sent, PU).map((d) => d.reply.text.split('\n')[0])).toEqual(['📋 Ringkasan Senin, 16 November 2026 (DPUPRPKP):']);
    expect(to(sent, INST)).toHaveLength(1);
  });

  it('reminds the OPD of the overdue case once and escalates it once to the admin instansi', async () => {
    now = wib('2026-11-18T07:00');
    expect(await dailyJob()).toMatchObject({ reminders: 1, escalations: 1 });
    now = wib('2026-11-18T13:00');
    expect(await dailyJob()).toMatchObject({ reminders: 0, escalations: 0, summaries: 0 });
    const sent = await drain();
    const forC = about(sent, ids.C);
    expect(forC.map((d) => d.key).sort()).toEqual([DLH, INST].sort());
    expect(to(forC, DLH)[0].reply.text).toMatch(/sudah melewati batas waktu tindak lanjut \(Selasa, 17 November 2026\)/);
    expect(to(forC, INST)[0].reply.text).toMatch(/Eskalasi: laporan .* belum ditindaklanjuti oleh Dinas Lingkungan Hidup/);
    // A (answered, waiting on the citizen) is nobody's overdue work.
    expect(about(sent, ids.A)).toEqual([]);
  });

  it('closes A automatically 10 working days after the answer, through the lifecycle, and tells the citizen once', async () => {
    now = wib('2026-11-26T07:00');
    expect(await dailyJob()).toMatchObject({ autoClosed: 0 });
    await drain();
    now = wib('2026-11-27T07:00');
    expect(await dailyJob()).toMatchObject({ autoClosed: 1 });
    expect(await dailyJob()).toMatchObject({ autoClosed: 0 });
    const sent = await drain();
    const toCitizen = to(sent, CITIZEN.A);
    expect(toCitizen).toHaveLength(1);
    expect(toCitizen[0].reply.text).toBe(
      `Laporan ${ids.A} kami tutup karena tidak ada tanggapan dari Kakak selama 10 hari kerja setelah tindak lanjut dikirim. Terima kasih sudah melapor! Kalau masalahnya belum selesai, silakan kirim laporan baru.`,
    );
    expect(toCitizen[0].reply.caseRef).toBe(ids.A);
    const closed = await app.db.case.findUniqueOrThrow({ where: { trackingId: ids.A }, include: { events: { orderBy: { at: 'asc' } } } });
    expect({ status: closed.status, closedAt: closed.closedAt, resolved: closed.resolved, autoCloseAt: closed.autoCloseAt }).toEqual({
      status: 'closed',
      closedAt: now,
      resolved: null,
      autoCloseAt: null,
    });
    expect(closed.events.at(-1)).toMatchObject({ actorType: 'system', actorId: null, action: 'auto_closed', fromStatus: 'answered', toStatus: 'closed' });
    expect(await app.db.outboxMessage.count({ where: { dedupeKey: `auto-close:${closed.id}` } })).toBe(1);
    // The admin sees it in the history.
    expect(await say(INST, `/kasus ${ids.A}`)).toContain('ditutup otomatis');
  });

  it('answers a late reason, "puas" and "belum" on the closed case clearly, without reopening it', async () => {
    now = wib('2026-11-27T09:00');
    const eventsBefore = await app.db.caseEvent.count();
    // The reason A's citizen was asked for on the 13th arrives after the close.
    const late = await say(CITIZEN.A, 'Lubangnya masih ada di dekat gerbang sekolah');
    expect(late).toBe(`Laporan ${ids.A} sudah ditutup, jadi jawaban puas/belum tidak bisa dicatat lagi. Kalau masalahnya belum selesai, silakan kirim laporan baru: ceritakan saja masalahnya di sini.`);
    expect(await say(CITIZEN.A, 'puas')).toBe(late);
    expect(await say(CITIZEN.A, 'belum')).toBe(late);
    // Pressing an old "Belum selesai" button, and replying to the bot's message about the case.
    expect(await app.sayText(CITIZEN.A, { choice: 'belum' })).toBe(late);
    expect(await app.sayText(CITIZEN.A, { text: 'belum, masih berlubang', replyToCase: ids.A })).toBe(late);
    expect((await stored(ids.A)).status).toBe('closed');
    expect(await app.db.caseEvent.count()).toBe(eventsBefore);
    expect(await drain()).toEqual([]);
    // The conversation is back to normal: a greeting shows the menu.
    expect(await say(CITIZEN.A, 'halo')).toContain('Ini layanan pengaduan warga');
  });

  it('reports the month with the hand-computed figures', async () => {
    const reportNow = wib('2026-11-30T10:00');
    const report = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now: reportNow });
    const expected: Partial<Figures> = {
      received: 5,
      responded: 5,
      responseRate: 1,
      // A Fri 15:00 → Mon 09:00 = 0.375 + 0.375 = 0.75; B 6 h = 0.25; C Tue → Tue = 5; D 1 h = 1/24; E 6 h = 0.25.
      // Sum 6.291667 / 5 = 1.2583; median of (0.0417, 0.25, 0.25, 0.75, 5) = 0.25.
      firstResponseAvgWd: 1.26,
      firstResponseMedianWd: 0.25,
      // A Fri 15:00 → Thu 12 15:00 = 0.375 + 3 + 0.625 = 4; B Mon 08:00 → Wed 08:00 = 2; D Wed 10:00 → Tue 10
      // 10:00 (its last answer) = 4. Average 10 / 3, median 4.
      answered: 3,
      answerAvgWd: 3.33,
      answerMedianWd: 4,
      // A (due Wed 11, verified Mon 9), B, D on time; C verified Tue 10, due Fri 6: late. E rejected: not judged.
      verifySla: { judged: 4, met: 3, rate: 0.75 },
      // A (due Mon 16, answered Thu 12), B (due Tue 10, Wed 4), D (re-forwarded Fri 6, due Fri 13, answered
      // Tue 10) on time; C due Tue 17, never answered: missed.
      followUpSla: { judged: 4, met: 3, rate: 0.75 },
      rated: 1,
      ratingAvg: 4,
      // B puas, D closed unresolved; A closed automatically: the citizen never said.
      resolvedAnswered: 2,
      resolvedYes: 1,
      resolvedRate: 0.5,
    };
    expect(report.total).toMatchObject(expected);
    expect(report.byChannel.map((r) => [r.key, r.received])).toEqual([
      ['tg', 4],
      ['term', 1],
    ]);

    // DLH holds B, C and D (D after the hand-back); the roads OPD holds A only.
    const dlh = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', opdCode: 'DLH', now: reportNow });
    expect(dlh.total).toMatchObject({ received: 3, answered: 2, followUpSla: { judged: 3, met: 2 }, rated: 1, resolvedAnswered: 2, resolvedYes: 1 });
    const pu = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', opdCode: 'DPUPRPKP', now: reportNow });
    expect(pu.total).toMatchObject({ received: 1, firstResponseAvgWd: 0.75, answerAvgWd: 4, followUpSla: { judged: 1, met: 1 } });
  });

  it('gives the admin instansi /statistik as text and a PNG chart that exists', async () => {
    now = wib('2026-11-30T10:00');
    const replies = await app.say(INST, '/statistik november');
    expect(replies).toHaveLength(2);
    expect(replies[0].text).toContain('Statistik Kota Malang November 2026 (semua OPD)');
    expect(replies[0].text).toContain('Laporan diterima: 5');
    expect(replies[0].text).toMatch(/Tingkat respons: 100,0\s?% \(5 dari 5\)/);
    expect(replies[0].text).toContain('SLA tindak lanjut ≤5 hk: 75,0');
    const file = path.resolve(app.dir, replies[1].image!.path);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    // The OPD's admin gets its own OPD only.
    expect((await app.say(DLH, '/statistik november'))[0].text).toContain('November 2026 (DLH)\nLaporan diterima: 3');
  });
});

describe('/statistik in the admin help', () => {
  it('is listed with its usage for both roles, has its own help, and stays unknown to non-admins', async () => {
    for (const key of ['tg:9001', 'tg:9002']) {
      const help = await say(key, '/bantuan');
      expect(help).toMatch(/• \/statistik \[bulan\] — statistik bulanan/);
    }
    expect(await say('tg:9001', '/bantuan statistik')).toMatch(/^\/statistik \[bulan\]\n.*\nContoh: \/statistik november 2026$/s);
    // An admin's /statistik reaches the statistik interceptor (not the admin command parser's usage reply).
    expect(await say('tg:9003', '/statistik 2026-11')).toContain('📊 Statistik Kota Malang November 2026 (DPUPRPKP)');
    // A citizen (even one with a case) gets exactly the unknown-command reply.
    const unknown = await say(CITIZEN.B, '/perintahngawur');
    expect(await say(CITIZEN.B, '/statistik')).toBe(unknown);
    expect(await say(CITIZEN.B, '/statistik november')).toBe(unknown);
    expect(await say('tg:424242', '/statistik')).toBe(await say('tg:424242', '/perintahngawur'));
  });
});
