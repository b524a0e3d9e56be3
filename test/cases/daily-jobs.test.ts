import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../helpers/test-app.ts';
import { insertAdmin, insertCase, wib } from '../helpers/case-fixtures.ts';
import { runDailyJobs, type ReminderDeps } from '../../cases/daily-jobs.ts';
import { createScheduler } from '../../bot/scheduler.ts';
import type { Reply } from '../../flows/types.ts';
import type { Db } from '../../db/client.ts';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps) await app.cleanup().catch(() => undefined);
  apps = [];
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await createTestApp({ env });
  apps.push(app);
  return app;
}

const endOf = (ymd: string) => wib(`${ymd}T23:59:59.999`);
const deps = (app: TestApp): ReminderDeps => ({ db: app.db, calendar: app.calendar, log: app.log, timezone: app.profile.timezone });

async function outbox(app: TestApp) {
  const rows = await app.db.outboxMessage.findMany({ orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ ...r, text: (r.payload as unknown as Reply).text }));
}
const keysOf = (rows: Array<{ dedupeKey: string | null }>, prefix: string) =>
  rows
    .map((r) => r.dedupeKey ?? '')
    .filter((k) => k.startsWith(prefix))
    .sort();

/** The scenario every reminder test starts from; "now" is Thursday 19 November 2026, 07:00 WIB. */
async function scenario(app: TestApp) {
  const db = app.db;
  const admins = {
    pu1: await insertAdmin(db, { opdCode: 'DPUPRPKP' }),
    pu2: await insertAdmin(db, { opdCode: 'DPUPRPKP' }),
    puGone: await insertAdmin(db, { opdCode: 'DPUPRPKP', removedAt: wib('2026-11-01') }),
    dlh: await insertAdmin(db, { opdCode: 'DLH' }),
    inst1: await insertAdmin(db, { role: 'instansi' }),
    inst2: await insertAdmin(db, { role: 'instansi' }),
    instGone: await insertAdmin(db, { role: 'instansi', removedAt: wib('2026-11-01') }),
  };
  const forwarded = (due: string, opdCode = 'DPUPRPKP') =>
    insertCase(db, { status: 'forwarded', opdCode, forwardedAt: wib('2026-11-10T10:00'), followUpDueAt: endOf(due) });
  const cases = {
    dueTomorrow: await forwarded('2026-11-20'),
    overdue: await forwarded('2026-11-18'),
    dlhDueTomorrow: await forwarded('2026-11-20', 'DLH'),
    unverifiedOverdue: await insertCase(db, { status: 'submitted', verifyDueAt: endOf('2026-11-17') }),
    unverifiedInTime: await insertCase(db, { status: 'submitted', verifyDueAt: endOf('2026-11-23') }),
    forwardedInTime: await forwarded('2026-11-24'),
  };
  return { admins, cases };
}

/** Runs `race` once, just before the first transaction `db` opens (a change landing between a read and a write). */
function beforeFirstTransaction(db: Db, race: () => Promise<unknown>): () => void {
  const target = db as unknown as { $transaction: (fn: unknown) => Promise<unknown> };
  const original = target.$transaction.bind(db);
  let raced = false;
  target.$transaction = async (fn: unknown) => {
    if (!raced) {
      raced = true;
      await race();
    }
    return original(fn);
  };
  return () => {
    target.$transaction = original;
  };
}

describe('deadline reminders and escalation', () => {
  it('reminds the OPD of cases due on the next working day and overdue, and escalates overdue cases to every admin instansi', async () => {
    const app = await start();
    const { admins, cases } = await scenario(app);
    const result = await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    expect(result).toMatchObject({ workingDay: true, reminders: 5, escalations: 4, summaries: 5 });

    const rows = await outbox(app);
    const reminderKeys = keysOf(rows, 'reminder:');
    expect(reminderKeys).toEqual(
      [
        `reminder:due-soon:${cases.dueTomorrow.id}:${admins.pu1.id}:${endOf('2026-11-20').getTime()}`,
        `reminder:due-soon:${cases.dueTomorrow.id}:${admins.pu2.id}:${endOf('2026-11-20').getTime()}`,
        `reminder:overdue:${cases.overdue.id}:${admins.pu1.id}:${endOf('2026-11-18').getTime()}`,
        `reminder:overdue:${cases.overdue.id}:${admins.pu2.id}:${endOf('2026-11-18').getTime()}`,
        `reminder:due-soon:${cases.dlhDueTomorrow.id}:${admins.dlh.id}:${endOf('2026-11-20').getTime()}`,
      ].sort(),
    );
    const reminderTo = new Set(rows.filter((r) => r.dedupeKey?.startsWith('reminder:')).map((r) => r.conversationKey));
    expect(reminderTo).toEqual(new Set([admins.pu1.conversationKey, admins.pu2.conversationKey, admins.dlh.conversationKey]));

    const escalations = rows.filter((r) => r.dedupeKey?.startsWith('escalation:'));
    expect(escalations.map((r) => r.conversationKey).sort()).toEqual(
      [admins.inst1.conversationKey, admins.inst1.conversationKey, admins.inst2.conversationKey, admins.inst2.conversationKey].sort(),
    );
    expect(new Set(escalations.map((r) => r.caseId))).toEqual(new Set([cases.overdue.id, cases.unverifiedOverdue.id]));
    const verifyEscalation = escalations.find((r) => r.caseId === cases.unverifiedOverdue.id)!;
    expect(verifyEscalation.text).toContain(cases.unverifiedOverdue.trackingId);
    expect(verifyEscalation.text).toMatch(/belum diverifikasi/);
    expect(verifyEscalation.text).toContain('Selasa, 17 November 2026');
    const followUpEscalation = escalations.find((r) => r.caseId === cases.overdue.id)!;
    expect(followUpEscalation.text).toMatch(/Dinas Pekerjaan Umum/);

    const dueSoon = rows.find((r) => r.dedupeKey?.startsWith(`reminder:due-soon:${cases.dueTomorrow.id}`))!;
    expect(dueSoon.text).toContain('Jumat, 20 November 2026');
    expect((dueSoon.payload as unknown as Reply).caseRef).toBe(cases.dueTomorrow.trackingId);
    // Removed admins get nothing.
    expect(rows.some((r) => r.conversationKey === admins.puGone.conversationKey || r.conversationKey === admins.instGone.conversationKey)).toBe(false);
  });

  it('sends each notice once: a second run, a restart and two concurrent runs add no outbox row', async () => {
    let app = await start();
    await scenario(app);
    const now = wib('2026-11-19T07:00');
    await runDailyJobs(deps(app), now);
    const first = (await outbox(app)).map((r) => r.dedupeKey).sort();
    expect(first).toHaveLength(14);

    const again = await runDailyJobs(deps(app), wib('2026-11-19T09:30'));
    expect(again).toMatchObject({ reminders: 0, escalations: 0, summaries: 0 });
    app = await app.restart();
    apps.push(app);
    await Promise.all([runDailyJobs(deps(app), now), runDailyJobs(deps(app), now)]);
    expect((await outbox(app)).map((r) => r.dedupeKey).sort()).toEqual(first);
  });

  it('the next working day brings a new summary but no repeat of a reminder for the same deadline', async () => {
    const app = await start();
    const { cases } = await scenario(app);
    await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    const friday = await runDailyJobs(deps(app), wib('2026-11-20T07:00'));
    // Due today (Friday) is neither "due tomorrow" nor overdue; the overdue case was already reminded of.
    expect(friday).toMatchObject({ reminders: 0, escalations: 0, summaries: 5 });
    // Friday's deadline passes; Monday morning it is overdue: one overdue reminder per OPD admin, escalated twice.
    const saturday = await runDailyJobs(deps(app), wib('2026-11-21T07:00'));
    expect(saturday).toMatchObject({ workingDay: false, reminders: 0, escalations: 0, summaries: 0 });
    const monday = await runDailyJobs(deps(app), wib('2026-11-23T07:00'));
    // Overdue now: dueTomorrow (2 OPD admins) and the DLH case (1); unverifiedInTime is due today.
    // forwardedInTime (due Tue 24) is due on the next working day: 2 due-soon reminders.
    expect(monday).toMatchObject({ reminders: 5, escalations: 4, summaries: 5 });
    const rows = await outbox(app);
    expect(keysOf(rows, `reminder:overdue:${cases.dueTomorrow.id}`)).toHaveLength(2);
    expect(keysOf(rows, `escalation:follow-up:${cases.dlhDueTomorrow.id}`)).toHaveLength(2);
    expect(keysOf(rows, `reminder:due-soon:${cases.forwardedInTime.id}`)).toHaveLength(2);
  });

  it('re-reminds when the deadline moves (a case forwarded again gets a new follow-up deadline)', async () => {
    const app = await start();
    const { cases } = await scenario(app);
    await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    await app.db.case.update({ where: { id: cases.overdue.id }, data: { forwardedAt: wib('2026-11-19T08:00'), followUpDueAt: endOf('2026-11-20') } });
    const later = await runDailyJobs(deps(app), wib('2026-11-19T10:00'));
    expect(later).toMatchObject({ reminders: 2, escalations: 0 });
  });

  it('gives each admin a summary of what they are responsible for', async () => {
    const app = await start();
    const { admins } = await scenario(app);
    // Answered and waiting on the citizen: open, not unanswered.
    await insertCase(app.db, { status: 'answered', forwardedAt: wib('2026-11-16T10:00'), answeredAt: wib('2026-11-18T10:00'), autoCloseAt: endOf('2026-12-02') });
    await insertCase(app.db, { status: 'closed', closedAt: wib('2026-11-18T10:00') });
    await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    const rows = await outbox(app);
    const summaryOf = (key: string) => rows.find((r) => r.conversationKey === key && r.dedupeKey?.startsWith('summary:'))!.text;
    expect(summaryOf(admins.inst1.conversationKey)).toMatch(/Kamis, 19 November 2026 \(semua OPD\)[\s\S]*Terbuka: 7\n• Belum dijawab: 6\n• Lewat batas waktu: 2/);
    expect(summaryOf(admins.pu1.conversationKey)).toMatch(/\(DPUPRPKP\)[\s\S]*Terbuka: 4\n• Belum dijawab: 3\n• Lewat batas waktu: 1/);
    expect(summaryOf(admins.dlh.conversationKey)).toMatch(/\(DLH\)[\s\S]*Terbuka: 1\n• Belum dijawab: 1\n• Lewat batas waktu: 0/);
  });

  it('never puts the reporter\'s identity in an admin notice; a rahasia case is quoted only to the admins who handle it, flagged', async () => {
    const app = await start();
    const pu = await insertAdmin(app.db, { opdCode: 'DPUPRPKP' });
    const inst = await insertAdmin(app.db, { role: 'instansi' });
    const anonim = await insertCase(app.db, {
      status: 'forwarded',
      privacy: 'anonim',
      reporterName: 'Siti Rahmawati',
      reporterPhone: '6281234567890',
      channel: 'wa',
      conversationKey: 'wa:bot:6281234567890@s.whatsapp.net',
      forwardedAt: wib('2026-11-10T10:00'),
      followUpDueAt: endOf('2026-11-18'),
    });
    const rahasia = await insertCase(app.db, {
      status: 'forwarded',
      privacy: 'rahasia',
      description: 'Pungutan liar oleh petugas loket',
      forwardedAt: wib('2026-11-10T10:00'),
      followUpDueAt: endOf('2026-11-18'),
    });
    await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    const rows = await outbox(app);
    const toAdmins = rows.filter((r) => r.conversationKey === pu.conversationKey || r.conversationKey === inst.conversationKey);
    expect(toAdmins.filter((r) => r.caseId === anonim.id)).toHaveLength(2);
    for (const row of toAdmins) expect(row.text).not.toMatch(/Siti|Rahmawati|6281234567890|whatsapp/);
    // domain/case-access.ts: the OPD holding the case and the admin instansi handle it, so they read its content.
    const aboutRahasia = toAdmins.filter((r) => r.caseId === rahasia.id);
    expect(aboutRahasia.map((r) => r.conversationKey).sort()).toEqual([inst.conversationKey, pu.conversationKey].sort());
    for (const row of aboutRahasia) expect(row.text).toContain('"Pungutan liar oleh petugas loket" (RAHASIA: jangan disebarkan)');
    // The daily summary only counts.
    for (const row of rows.filter((r) => r.dedupeKey?.startsWith('summary:'))) expect(row.text).not.toContain('Pungutan');
  });
});

describe('automatic close', () => {
  it('closes answered cases past their deadline, records a system event and tells the citizen once', async () => {
    const app = await start();
    const due = await insertCase(app.db, { status: 'answered', answeredAt: wib('2026-11-04T10:00'), autoCloseAt: endOf('2026-11-18') });
    const english = await insertCase(app.db, { status: 'answered', language: 'en', answeredAt: wib('2026-11-04T10:00'), autoCloseAt: endOf('2026-11-18') });
    // Not stored: computed from the answer, 10 working days after Mon 2 Nov → Mon 16 Nov.
    const computed = await insertCase(app.db, { status: 'answered', answeredAt: wib('2026-11-02T10:00') });
    const notYet = await insertCase(app.db, { status: 'answered', answeredAt: wib('2026-11-09T10:00'), autoCloseAt: endOf('2026-11-23') });
    const reopened = await insertCase(app.db, { status: 'reopened', answeredAt: wib('2026-11-04T10:00'), autoCloseAt: endOf('2026-11-18') });

    // A Saturday: cases close on any day; admin notices wait for a working day.
    const now = wib('2026-11-21T07:00');
    expect(await runDailyJobs(deps(app), now)).toMatchObject({ autoClosed: 3, workingDay: false });
    expect(await runDailyJobs(deps(app), now)).toMatchObject({ autoClosed: 0 });

    for (const c of [due, english, computed]) {
      const stored = await app.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { events: true } });
      expect(stored.status).toBe('closed');
      expect(stored.closedAt).toEqual(now);
      expect(stored.events).toEqual([
        expect.objectContaining({ actorType: 'system', action: 'auto_closed', fromStatus: 'answered', toStatus: 'closed', internal: false }),
      ]);
    }
    for (const c of [notYet, reopened]) {
      expect((await app.db.case.findUniqueOrThrow({ where: { id: c.id } })).status).not.toBe('closed');
    }
    const rows = await outbox(app);
    expect(rows).toHaveLength(3);
    const toCitizen = (c: { conversationKey: string }) => rows.filter((r) => r.conversationKey === c.conversationKey);
    expect(toCitizen(due)).toHaveLength(1);
    expect(toCitizen(due)[0].text).toMatch(new RegExp(`Laporan ${due.trackingId} kami tutup.*10 hari kerja`));
    expect(toCitizen(english)[0].text).toMatch(/has been closed/);
    expect(toCitizen(due)[0].dedupeKey).toBe(`auto-close:${due.id}`);
  });

  it('leaves a case open when the citizen replied in the meantime (the close is conditional on the status)', async () => {
    const app = await start();
    const c = await insertCase(app.db, { status: 'answered', answeredAt: wib('2026-11-04T10:00'), autoCloseAt: endOf('2026-11-18') });
    const d = deps(app);
    // The citizen's "belum" lands between the job's read and its write.
    const restore = beforeFirstTransaction(d.db, () => app.db.case.update({ where: { id: c.id }, data: { status: 'reopened' } }));
    expect(await runDailyJobs(d, wib('2026-11-21T07:00'))).toMatchObject({ autoClosed: 0 });
    restore();
    expect((await app.db.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('reopened');
    expect(await app.db.outboxMessage.count()).toBe(0);
    expect(await app.db.caseEvent.count({ where: { caseId: c.id } })).toBe(0);
  });
});

describe('integration with the lifecycle', () => {
  it('leaves a case open when it was answered again in the meantime (the deadline is re-checked in the transaction)', async () => {
    const app = await start();
    const c = await insertCase(app.db, { status: 'answered', answeredAt: wib('2026-11-04T10:00'), autoCloseAt: endOf('2026-11-18') });
    const d = deps(app);
    // Between the job's read and its write: "belum", then a new answer with a new deadline; still "answered".
    const restore = beforeFirstTransaction(d.db, () =>
      app.db.case.update({ where: { id: c.id }, data: { answeredAt: wib('2026-11-20T10:00'), autoCloseAt: endOf('2026-12-04') } }),
    );
    expect(await runDailyJobs(d, wib('2026-11-21T07:00'))).toMatchObject({ autoClosed: 0 });
    restore();
    expect((await app.db.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('answered');
    expect(await app.db.outboxMessage.count()).toBe(0);
  });

  it('escalates a case an OPD handed back as "not forwarded again", not as "not verified"', async () => {
    const app = await start();
    const inst = await insertAdmin(app.db, { role: 'instansi' });
    const c = await insertCase(app.db, { status: 'rerouted', opdCode: 'DLH', forwardedAt: wib('2026-11-10T10:00'), verifyDueAt: endOf('2026-11-17') });
    await runDailyJobs(deps(app), wib('2026-11-19T07:00'));
    const escalation = (await outbox(app)).find((r) => r.conversationKey === inst.conversationKey && r.caseId === c.id)!;
    expect(escalation.text).toContain(`laporan ${c.trackingId} dikembalikan DLH (bukan wewenang) dan belum diteruskan lagi`);
  });
});

describe('scheduler', () => {
  it('catches up on start when the day\'s hour has passed, then waits for the hour in the city time zone', async () => {
    const app = await start({ DAILY_SUMMARY_HOUR: '7' });
    const inst = await insertAdmin(app.db, { role: 'instansi' });
    const scheduler = createScheduler(app, () => wib('2026-11-19T08:15'));
    scheduler.start();
    await scheduler.runNow();
    await scheduler.stop();
    expect(await app.db.outboxMessage.count({ where: { conversationKey: inst.conversationKey } })).toBe(1);
    // Before the hour: no catch-up.
    expect(scheduler.isPastTodaysHour(wib('2026-11-19T06:59'))).toBe(false);
    expect(scheduler.isPastTodaysHour(wib('2026-11-19T07:00'))).toBe(true);
  });

  it('fires at DAILY_SUMMARY_HOUR o\'clock WIB', async () => {
    const app = await start({ DAILY_SUMMARY_HOUR: '9' });
    const scheduler = createScheduler(app, () => wib('2026-11-19T05:00'));
    scheduler.start();
    const next = scheduler.nextRun()!;
    await scheduler.stop();
    const local = new Date(next.getTime() + 7 * 3600_000);
    expect([local.getUTCHours(), local.getUTCMinutes()]).toEqual([9, 0]);
    expect(await app.db.outboxMessage.count()).toBe(0);
  });

  it('reads DAILY_SUMMARY_HOUR with a default of 7 and rejects an impossible hour', () => {
    expect(testConfig().DAILY_SUMMARY_HOUR).toBe(7);
    expect(testConfig({ DAILY_SUMMARY_HOUR: '18' }).DAILY_SUMMARY_HOUR).toBe(18);
    expect(() => testConfig({ DAILY_SUMMARY_HOUR: '24' })).toThrow();
  });
});
