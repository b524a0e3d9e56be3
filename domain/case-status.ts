/** Case statuses (DESIGN.md, "Case lifecycle"). Strings, not database enums, to keep the schema portable. */
export const CASE_STATUSES = ['submitted', 'verified', 'forwarded', 'rerouted', 'answered', 'reopened', 'rejected', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OPEN_STATUSES: CaseStatus[] = ['submitted', 'verified', 'forwarded', 'rerouted', 'answered', 'reopened'];

export const ADMIN_ROLES = ['instansi', 'penghubung'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ACTOR_TYPES = ['citizen', 'admin', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
