/**
 * Case statuses (DESIGN.md, "Case lifecycle") and every named group of them. Strings, not database enums, to
 * keep the schema portable. A rule that needs "the statuses in which …" takes its group from here; db/ is
 * given the list by its caller (db imports nothing above lib).
 */
export const CASE_STATUSES = ['submitted', 'verified', 'forwarded', 'rerouted', 'answered', 'reopened', 'rejected', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Not finished: someone (admin instansi, OPD or the citizen) still owes a step. */
export const OPEN_STATUSES: CaseStatus[] = ['submitted', 'verified', 'forwarded', 'rerouted', 'answered', 'reopened'];

/** Finished for good: no change but a note (or a rating of a closed case) is possible. */
export const FINISHED_STATUSES: CaseStatus[] = ['rejected', 'closed'];

/** Waiting on the admin instansi (verify deadline): submitted, verified but not forwarded, handed back. */
export const AWAITING_INSTANSI: CaseStatus[] = ['submitted', 'verified', 'rerouted'];

/** Waiting on the OPD (follow-up deadline): forwarded and reopened. */
export const AWAITING_OPD: CaseStatus[] = ['forwarded', 'reopened'];

/** Held by the OPD it was forwarded to: waiting on it, or answered and waiting on the citizen. */
export const AT_OPD: CaseStatus[] = ['forwarded', 'answered', 'reopened'];

/**
 * Statuses in which an OPD (and its units) may see a case forwarded to it: while it holds the case, and after
 * it closed. Not once handed back (rerouted: it is no longer theirs) nor a case the admin instansi rejected.
 */
export const OPD_VISIBLE: CaseStatus[] = ['forwarded', 'answered', 'reopened', 'closed'];

/** A forwarded case that was handed back, or then rejected, is not the OPD's follow-up to judge (reports). */
export const LEFT_THE_OPD: CaseStatus[] = ['rerouted', 'rejected'];

/** An admin confirmed the case's OPD (verified, forwarded, answered or closed): its OPD is a trusted label. */
export const OPD_CONFIRMED: CaseStatus[] = ['verified', 'forwarded', 'answered', 'closed'];

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as string[]).includes(status);
}

export function inGroup(group: readonly CaseStatus[], status: string): boolean {
  return (group as readonly string[]).includes(status);
}

export const ADMIN_ROLES = ['instansi', 'penghubung'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ACTOR_TYPES = ['citizen', 'admin', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
