import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { ft } from '../domain/case-notices.ts';

/** Closed by the admin instansi (e.g. solved but the citizen never answered). */
export async function closeCase(deps: ActionDeps, actor: Actor, trackingId: string, note?: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'close',
    actor,
    fields: (_c, _to, now) => ({ closedAt: now, autoCloseAt: null, followUpDueAt: null }),
    apply: async (ctx) => {
      await ctx.event('closed', { note: note ?? null });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'closedByAdmin', { trackingId: ctx.c.trackingId }) });
    },
  });
}
