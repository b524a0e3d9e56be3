import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';

/**
 * The citizen says "belum": the first time the case goes back to the OPD with the citizen's words; once it has
 * been reopened, it closes as unresolved and the admin instansi is told.
 */
export async function citizenUnsatisfied(deps: ActionDeps, actor: Actor, trackingId: string, words: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'unsatisfied',
    actor,
    fields: (c, to, now) =>
      to === 'reopened'
        ? { reopenCount: c.reopenCount + 1, autoCloseAt: null, followUpDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.followUpWorkingDays) }
        : { closedAt: now, resolved: false, autoCloseAt: null },
    apply: async (ctx) => {
      if (ctx.to === 'reopened') {
        await ctx.event('reopened', { note: words });
        if (ctx.c.opdCode) await ctx.notifyAdmins('opd', 'reopened', { note: words });
      } else {
        await ctx.event('closed_unresolved', { note: words || null });
        await ctx.notifyAdmins('instansi', 'unresolved', { note: words || '-' });
      }
    },
  });
}
