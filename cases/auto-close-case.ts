import { change, type ActionDeps, type ActionResult, SYSTEM_ACTOR } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { ft } from '../domain/case-notices.ts';
import { currentDeadline, isOverdue } from '../domain/case-deadlines.ts';

/**
 * The daily job's automatic close: an answered case the citizen did not reply to before its deadline
 * (`autoCloseAt`, or 10 working days after the answer when the field is missing). Status, event and the
 * citizen's notice in one transaction; the deadline is re-checked inside it, so a case answered again since
 * the job read it is left alone. `resolved` stays unknown: the citizen never said.
 */
export async function autoCloseCase(deps: ActionDeps, trackingId: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'autoClose',
    actor: SYSTEM_ACTOR,
    precheck: async (c) => (c.status !== 'answered' || isOverdue(currentDeadline(c, deps.calendar), deps.now) ? undefined : { code: 'NOT_DUE' }),
    fields: (_c, _to, now) => ({ closedAt: now, autoCloseAt: null, followUpDueAt: null }),
    apply: async (ctx) => {
      await ctx.event('auto_closed', { note: `no reply from the citizen for ${SERVICE_LEVELS.autoCloseWorkingDays} working days` });
      await ctx.notifyCitizen(
        { text: ft(ctx.lang, 'autoClosed', { trackingId: ctx.c.trackingId, days: SERVICE_LEVELS.autoCloseWorkingDays }) },
        { dedupeKey: `auto-close:${ctx.c.id}` },
      );
    },
  });
}
