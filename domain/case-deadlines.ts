import type { WorkingCalendar } from '../lib/working-days.ts';
import { SERVICE_LEVELS } from './service-levels.ts';
import { AWAITING_INSTANSI, AWAITING_OPD, inGroup } from './case-status.ts';

/** Who must act next on a case, which decides which deadline applies. */
export type CaseStage = 'instansi' | 'opd' | 'citizen' | 'done';


export function stageOf(status: string): CaseStage {
  if (inGroup(AWAITING_INSTANSI, status)) return 'instansi';
  if (inGroup(AWAITING_OPD, status)) return 'opd';
  if (status === 'answered') return 'citizen';
  return 'done';
}

export interface DeadlineFields {
  status: string;
  submittedAt: Date;
  forwardedAt: Date | null;
  answeredAt: Date | null;
  verifyDueAt: Date | null;
  followUpDueAt: Date | null;
  autoCloseAt: Date | null;
}

export interface CaseDeadline {
  /** Which service level the deadline belongs to. */
  kind: 'verify' | 'follow-up' | 'auto-close';
  dueAt: Date;
}

/**
 * The deadline that applies to a case now. The stored field wins (the lifecycle sets it on each change);
 * when it is missing (a case written before the field was set) it is computed from the service levels, so a
 * case never escapes reminders or the automatic close.
 */
export function currentDeadline(c: DeadlineFields, calendar: WorkingCalendar): CaseDeadline | undefined {
  switch (stageOf(c.status)) {
    case 'instansi':
      return { kind: 'verify', dueAt: c.verifyDueAt ?? calendar.addWorkingDays(c.submittedAt, SERVICE_LEVELS.verifyWorkingDays) };
    case 'opd': {
      const from = c.forwardedAt ?? c.submittedAt;
      return { kind: 'follow-up', dueAt: c.followUpDueAt ?? calendar.addWorkingDays(from, SERVICE_LEVELS.followUpWorkingDays) };
    }
    case 'citizen': {
      const from = c.answeredAt ?? c.submittedAt;
      return { kind: 'auto-close', dueAt: c.autoCloseAt ?? calendar.addWorkingDays(from, SERVICE_LEVELS.autoCloseWorkingDays) };
    }
    case 'done':
      return undefined;
  }
}

/** Overdue means the deadline (end of its working day) has passed. */
export function isOverdue(deadline: CaseDeadline | undefined, now: Date): boolean {
  return deadline !== undefined && deadline.dueAt.getTime() < now.getTime();
}
