import Holidays from 'date-holidays';
import type { CityProfile } from './city-profile.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CalendarOptions {
  /** ISO country for national public holidays (date-holidays). */
  country: string;
  region?: string | null;
  /** City-specific days off and cuti bersama, as YYYY-MM-DD. */
  extraDaysOff?: string[];
  /** IANA time zone of the city; Indonesia has no daylight saving, so a day is always 24 hours. */
  timezone: string;
}

/**
 * Working days of one city: Monday to Friday, minus Indonesia's public holidays (date-holidays), minus the
 * city's configured holidays and cuti bersama. Deadlines are the end of the n-th working day (city time).
 */
export class WorkingCalendar {
  private readonly holidays: Holidays;
  private readonly extra: Set<string>;
  private readonly cache = new Map<number, Set<string>>();
  private readonly offsetMs: number;

  constructor(options: CalendarOptions) {
    this.holidays = options.region ? new Holidays(options.country, options.region) : new Holidays(options.country);
    this.extra = new Set(options.extraDaysOff ?? []);
    this.offsetMs = timezoneOffsetMs(options.timezone);
  }

  static fromProfile(profile: CityProfile): WorkingCalendar {
    return new WorkingCalendar({
      country: profile.holidays.country,
      region: profile.holidays.region,
      extraDaysOff: [...profile.holidays.extra, ...profile.holidays.cutiBersama],
      timezone: profile.timezone,
    });
  }

  /**
   * An instant as ISO 8601 in city time with its offset (2026-12-03T23:59:59.999+07:00): how people in the city
   * read a time, and still one exact instant for a program.
   */
  cityIso(at: Date): string {
    const local = new Date(at.getTime() + this.offsetMs).toISOString().slice(0, 23);
    if (this.offsetMs === 0) return `${local}Z`;
    const minutes = Math.abs(this.offsetMs) / 60_000;
    const sign = this.offsetMs < 0 ? '-' : '+';
    return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }

  /** YYYY-MM-DD of an instant in the city's time zone. */
  localDate(at: Date): string {
    return new Date(at.getTime() + this.offsetMs).toISOString().slice(0, 10);
  }

  private publicHolidays(year: number): Set<string> {
    let days = this.cache.get(year);
    if (!days) {
      days = new Set(
        this.holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      this.cache.set(year, days);
    }
    return days;
  }

  isWorkingDate(ymd: string): boolean {
    const weekday = new Date(`${ymd}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    if (this.extra.has(ymd)) return false;
    return !this.publicHolidays(Number(ymd.slice(0, 4))).has(ymd);
  }

  isWorkingDay(at: Date): boolean {
    return this.isWorkingDate(this.localDate(at));
  }

  /** Start of the local day containing `at`, as an instant. */
  startOfLocalDay(at: Date): Date {
    return this.startOfLocalDate(this.localDate(at));
  }

  /** The instant a city-local date (YYYY-MM-DD) begins. */
  startOfLocalDate(ymd: string): Date {
    return new Date(Date.parse(`${ymd}T00:00:00Z`) - this.offsetMs);
  }

  /** The first working date (YYYY-MM-DD) after the local day of `at`: "tomorrow" as an office counts it. */
  nextWorkingDate(at: Date): string {
    let day = this.startOfLocalDay(at);
    do day = new Date(day.getTime() + DAY_MS);
    while (!this.isWorkingDay(day));
    return this.localDate(day);
  }

  /** True when `due` falls on the next working day after `now` (Friday's "due tomorrow" is Monday's deadline). */
  isDueNextWorkingDay(due: Date, now: Date): boolean {
    return this.localDate(due) === this.nextWorkingDate(now);
  }

  /** The end (23:59:59.999 city time) of the n-th working day after the day of `from`. */
  addWorkingDays(from: Date, n: number): Date {
    let day = this.startOfLocalDay(from);
    let counted = 0;
    while (counted < n) {
      day = new Date(day.getTime() + DAY_MS);
      if (this.isWorkingDay(day)) counted++;
    }
    return new Date(day.getTime() + DAY_MS - 1);
  }

  /** Working time between two instants, in working days (fractional): weekends and holidays do not count. */
  workingDaysBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    for (let day = this.startOfLocalDay(from); day < to; day = new Date(day.getTime() + DAY_MS)) {
      if (!this.isWorkingDay(day)) continue;
      const start = Math.max(day.getTime(), from.getTime());
      const end = Math.min(day.getTime() + DAY_MS, to.getTime());
      if (end > start) total += (end - start) / DAY_MS;
    }
    return total;
  }
}

/** Fixed offset of a zone without daylight saving (all Indonesian zones), read from Intl once. */
function timezoneOffsetMs(timezone: string): number {
  const probe = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(probe);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return local - probe.getTime();
}
