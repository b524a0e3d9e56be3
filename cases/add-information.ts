import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { AT_OPD, inGroup } from '../domain/case-status.ts';

/** Information the citizen adds to an open case; it reaches whoever holds the case now. */
export async function citizenAddInfo(deps: ActionDeps, actor: Actor, trackingId: string, text: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'addInfo',
    actor,
    apply: async (ctx) => {
      await ctx.event('info_added', { note: text, fromStatus: null, toStatus: null });
      const atOpd = inGroup(AT_OPD, ctx.from) && ctx.c.opdCode;
      if (atOpd) await ctx.notifyAdmins('opd', 'info', { note: text });
      else await ctx.notifyAdmins('instansi', 'info', { note: text });
    },
  });
}
