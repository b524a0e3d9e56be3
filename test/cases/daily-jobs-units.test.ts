import { describe, expect, it } from 'vitest';
import { planEscalations, planReminders, planSummaries, type ActiveAdmin, type OpenCase } from '../../cases/daily-jobs.ts';
import { WorkingCalendar } from '../../lib/working-days.ts';
import { wib } from '../helpers/case-fixtures.ts';

// Reminders, escalation and the daily summary per unit (issue 15), on plain data: "now" is Thursday
// 19 November 2026, 07:00 WIB.
const calendar = new WorkingCalendar({ country: 'ID', timezone: 'Asia/Jakarta' });
const deps = { calendar, timezone: 'Asia/Jakarta' };
const NOW = wib('2026-11-19T07:00');

const admin = (id: string, role: 'instansi' | 'penghubung', opdCode: string | null, unitCode: string | null = null): ActiveAdmin => ({ id, role, opdCode, unitCode, conversationKey: `tg:${id}` });
const ADMINS = [
  admin('inst', 'instansi', null),
  admin('dinkes', 'penghubung', 'DINKES'),
  admin('arjuno', 'penghubung', 'DINKES', 'PKM-ARJUNO'),
  admin('dinoyo', 'penghubung', 'DINKES', 'PKM-DINOYO'),
];

let seq = 0;
function aCase(overrides: Partial<OpenCase>): OpenCase {
  seq++;
  return {
    id: `c${seq}`,
    trackingId: `LPR-AAAA${String(seq).padStart(2, '0')}`,
    status: 'forwarded',
    privacy: 'biasa',
    description: 'Antrean lama',
    opdCode: 'DINKES',
    unitCode: null,
    accusedOpdCode: null,
    accusedUnitCode: null,
    conversationKey: 'tg:1',
    submittedAt: wib('2026-11-09T08:00'),
    forwardedAt: wib('2026-11-10T10:00'),
    answeredAt: null,
    verifyDueAt: null,
    followUpDueAt: wib('2026-11-20T23:59:59.999'),
    autoCloseAt: null,
    categoryName: 'Kesehatan',
    opdName: 'Dinas Kesehatan',
    reporterLanguage: 'id',
    ...overrides,
  };
}
const recipients = (notices: Array<{ conversationKey: string }>) => notices.map((n) => n.conversationKey).sort();

describe('daily job per unit', () => {
  it('reminds the unit holding the case, not the OPD nor other units', () => {
    expect(recipients(planReminders([aCase({ unitCode: 'PKM-ARJUNO' })], ADMINS, deps, NOW))).toEqual(['tg:arjuno']);
  });

  it('reminds the OPD\'s own admins when the unit has no admin, or the case has no unit', () => {
    expect(recipients(planReminders([aCase({ unitCode: 'PKM-KENDALSARI' })], ADMINS, deps, NOW))).toEqual(['tg:dinkes']);
    expect(recipients(planReminders([aCase({})], ADMINS, deps, NOW))).toEqual(['tg:dinkes']);
  });

  it('escalates a case overdue at a unit to the OPD\'s own admins and the admin instansi; an OPD case to the instansi', () => {
    const overdueAtUnit = aCase({ unitCode: 'PKM-ARJUNO', followUpDueAt: wib('2026-11-17T23:59:59.999') });
    expect(recipients(planEscalations([overdueAtUnit], ADMINS, deps, NOW))).toEqual(['tg:dinkes', 'tg:inst']);
    const overdueAtOpd = aCase({ followUpDueAt: wib('2026-11-17T23:59:59.999') });
    expect(recipients(planEscalations([overdueAtOpd], ADMINS, deps, NOW))).toEqual(['tg:inst']);
  });

  it('never reminds the accused, and each summary counts what its admin may see', () => {
    const accusing = aCase({ opdCode: 'INSPEKTORAT', accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-ARJUNO' });
    expect(recipients(planReminders([accusing], [...ADMINS, admin('insp', 'penghubung', 'INSPEKTORAT')], deps, NOW))).toEqual(['tg:insp']);
    const summaries = planSummaries([aCase({ unitCode: 'PKM-ARJUNO' }), aCase({})], ADMINS, deps, NOW);
    const textOf = (key: string) => summaries.find((s) => s.conversationKey === key)!.reply.text;
    expect(textOf('tg:dinkes')).toMatch(/DINKES/);
    expect(textOf('tg:arjuno')).toMatch(/PKM-ARJUNO/);
    // Two open cases for the OPD, one for its unit, none for another unit.
    expect(textOf('tg:dinkes')).toContain('Terbuka: 2');
    expect(textOf('tg:arjuno')).toContain('Terbuka: 1');
    expect(textOf('tg:dinoyo')).toContain('Terbuka: 0');
  });
});
