import { change, type ActionDeps, type ActionResult, type Actor, firstResponse } from './change-case.ts';
import { ft } from '../domain/case-notices.ts';

/** Rejected with a reason the citizen reads (not a public-service matter, unclear, spam). */
export async function rejectCase(deps: ActionDeps, actor: Actor, trackingId: string, reason: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'reject',
    actor,
    fields: (c, _to, now) => ({ closedAt: now, followUpDueAt: null, ...firstResponse(c, now) }),
    apply: async (ctx) => {
      await ctx.event('rejected', { note: reason });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'rejected', { trackingId: ctx.c.trackingId, reason }) });
    },
  });
}
