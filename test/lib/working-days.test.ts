import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../lib/working-days.ts';

const calendar = new WorkingCalendar({ country: 'ID', timezone: 'Asia/Jakarta', extraDaysOff: ['2026-12-24'] });
const wib = (iso: string) => new Date(`${iso}+07:00`);

describe('working calendar', () => {
  it.each([
    // submitted (WIB), working days, due (WIB, end of day)
    ['2026-11-16T10:00:00', 3, '2026-11-19'], // Mon → Thu
    ['2026-11-20T16:00:00', 3, '2026-11-25'], // Fri → Wed, weekend skipped
    ['2026-11-21T09:00:00', 1, '2026-11-23'], // Saturday counts from Monday
    ['2026-12-23T10:00:00', 2, '2026-12-29'], // 24 Dec (city day off), 25 Dec (Christmas), weekend, Mon 28 = 1st
    ['2026-08-14T10:00:00', 1, '2026-08-18'], // 17 August
  ])('%s + %i working days is due at the end of %s', (from, n, due) => {
    const result = calendar.addWorkingDays(wib(from), n);
    expect(result.toISOString()).toBe(new Date(wib(`${due}T23:59:59.999`)).toISOString());
  });

  it('counts working time between two instants, skipping the weekend', () => {
    expect(calendar.workingDaysBetween(wib('2026-11-20T12:00:00'), wib('2026-11-23T12:00:00'))).toBeCloseTo(1, 5);
    expect(calendar.workingDaysBetween(wib('2026-11-16T00:00:00'), wib('2026-11-16T06:00:00'))).toBeCloseTo(0.25, 5);
  });

  it('knows local dates in the city time zone', () => {
    expect(calendar.localDate(new Date('2026-11-22T18:00:00Z'))).toBe('2026-11-23');
    expect(calendar.isWorkingDay(new Date('2026-11-22T18:00:00Z'))).toBe(true);
  });
});
