import type { WorkingCalendar } from '../lib/working-days.ts';
import type { CaseFiledHook } from './file-case.ts';

/** SP4N-LAPOR! service levels, in working days. */
export const SERVICE_LEVELS = {
  /** Admin instansi verifies and forwards a report within 3 working days of submission. */
  verifyWorkingDays: 3,
  /** The OPD follows up within 5 working days of forwarding. */
  followUpWorkingDays: 5,
  /** An answered case with no reply from the citizen closes after 10 working days. */
  autoCloseWorkingDays: 10,
} as const;

/** Sets the verification deadline on every newly filed case. */
export function verificationDeadlineHook(calendar: WorkingCalendar): CaseFiledHook {
  return async (tx, filed) => {
    // updateMany: nothing to read back, which spares compiling a full-row RETURNING (docs/load.md).
    await tx.case.updateMany({
      where: { id: filed.id },
      data: { verifyDueAt: calendar.addWorkingDays(filed.now, SERVICE_LEVELS.verifyWorkingDays) },
    });
  };
}
