import { AT_OPD, AWAITING_INSTANSI, AWAITING_OPD, FINISHED_STATUSES, OPEN_STATUSES as OPEN, inGroup, isOpen, type CaseStatus } from './case-status.ts';

export { isOpen };

/**
 * The case lifecycle (DESIGN.md) as data: which action may move a case from which status to which.
 * Pure, so the table itself is tested and every caller (admin commands, citizen follow-up, the auto-close
 * job) refuses the same illegal moves the same way.
 */
export type CaseAction =
  | 'verify'
  | 'forward'
  | 'reject'
  | 'answer'
  | 'return'
  | 'note'
  | 'close'
  /** An OPD disposes a forwarded case to one of its units (or the unit hands it back to the OPD): no status change. */
  | 'dispose'
  | 'satisfied'
  | 'unsatisfied'
  | 'addInfo'
  | 'rate'
  | 'autoClose'
  /** An admin instansi merges a duplicate into a main case (/gabung): the duplicate closes. */
  | 'merge'
  /** An admin instansi clears a false emergency alarm: deadlines back to working days. */
  | 'clearEmergency'
  /** Another citizen supports an open case (same problem): counted and told of its progress. */
  | 'support';

/** A citizen may reopen an answered case once; the next "belum" closes it as unresolved. */
export const MAX_REOPENS = 1;

interface Transition {
  from: CaseStatus[];
  /** Target status; 'same' for actions that only add an event (notes, added information, rating). */
  to: CaseStatus | 'same';
}

export const TRANSITIONS: Record<CaseAction, Transition> = {
  // Again after a hand-back: the admin instansi may correct the category before forwarding anew.
  verify: { from: ['submitted', 'rerouted'], to: 'verified' },
  // Forwarding straight from "submitted" verifies and forwards in one step (both events are recorded).
  forward: { from: AWAITING_INSTANSI, to: 'forwarded' },
  reject: { from: AWAITING_INSTANSI, to: 'rejected' },
  answer: { from: AWAITING_OPD, to: 'answered' },
  return: { from: AWAITING_OPD, to: 'rerouted' },
  note: { from: [...OPEN, ...FINISHED_STATUSES], to: 'same' },
  close: { from: ['answered', 'reopened'], to: 'closed' },
  dispose: { from: AWAITING_OPD, to: 'same' },
  satisfied: { from: ['answered'], to: 'closed' },
  // answered → reopened the first time; see nextStatus for the second time.
  unsatisfied: { from: ['answered'], to: 'reopened' },
  addInfo: { from: OPEN, to: 'same' },
  rate: { from: ['closed'], to: 'same' },
  autoClose: { from: ['answered'], to: 'closed' },
  merge: { from: OPEN, to: 'closed' },
  clearEmergency: { from: OPEN, to: 'same' },
  support: { from: OPEN, to: 'same' },
};

export type Refusal =
  | { code: 'NOT_FORWARDED_YET'; status: CaseStatus }
  | { code: 'ALREADY_FINISHED'; status: CaseStatus }
  | { code: 'ALREADY_DONE'; status: CaseStatus }
  | { code: 'WRONG_STATUS'; status: CaseStatus; allowed: CaseStatus[] };

export type TransitionResult = { ok: true; from: CaseStatus; to: CaseStatus } | { ok: false; refusal: Refusal };

/** The status an action leads to from `from`, or why it is not allowed. */
export function nextStatus(action: CaseAction, from: CaseStatus, facts: { reopenCount?: number } = {}): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) return { ok: false, refusal: refusalFor(action, from, rule.from) };
  if (action === 'unsatisfied' && (facts.reopenCount ?? 0) >= MAX_REOPENS) return { ok: true, from, to: 'closed' };
  return { ok: true, from, to: rule.to === 'same' ? from : rule.to };
}

function refusalFor(action: CaseAction, status: CaseStatus, allowed: CaseStatus[]): Refusal {
  if (inGroup(FINISHED_STATUSES, status)) return { code: 'ALREADY_FINISHED', status };
  if ((action === 'answer' || action === 'return') && inGroup(AWAITING_INSTANSI, status)) {
    return { code: 'NOT_FORWARDED_YET', status };
  }
  if ((action === 'verify' && status !== 'submitted') || (action === 'forward' && inGroup(AT_OPD, status))) {
    return { code: 'ALREADY_DONE', status };
  }
  return { code: 'WRONG_STATUS', status, allowed };
}

