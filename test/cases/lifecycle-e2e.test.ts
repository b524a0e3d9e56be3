import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { COMPLAINT, fileThroughChat, recordOutbox, text, type Delivered } from '../helpers/lifecycle.ts';
import { addAdmin } from '../../cases/manage-admins.ts';
import { SERVICE_LEVELS } from '../../domain/service-levels.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

const CITIZEN = 'tg:5001';
const INSTANSI = 'tg:9001';
const DLH = 'tg:9002';
const PU = 'tg:9003';

/** What one drain delivered, as "key: first line" for readable exact assertions. */
const summary = (delivered: Delivered[]) => delivered.map((d) => `${d.key}: ${d.reply.text.split('\n')[0]}`);

describe('case lifecycle end to end (citizen, admin instansi, two OPDs)', () => {
  it('submit → verify → forward → returned by the wrong OPD → forward → answer → belum → answer → puas → rating', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    const profile = app.profile;
    const opdName = (code: string) => profile.opds.find((o) => o.code === code)!.name;

    // The first admin comes from the terminal (npm run admin); the others are added by command.
    await addAdmin(app.db, { role: 'instansi', name: 'Budi Instansi', conversationKey: INSTANSI });
    expect(await app.sayText(INSTANSI, `/admin tambah penghubung dlh ${DLH} Dewi DLH`)).toContain('ditambahkan');
    expect(await app.sayText(INSTANSI, `/admin tambah penghubung DPUPRPKP ${PU} Sari PU`)).toContain('ditambahkan');
    expect(summary(await outbox.drain())).toEqual([
      `${DLH}: Halo Dewi DLH, Anda terdaftar sebagai admin penghubung DLH di layanan pengaduan Kota Malang. Ketik /bantuan untuk daftar perintah.`,
      `${PU}: Halo Sari PU, Anda terdaftar sebagai admin penghubung DPUPRPKP di layanan pengaduan Kota Malang. Ketik /bantuan untuk daftar perintah.`,
    ]);

    // 1. Submit: the citizen's filing reply says "received"; every admin instansi is alerted, nobody else.
    const id = await fileThroughChat(app, CITIZEN, { name: 'Ani Wijaya', phone: '6281234567890' });
    let sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${INSTANSI}: 🆕 Laporan baru ${id}`]);
    expect(sent[0].reply.text).toContain(COMPLAINT);
    expect(sent[0].reply.caseRef).toBe(id);

    // 2. Verify (ids without LPR-, lower case, with #).
    const verified = await app.sayText(INSTANSI, `/verifikasi #${id.slice(4).toLowerCase()}`);
    expect(verified).toContain(`✅ ${id} terverifikasi`);
    sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${CITIZEN}: Laporan ${id} sudah diverifikasi petugas dan segera diteruskan ke instansi yang berwenang.`]);

    // 3. Forward to the wrong OPD (DLH): the citizen is told the OPD's name, DLH's admin is alerted.
    expect(await app.sayText(INSTANSI, `/teruskan ${id} DLH`)).toContain(`diteruskan ke ${opdName('DLH')}`);
    sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${CITIZEN}: ${sent[0].reply.text.split('\n')[0]}`, `${DLH}: 📨 Laporan ${id} diteruskan ke ${opdName('DLH')} untuk ditindaklanjuti.`]);
    expect(sent[0].reply.text).toContain(`diteruskan ke ${opdName('DLH')}`);
    let stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    expect(stored.status).toBe('forwarded');
    expect(stored.followUpDueAt!.getTime()).toBe(app.calendar.addWorkingDays(stored.forwardedAt!, SERVICE_LEVELS.followUpWorkingDays).getTime());
    expect(stored.firstResponseAt!.getTime()).toBe(stored.verifiedAt!.getTime());

    // 4. DLH hands it back: bukan wewenang. The admin instansi is alerted; the citizen is not bothered.
    expect(await app.sayText(DLH, `/kembalikan ${id} Ini jalan, bukan urusan DLH`)).toContain('dikembalikan');
    sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${INSTANSI}: ↩️ DLH mengembalikan laporan ${id} (bukan wewenang).`]);
    expect(sent[0].reply.text).toContain('Ini jalan, bukan urusan DLH');
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('rerouted');
    // DLH no longer sees the case at all.
    expect(await app.sayText(DLH, `/kasus ${id}`)).toBe(`Laporan ${id} tidak ditemukan atau bukan wewenang Anda.`);

    // 5. Forward again, to the roads OPD.
    expect(await app.sayText(INSTANSI, `/teruskan ${id} dpuprpkp`)).toContain('diteruskan');
    sent = await outbox.drain();
    expect(sent.map((d) => d.key)).toEqual([CITIZEN, PU]);
    expect(sent[0].reply.text).toContain(`diteruskan ke ${opdName('DPUPRPKP')}`);
    expect(sent[1].reply.text).toContain(`📨 Laporan ${id} diteruskan`);

    // 6. The OPD answers by replying to the bot's message about the case (Telegram reply → replyToCase).
    const answer1 = 'Lubang sudah ditambal oleh tim UPT Jalan pada hari ini.';
    expect(await app.sayText(PU, { text: answer1, replyToCase: sent[1].reply.caseRef })).toContain('dikirim ke pelapor');
    sent = await outbox.drain();
    expect(sent.map((d) => d.key)).toEqual([CITIZEN]);
    expect(sent[0].reply.text).toContain(answer1);
    expect(sent[0].reply.text).toContain(opdName('DPUPRPKP'));
    expect(sent[0].reply.choices?.map((c) => c.value)).toEqual(['puas', 'belum']);
    stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    expect(stored.status).toBe('answered');
    expect(stored.autoCloseAt!.getTime()).toBe(app.calendar.addWorkingDays(stored.answeredAt!, SERVICE_LEVELS.autoCloseWorkingDays).getTime());

    // 7. "belum": asked what is still wrong, then reopened back to the OPD with the citizen's words.
    expect(await app.sayText(CITIZEN, { choice: 'belum', text: 'Belum selesai' })).toContain('Apa yang masih belum beres');
    expect(await outbox.drain()).toEqual([]);
    const words = 'Lubang di sebelahnya belum ditambal, masih bahaya';
    expect(await app.sayText(CITIZEN, words)).toContain('dibuka kembali');
    sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${PU}: 🔁 Pelapor belum puas: laporan ${id} dibuka kembali.`]);
    expect(sent[0].reply.text).toContain(words);
    stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    expect([stored.status, stored.reopenCount, stored.autoCloseAt]).toEqual(['reopened', 1, null]);

    // 8. Answer again, with the command this time.
    const answer2 = 'Lubang kedua juga sudah ditambal, mohon dicek.';
    expect(await app.sayText(PU, `/balas ${id} ${answer2}`)).toContain('dikirim ke pelapor');
    sent = await outbox.drain();
    expect(sent.map((d) => d.key)).toEqual([CITIZEN]);
    expect(sent[0].reply.text).toContain(answer2);

    // 9. "puas": closed as resolved, asked for a rating; 10. the rating.
    const thanks = await app.say(CITIZEN, 'puas');
    expect(text(thanks)).toContain('Balas angka 1');
    expect(thanks[0].choices?.map((c) => c.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(await app.sayText(CITIZEN, { choice: '4', text: '4' })).toContain('(4/5)');
    expect(await outbox.drain()).toEqual([]);

    stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    expect({ status: stored.status, resolved: stored.resolved, rating: stored.rating, closed: stored.closedAt !== null }).toEqual({
      status: 'closed',
      resolved: true,
      rating: 4,
      closed: true,
    });
    const events = await app.db.caseEvent.findMany({ where: { caseId: stored.id }, orderBy: { at: 'asc' } });
    expect(events.map((e) => `${e.actorType}:${e.action}:${e.toStatus ?? ''}`)).toEqual([
      'citizen:submitted:submitted',
      'admin:verified:verified',
      'admin:forwarded:forwarded',
      'admin:returned:rerouted',
      'admin:forwarded:forwarded',
      'admin:answered:answered',
      'citizen:reopened:reopened',
      'admin:answered:answered',
      'citizen:satisfied:closed',
      'citizen:rated:',
    ]);
    // Every notice went out exactly once; nothing is left waiting.
    expect(await app.db.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    const citizenNotices = outbox.all.filter((d) => d.key === CITIZEN).map((d) => d.reply.text.split('\n')[0].slice(0, 40));
    expect(citizenNotices).toHaveLength(5); // verified, forwarded ×2, answered ×2
    // The citizen's own view of the history shows the answers and no internal detail.
    const status = await app.sayText(CITIZEN, `cek ${id}`);
    expect(status).toContain(answer2);
  });

  it('a second "belum" closes the case as unresolved and tells the admin instansi', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari', conversationKey: PU });
    const id = await fileThroughChat(app, CITIZEN);
    await app.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    await app.say(PU, `/balas ${id} Sudah ditambal`);
    // A new complaint that starts with "belum" is a new report, not an answer to the old one.
    expect(await app.sayText(CITIZEN, 'Belum ada lampu jalan di gang saya sejak bulan lalu, gelap sekali')).toContain('Di mana lokasinya');
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('answered');
    await app.say(CITIZEN, 'batal');
    // The new draft has content, so batal asks first.
    await app.say(CITIZEN, 'ya');
    expect(await app.sayText(CITIZEN, 'belum, masih berlubang di tengah jalan')).toContain('dibuka kembali');
    await app.say(PU, `/balas ${id} Sudah ditambal lagi`);
    await outbox.drain();
    expect(await app.sayText(CITIZEN, 'belum, tetap saja berlubang')).toContain('belum terselesaikan');
    const sent = await outbox.drain();
    expect(summary(sent)).toEqual([`${INSTANSI}: ❗ Laporan ${id} ditutup sebagai BELUM TERSELESAIKAN: pelapor masih belum puas setelah laporan dibuka kembali.`]);
    expect(sent[0].reply.text).toContain('tetap saja berlubang');
    const stored = await app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    expect([stored.status, stored.resolved, stored.reopenCount]).toEqual(['closed', false, 1]);
  });

  it('information the citizen adds reaches the OPD holding the case (tambah <id> or a reply to the case)', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari', conversationKey: PU });
    const id = await fileThroughChat(app, CITIZEN);
    // Before forwarding it goes to the admin instansi.
    expect(await app.sayText(CITIZEN, `tambah ${id.toLowerCase()} lubangnya sekarang dua`)).toContain('sudah kami teruskan');
    await app.say(INSTANSI, `/teruskan ${id}`);
    expect(await app.sayText(CITIZEN, { text: 'Tadi pagi ada motor jatuh di situ', replyToCase: id })).toContain('sudah kami teruskan');
    const sent = (await outbox.drain()).filter((d) => d.reply.text.startsWith('➕'));
    expect(sent.map((d) => d.key)).toEqual([INSTANSI, PU]);
    expect(sent[0].reply.text).toContain('lubangnya sekarang dua');
    expect(sent[1].reply.text).toContain('motor jatuh');
    // Another citizen cannot add to it, and learns nothing: the same reply as for an id that does not exist.
    await fileThroughChat(app, 'tg:666');
    const foreign = await app.sayText('tg:666', `tambah ${id} spam spam`);
    const missing = await app.sayText('tg:666', 'tambah LPR-ZZZZZZ spam spam');
    expect(foreign).toContain('tidak ditemukan');
    expect(foreign).toBe(missing.replace('LPR-ZZZZZZ', id));
    expect(await app.db.caseEvent.count({ where: { action: 'info_added', note: 'spam spam' } })).toBe(0);
  });
});
