import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { addTestAdmins, bringTo, deps, fileFixtureCase, recordOutbox } from '../helpers/lifecycle.ts';
import { supportCase } from '../../cases/support-case.ts';
import { SERVICE_LEVELS } from '../../domain/service-levels.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

const FIRE = 'Kebakaran rumah di gang 3 sekarang, apinya besar, tolong cepat';
const HOUR = 3_600_000;

const caseRow = (trackingId: string) => app!.db.case.findUniqueOrThrow({ where: { trackingId } });

describe('urgent cases', () => {
  it('files an emergency urgent: deadline in hours, the instansi and the routed OPD alerted at once, other OPDs not', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    await addTestAdmins(app);
    const urgentId = await fileFixtureCase(app, { draft: { description: FIRE } });
    const normalId = await fileFixtureCase(app);
    const urgent = await caseRow(urgentId);
    const normal = await caseRow(normalId);
    expect(urgent).toMatchObject({ urgent: true, emergencyKind: 'fire' });
    expect(urgent.verifyDueAt!.getTime() - urgent.submittedAt.getTime()).toBe(app.profile.emergency.urgentDeadlines.verifyHours * HOUR);
    expect(normal.urgent).toBe(false);
    expect(normal.verifyDueAt!.getTime()).toBe(app.calendar.addWorkingDays(normal.submittedAt, SERVICE_LEVELS.verifyWorkingDays).getTime());

    const sent = await outbox.drain();
    const to = (key: string) => sent.filter((d) => d.key === key).map((d) => d.reply.text);
    expect(to('tg:9001').find((t) => t.includes(urgentId))).toMatch(/^🚨 DARURAT \(kebakaran\)/);
    expect(to('tg:9001').find((t) => t.includes(urgentId))).toContain(`/bukandarurat ${urgentId}`);
    expect(to('tg:9001').find((t) => t.includes(normalId))).toMatch(/^🆕 Laporan baru/);
    // The roads OPD the case is routed to is warned before forwarding; DLH hears nothing; a normal case warns no OPD.
    expect(to('tg:9003')).toHaveLength(1);
    expect(to('tg:9003')[0]).toContain(urgentId);
    expect(to('tg:9003')[0]).toContain('menunggu verifikasi');
    expect(to('tg:9002')).toEqual([]);
  });

  it('follows the classifier: its emergency flag wins over the offline rules either way', async () => {
    app = await createTestApp();
    const base = { reportKind: 'pengaduan', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', confidence: 0.9, reason: 'x', classifier: 'llm', latencyMs: 1 } as const;
    const saidNo = await fileFixtureCase(app, { draft: { description: FIRE, classification: { ...base, emergency: false } } });
    const saidYes = await fileFixtureCase(app, { draft: { description: 'Ada yang aneh di jalan depan', classification: { ...base, emergency: true, emergencyKind: 'collapse' } } });
    expect((await caseRow(saidNo)).urgent).toBe(false);
    expect(await caseRow(saidYes)).toMatchObject({ urgent: true, emergencyKind: 'collapse' });
  });

  it('forwards an urgent case with a follow-up deadline in hours', async () => {
    app = await createTestApp();
    const admins = await addTestAdmins(app);
    const id = await fileFixtureCase(app, { draft: { description: FIRE } });
    await bringTo(app, id, 'forwarded', admins);
    const c = await caseRow(id);
    expect(c.followUpDueAt!.getTime() - c.forwardedAt!.getTime()).toBe(app.profile.emergency.urgentDeadlines.followUpHours * HOUR);
  });

  it('leads /inbox, even before an overdue case, and /inbox darurat lists only urgent cases', async () => {
    app = await createTestApp();
    await addTestAdmins(app);
    const overdue = await fileFixtureCase(app);
    await app.db.case.update({ where: { trackingId: overdue }, data: { verifyDueAt: new Date(Date.now() - 24 * HOUR) } });
    const urgent = await fileFixtureCase(app, { draft: { description: FIRE } });
    const inbox = await app.sayText('tg:9001', '/inbox');
    expect(inbox.indexOf(urgent)).toBeGreaterThan(0);
    expect(inbox.indexOf(urgent)).toBeLessThan(inbox.indexOf(overdue));
    expect(inbox).toContain(`🚨 ${urgent}`);
    const onlyUrgent = await app.sayText('tg:9001', '/inbox darurat');
    expect(onlyUrgent).toContain(urgent);
    expect(onlyUrgent).not.toContain(overdue);
  });

  it('/bukandarurat clears a false alarm: working-day deadlines, event recorded, the warned OPD told; only the admin instansi may', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    await addTestAdmins(app);
    const id = await fileFixtureCase(app, { draft: { description: FIRE } });
    await outbox.drain();
    expect(await app.sayText('tg:9003', `/bukandarurat ${id}`)).toContain('hanya untuk admin instansi');
    expect(await app.sayText('tg:9001', `/bukandarurat ${id} sudah padam sejak kemarin`)).toContain(`Tanda darurat ${id} dicabut`);
    const c = await caseRow(id);
    expect(c.urgent).toBe(false);
    expect(c.emergencyKind).toBe('fire');
    expect(c.verifyDueAt!.getTime()).toBe(app.calendar.addWorkingDays(c.submittedAt, SERVICE_LEVELS.verifyWorkingDays).getTime());
    const events = await app.db.caseEvent.findMany({ where: { caseId: c.id, action: 'emergency_cleared' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ internal: true, note: 'sudah padam sejak kemarin' });
    const sent = await outbox.drain();
    expect(sent.filter((d) => d.key === 'tg:9003').map((d) => d.reply.text).join('\n')).toContain(`${id} ternyata bukan keadaan darurat`);
    expect(sent.some((d) => d.key === c.conversationKey)).toBe(false);
    expect(await app.sayText('tg:9001', `/bukandarurat ${id}`)).toContain('tidak sedang ditandai darurat');
    expect(await app.sayText('tg:9001', `/kasus ${id}`)).toContain('tanda darurat dicabut');
  });
});

describe('duplicates: /gabung and supporters', () => {
  it('merges a duplicate: its reporter supports the main case, is told by tracking ids only, and hears its progress without the answer text', async () => {
    app = await createTestApp();
    const outbox = recordOutbox(app);
    const admins = await addTestAdmins(app);
    const main = await fileFixtureCase(app, { key: 'tg:111', name: 'Siti Rahayu' });
    const dup = await fileFixtureCase(app, { key: 'tg:222', name: 'Joko Santoso' });
    await outbox.drain();

    expect(await app.sayText('tg:9003', `/gabung ${dup} ${main}`)).toContain('hanya untuk admin instansi');
    expect(await app.sayText('tg:9001', `/gabung ${dup} ${dup}`)).toContain('dirinya sendiri');
    expect(await app.sayText('tg:9001', `/gabung ${dup} LPR-ZZZZZZ`)).toContain('Laporan utama LPR-ZZZZZZ tidak ditemukan');
    expect(await app.sayText('tg:9001', `/gabung ${dup} ${main}`)).toContain(`${dup} digabung ke ${main}`);

    const d = await caseRow(dup);
    const m = await caseRow(main);
    expect(d).toMatchObject({ status: 'closed', mergedIntoId: m.id });
    expect(await app.db.caseSupporter.findMany({ where: { caseId: m.id } })).toMatchObject([{ citizenId: d.reporterId, conversationKey: 'tg:222', source: 'merge', fromCaseId: d.id }]);
    // A merged case cannot be the main case of another merge.
    const third = await fileFixtureCase(app);
    expect(await app.sayText('tg:9001', `/gabung ${third} ${dup}`)).toContain('sudah digabung');

    let sent = await outbox.drain();
    const toDupReporter = sent.filter((s) => s.key === 'tg:222').map((s) => s.reply.text).join('\n');
    expect(toDupReporter).toContain(dup);
    expect(toDupReporter).toContain(main);
    expect(toDupReporter).not.toContain('Siti');
    expect(sent.some((s) => s.key === 'tg:111')).toBe(false);

    const kasus = await app.sayText('tg:9001', `/kasus ${main}`);
    expect(kasus).toContain('👥 1 warga melaporkan hal serupa');
    expect(kasus).not.toContain('Joko');
    expect(await app.sayText('tg:9001', `/kasus ${dup}`)).toContain(`Digabung ke ${main}`);

    await bringTo(app, main, 'answered', admins);
    sent = await outbox.drain();
    const reporterTexts = sent.filter((s) => s.key === 'tg:111').map((s) => s.reply.text).join('\n');
    const supporterTexts = sent.filter((s) => s.key === 'tg:222').map((s) => s.reply.text);
    expect(reporterTexts).toContain('Sudah ditangani');
    expect(supporterTexts).toEqual([
      `Kabar laporan ${main} yang Kakak dukung: sudah diteruskan ke ${m.opdCode === 'DPUPRPKP' ? (await app.db.opd.findUniqueOrThrow({ where: { code: 'DPUPRPKP' } })).name : ''} untuk ditindaklanjuti.`,
      expect.stringContaining(`Kabar laporan ${main} yang Kakak dukung: sudah ditanggapi`),
    ]);
    expect(supporterTexts.join('\n')).not.toContain('Sudah ditangani');
    expect(supporterTexts.join('\n')).not.toContain('Siti');
    // The reporter's own "puas" closes the case: the supporter hears that too.
    await app.sayText('tg:111', 'puas');
    const afterPuas = (await outbox.drain()).filter((x) => x.key === 'tg:222').map((x) => x.reply.text);
    expect(afterPuas).toEqual([`Kabar laporan ${main} yang Kakak dukung: sudah selesai dan ditutup. Terima kasih atas dukungannya.`]);
    // The OPD's forwarded alert carries the count, never the supporter.
    const opdAlert = sent.filter((s) => s.key === 'tg:9003').map((s) => s.reply.text).join('\n');
    expect(opdAlert).toContain('👥 1 warga melaporkan hal serupa');
  });

  it('supportCase counts a supporter once, refuses the reporter and finished cases', async () => {
    app = await createTestApp();
    const admins = await addTestAdmins(app);
    const id = await fileFixtureCase(app, { key: 'tg:333' });
    const request = (key: string) => ({ trackingId: id, conversationKey: key, channel: 'tg' as const, sender: {}, language: 'id', now: new Date() });
    const first = await supportCase(deps(app), request('tg:444'));
    expect(first).toMatchObject({ ok: true, supporterCount: 1, alreadySupported: false });
    if (first.ok) expect(first.reply).toContain('1 warga melaporkan hal serupa');
    expect(await supportCase(deps(app), request('tg:444'))).toMatchObject({ ok: true, supporterCount: 1, alreadySupported: true });
    expect(await supportCase(deps(app), request('tg:555'))).toMatchObject({ ok: true, supporterCount: 2 });
    expect(await supportCase(deps(app), request('tg:333'))).toMatchObject({ ok: false, refusal: { code: 'OWN_CASE' } });
    expect(await app.db.caseEvent.count({ where: { action: 'supported' } })).toBe(2);
    await bringTo(app, id, 'answered', admins);
    await app.sayText('tg:9001', `/tutup ${id}`);
    expect(await supportCase(deps(app), request('tg:666'))).toMatchObject({ ok: false, refusal: { code: 'ALREADY_FINISHED' } });
    expect(await supportCase(deps(app), { ...request('tg:666'), trackingId: 'LPR-ZZZZZZ' })).toMatchObject({ ok: false, refusal: { code: 'NOT_FOUND' } });
  });
});

describe('reports and export count emergencies, supporters and merges', () => {
  it('the monthly report and the export carry them, never a supporter', async () => {
    const { computeMonthlyReport } = await import('../../reports/monthly-report.ts');
    const { formatReportText } = await import('../../reports/report-format.ts');
    const { exportCases, formatExportCsv } = await import('../../reports/export-cases.ts');
    const { monthOf } = await import('../../reports/monthly-figures.ts');
    app = await createTestApp();
    await addTestAdmins(app);
    const main = await fileFixtureCase(app, { key: 'tg:111' });
    const dup = await fileFixtureCase(app, { key: 'tg:222' });
    const fire = await fileFixtureCase(app, { draft: { description: FIRE } });
    const falseAlarm = await fileFixtureCase(app, { draft: { description: FIRE } });
    await app.sayText('tg:9001', `/gabung ${dup} ${main}`);
    await app.sayText('tg:9001', `/bukandarurat ${falseAlarm}`);
    await supportCase(deps(app), { trackingId: main, conversationKey: 'wa:acc:6281234567890@s.whatsapp.net', channel: 'wa', sender: { name: 'Rudi' }, language: 'id', now: new Date() });
    const now = new Date();
    const report = await computeMonthlyReport(app.db, app.calendar, { month: monthOf(app.calendar, now), now });
    expect(report.sameProblem).toEqual({ urgent: 2, falseAlarms: 1, merged: 1, supporters: 2, casesWithSupporters: 1 });
    expect(formatReportText(report)).toContain('Laporan serupa: 2 dukungan warga pada 1 laporan, 1 laporan ganda digabung');
    expect(formatReportText(report)).toContain('Darurat: 2 laporan (1 ternyata bukan darurat)');
    const day = app.calendar.localDate(now);
    const rows = await exportCases(app.db, app.calendar, { from: day, to: day });
    const byId = new Map(rows.map((r) => [r.trackingId, r]));
    expect(byId.get(main)).toMatchObject({ supporterCount: 2, mergedInto: null, urgent: false });
    expect(byId.get(dup)).toMatchObject({ mergedInto: main, status: 'closed' });
    expect(byId.get(fire)).toMatchObject({ urgent: true, emergencyKind: 'fire' });
    expect(byId.get(falseAlarm)).toMatchObject({ urgent: false, emergencyKind: 'fire' });
    const csv = formatExportCsv(rows);
    expect(csv.split('\n')[0]).toContain('urgent,emergencyKind,supporterCount,mergedInto');
    expect(csv).not.toContain('Rudi');
    expect(csv).not.toContain('6281234567890');
  });
});
