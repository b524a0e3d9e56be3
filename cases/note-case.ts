import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';

/** An internal note: admins only, never shown or sent to the citizen. */
export async function addNote(deps: ActionDeps, actor: Actor, trackingId: string, note: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'note',
    actor,
    apply: async (ctx) => {
      await ctx.event('noted', { note, internal: true, fromStatus: null, toStatus: null });
    },
  });
}
