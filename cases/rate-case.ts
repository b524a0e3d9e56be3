import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';

/** A 1-5 rating of a closed case. */
export async function rateCase(deps: ActionDeps, actor: Actor, trackingId: string, rating: number): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'rate',
    actor,
    fields: () => ({ rating }),
    apply: async (ctx) => {
      await ctx.event('rated', { data: { rating }, fromStatus: null, toStatus: null });
    },
  });
}
