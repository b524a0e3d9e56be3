import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';

/** The citizen says "puas": closed as resolved. The reply (and rating question) goes back directly. */
export async function citizenSatisfied(deps: ActionDeps, actor: Actor, trackingId: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'satisfied',
    actor,
    fields: (_c, _to, now) => ({ closedAt: now, resolved: true, autoCloseAt: null }),
    apply: async (ctx) => {
      await ctx.event('satisfied');
    },
  });
}
