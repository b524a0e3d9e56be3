import type { Db } from '../../db/client.ts';
import { insertCase, wib } from './case-fixtures.ts';

/**
 * November 2026 in Kota Malang (no public holiday that month). Every figure the report tests expect is
 * worked out by hand in the comments; "now" for SLA judgement is Wednesday 2 December 2026, 10:00 WIB.
 */
export const REPORT_NOW = wib('2026-12-02T10:00');

export async function insertNovemberCases(db: Db): Promise<Record<string, { id: string; trackingId: string }>> {
  return {
    // Mon 2 Nov 08:00 → first response 14:00 same day = 6 h = 0.25 wd; answered Wed 4 08:00 = 2.0 wd.
    // Verified in time (due Thu 5), answered in time (forwarded Mon 2, due Mon 9). Rating 5, resolved.
    A: await insertCase(db, {
      channel: 'tg',
      opdCode: 'DPUPRPKP',
      categoryCode: 'JALAN',
      status: 'closed',
      submittedAt: wib('2026-11-02T08:00'),
      verifiedAt: wib('2026-11-02T14:00'),
      firstResponseAt: wib('2026-11-02T14:00'),
      forwardedAt: wib('2026-11-02T14:00'),
      answeredAt: wib('2026-11-04T08:00'),
      // The OPD's own first response is its answer (the city's verification is firstResponseAt).
      opdRespondedAt: wib('2026-11-04T08:00'),
      closedAt: wib('2026-11-05T08:00'),
      rating: 5,
      resolved: true,
    }),
    // Fri 6 Nov 12:00 → Mon 9 12:00 = 0.5 + 0.5 = 1.0 wd; answered Tue 17 12:00 = 0.5 + 5 + 1 + 0.5 = 7.0 wd.
    // Verified in time (due Wed 11); forwarded Mon 9, due Mon 16, answered Tue 17: late. Rating 2, not resolved.
    B: await insertCase(db, {
      channel: 'wa',
      opdCode: 'DPUPRPKP',
      categoryCode: 'DRAINASE',
      status: 'closed',
      submittedAt: wib('2026-11-06T12:00'),
      verifiedAt: wib('2026-11-09T12:00'),
      firstResponseAt: wib('2026-11-09T12:00'),
      forwardedAt: wib('2026-11-09T12:00'),
      answeredAt: wib('2026-11-17T12:00'),
      // The OPD's own first response is its answer (the city's verification is firstResponseAt).
      opdRespondedAt: wib('2026-11-17T12:00'),
      closedAt: wib('2026-11-18T12:00'),
      rating: 2,
      resolved: false,
    }),
    // Tue 10 Nov 09:00 → Mon 16 09:00 = 4.0 wd, verified late (due Fri 13). Forwarded Mon 16, due Mon 23,
    // not answered by "now": judged, missed.
    C: await insertCase(db, {
      channel: 'tg',
      opdCode: 'DLH',
      categoryCode: 'SAMPAH',
      status: 'forwarded',
      submittedAt: wib('2026-11-10T09:00'),
      verifiedAt: wib('2026-11-16T09:00'),
      firstResponseAt: wib('2026-11-16T09:00'),
      forwardedAt: wib('2026-11-16T09:00'),
    }),
    // Wed 25 Nov, never touched: no response; verification due Mon 30 has passed by "now": judged, missed.
    D: await insertCase(db, { channel: 'term', opdCode: 'DLH', categoryCode: 'SAMPAH', status: 'submitted', submittedAt: wib('2026-11-25T10:00') }),
    // Thu 12 Nov 10:00, rejected at 16:00: a response (0.25 wd), but not judged for the verification SLA.
    E: await insertCase(db, {
      channel: 'tg',
      opdCode: 'DPUPRPKP',
      categoryCode: 'JALAN',
      status: 'rejected',
      submittedAt: wib('2026-11-12T10:00'),
      firstResponseAt: wib('2026-11-12T16:00'),
      closedAt: wib('2026-11-12T16:00'),
    }),
    // Sat 21 Nov 10:00 → Mon 23 06:00: the weekend does not count, 0.25 wd; answered Mon 18:00 = 0.75 wd.
    F: await insertCase(db, {
      channel: 'wa',
      opdCode: 'DISHUB',
      categoryCode: 'PARKIR',
      status: 'answered',
      submittedAt: wib('2026-11-21T10:00'),
      verifiedAt: wib('2026-11-23T06:00'),
      firstResponseAt: wib('2026-11-23T06:00'),
      forwardedAt: wib('2026-11-23T06:00'),
      answeredAt: wib('2026-11-23T18:00'),
      // The OPD's own first response is its answer (the city's verification is firstResponseAt).
      opdRespondedAt: wib('2026-11-23T18:00'),
    }),
    // Sun 1 Nov 02:00 WIB (31 Oct in UTC): in November. No OPD or category. Rejected Mon 2 09:00 = 0.375 wd.
    I: await insertCase(db, {
      channel: 'tg',
      opdCode: null,
      categoryCode: null,
      status: 'rejected',
      submittedAt: wib('2026-11-01T02:00'),
      firstResponseAt: wib('2026-11-02T09:00'),
    }),
    // Outside the month: 31 Oct 20:00 WIB and 1 Dec 00:30 WIB (30 Nov in UTC).
    October: await insertCase(db, { channel: 'tg', opdCode: 'DLH', status: 'submitted', submittedAt: wib('2026-10-31T20:00') }),
    December: await insertCase(db, { channel: 'tg', opdCode: 'DLH', status: 'submitted', submittedAt: wib('2026-12-01T00:30') }),
  };
}
