import { change, type ActionDeps, type ActionResult, type Actor, resolveOpd, firstResponse } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { ft } from '../domain/case-notices.ts';
import { DEFAULT_URGENT_DEADLINES, urgentDueDates } from '../domain/urgent-deadlines.ts';

/** submitted|verified|rerouted → forwarded to an OPD; from "submitted" it is verified on the way. */
export async function forwardCase(deps: ActionDeps, actor: Actor, trackingId: string, opdCodeInput?: string): Promise<ActionResult> {
  let opd: { code: string; name: string } | null = null;
  return change(deps, trackingId, {
    action: 'forward',
    actor,
    precheck: async (c, tx) => {
      opd = await resolveOpd(tx, opdCodeInput ?? c.opdCode ?? undefined);
      if (!opd) return opdCodeInput ? { code: 'UNKNOWN_OPD', value: opdCodeInput } : { code: 'NO_OPD' };
      return undefined;
    },
    fields: (c, _to, now) => ({
      opdCode: opd!.code,
      forwardedAt: now,
      // An urgent case's follow-up is due in hours, not working days (domain/urgent-deadlines.ts).
      followUpDueAt: c.urgent
        ? urgentDueDates(deps.urgentDeadlines ?? DEFAULT_URGENT_DEADLINES, now).followUpDueAt
        : deps.calendar.addWorkingDays(now, SERVICE_LEVELS.followUpWorkingDays),
      ...(c.verifiedAt ? {} : { verifiedAt: now }),
      ...firstResponse(c, now),
    }),
    apply: async (ctx) => {
      const target = opd!;
      if (ctx.from === 'submitted') await ctx.event('verified', { toStatus: 'verified' });
      await ctx.event('forwarded', {
        fromStatus: ctx.from === 'submitted' ? 'verified' : ctx.from,
        note: target.name,
        data: { opdCode: target.code, previousOpdCode: ctx.c.opdCode },
      });
      await ctx.notifyCitizen({
        text: ft(ctx.lang, 'forwarded', { trackingId: ctx.c.trackingId, opdName: target.name, days: SERVICE_LEVELS.followUpWorkingDays }),
      });
      await ctx.notifyAdmins('opd', 'forwarded', {}, { withPhoto: true });
    },
  });
}
