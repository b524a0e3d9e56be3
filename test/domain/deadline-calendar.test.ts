import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../lib/working-days.ts';
import { SERVICE_LEVELS } from '../../domain/service-levels.ts';
import { currentDeadline, isOverdue, stageOf, type DeadlineFields } from '../../domain/case-deadlines.ts';
import { wib } from '../helpers/case-fixtures.ts';

// Configured city days off as a city profile would list them (cuti bersama around Idul Fitri and Christmas);
// the national holidays (Nyepi 19 Mar, Idul Fitri 20-21 Mar, Christmas 25 Dec 2026) come from date-holidays.
const calendar = new WorkingCalendar({
  country: 'ID',
  timezone: 'Asia/Jakarta',
  extraDaysOff: ['2026-03-18', '2026-03-23', '2026-03-24', '2026-12-24'],
});
const endOf = (ymd: string) => wib(`${ymd}T23:59:59.999`);

function fields(overrides: Partial<DeadlineFields> = {}): DeadlineFields {
  return {
    status: 'submitted',
    submittedAt: wib('2026-11-16T09:00'),
    forwardedAt: null,
    answeredAt: null,
    verifyDueAt: null,
    followUpDueAt: null,
    autoCloseAt: null,
    ...overrides,
  };
}

describe('service-level deadlines in working days', () => {
  it.each([
    // what, from (WIB), working days, due date (end of day, WIB)
    ['verify: Friday filing skips the weekend', '2026-11-20T16:00', SERVICE_LEVELS.verifyWorkingDays, '2026-11-25'],
    ['verify: Saturday filing counts from Monday', '2026-11-21T10:00', SERVICE_LEVELS.verifyWorkingDays, '2026-11-25'],
    // 18 (cuti bersama), 19 Nyepi, 20-21 Idul Fitri, weekend, 23-24 cuti bersama → 25, 26, 27, 30, 31.
    ['follow-up: across Nyepi, Idul Fitri and cuti bersama', '2026-03-17T10:00', SERVICE_LEVELS.followUpWorkingDays, '2026-03-31'],
    // 15-18, 21-23 = 7; 24 cuti bersama, 25 Christmas, weekend; 28, 29, 30 = 10.
    ['auto close: across cuti bersama and Christmas', '2026-12-14T15:00', SERVICE_LEVELS.autoCloseWorkingDays, '2026-12-30'],
    // 14 Aug (Fri) → 17 Aug (Independence Day) skipped: 18, 19, 20.
    ['verify: across 17 August', '2026-08-14T10:00', SERVICE_LEVELS.verifyWorkingDays, '2026-08-20'],
  ])('%s', (_what, from, days, due) => {
    expect(calendar.addWorkingDays(wib(from), days).toISOString()).toBe(endOf(due).toISOString());
  });

  it('applies the deadline of the stage the case is in, computing a missing one from the service level', () => {
    const forwardedAt = wib('2026-03-17T10:00');
    expect(currentDeadline(fields(), calendar)).toEqual({ kind: 'verify', dueAt: endOf('2026-11-19') });
    expect(currentDeadline(fields({ status: 'rerouted' }), calendar)?.kind).toBe('verify');
    expect(currentDeadline(fields({ status: 'forwarded', forwardedAt }), calendar)).toEqual({ kind: 'follow-up', dueAt: endOf('2026-03-31') });
    expect(currentDeadline(fields({ status: 'reopened', forwardedAt }), calendar)?.kind).toBe('follow-up');
    expect(currentDeadline(fields({ status: 'answered', answeredAt: wib('2026-12-14T15:00') }), calendar)).toEqual({
      kind: 'auto-close',
      dueAt: endOf('2026-12-30'),
    });
    expect(currentDeadline(fields({ status: 'closed' }), calendar)).toBeUndefined();
    expect(currentDeadline(fields({ status: 'rejected' }), calendar)).toBeUndefined();
    // A stored deadline wins over the computed one (the lifecycle may have set it differently, e.g. on reopen).
    const stored = wib('2026-04-10T23:59:59.999');
    expect(currentDeadline(fields({ status: 'forwarded', forwardedAt, followUpDueAt: stored }), calendar)?.dueAt).toEqual(stored);
  });

  it('is overdue only once the last millisecond of the due day has passed', () => {
    const deadline = { kind: 'verify' as const, dueAt: endOf('2026-11-19') };
    expect(isOverdue(deadline, wib('2026-11-19T23:59:59.999'))).toBe(false);
    expect(isOverdue(deadline, wib('2026-11-20T00:00'))).toBe(true);
    expect(isOverdue(undefined, wib('2030-01-01'))).toBe(false);
  });

  it.each([
    // now (WIB), due date, due on the next working day?
    ['2026-11-19T07:00', '2026-11-20', true], // Thursday → Friday
    ['2026-11-20T07:00', '2026-11-23', true], // Friday → Monday
    ['2026-11-19T07:00', '2026-11-23', false], // Thursday: Monday is two working days away
    ['2026-03-17T07:00', '2026-03-25', true], // before the Idul Fitri break, the next working day is the 25th
    ['2026-11-20T07:00', '2026-11-20', false], // due today is not "tomorrow"
  ])('at %s a deadline on %s is due on the next working day: %s', (now, due, expected) => {
    expect(calendar.isDueNextWorkingDay(endOf(due), wib(now))).toBe(expected);
  });

  it('names who must act for every status', () => {
    expect(['submitted', 'verified', 'rerouted', 'forwarded', 'reopened', 'answered', 'closed', 'rejected'].map(stageOf)).toEqual([
      'instansi',
      'instansi',
      'instansi',
      'opd',
      'opd',
      'citizen',
      'done',
      'done',
    ]);
  });
});
