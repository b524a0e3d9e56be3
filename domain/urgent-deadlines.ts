import type { CityProfile } from '../lib/city-profile.ts';

export type UrgentDeadlineHours = CityProfile['emergency']['urgentDeadlines'];

/** The profile's own default (lib/city-profile.ts), for callers given no profile (tests, scripts). */
export const DEFAULT_URGENT_DEADLINES: UrgentDeadlineHours = { verifyHours: 2, followUpHours: 24 };

/**
 * Deadlines of an urgent (darurat) case, in clock hours from `from` (submission or forwarding): an emergency does
 * not wait for the next working day, unlike the normal working-day deadlines in db/deadlines.ts.
 */
export function urgentDueDates(hours: UrgentDeadlineHours, from: Date): { verifyDueAt: Date; followUpDueAt: Date } {
  const at = (h: number) => new Date(from.getTime() + h * 3_600_000);
  return { verifyDueAt: at(hours.verifyHours), followUpDueAt: at(hours.followUpHours) };
}
