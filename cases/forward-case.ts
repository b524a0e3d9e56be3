import { change, type ActionDeps, type ActionResult, type Actor, resolveOpd, firstResponse } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { ft } from '../domain/case-notices.ts';
import { DEFAULT_URGENT_DEADLINES, urgentDueDates } from '../domain/urgent-deadlines.ts';
import { mayRouteTo } from '../domain/case-access.ts';

/**
 * submitted|verified|rerouted → forwarded to an OPD; from "submitted" it is verified on the way. The admin may set
 * the category at the same time (a rerouted case keeps a wrong category otherwise). The OPD an integrity complaint
 * accuses is refused. The unit is cleared: the new OPD disposes it to one of its units itself.
 */
export async function forwardCase(deps: ActionDeps, actor: Actor, trackingId: string, opdCodeInput?: string, categoryInput?: string): Promise<ActionResult> {
  let opd: { code: string; name: string } | null = null;
  let categoryCode: string | undefined;
  return change(deps, trackingId, {
    action: 'forward',
    actor,
    precheck: async (c, tx) => {
      if (categoryInput) {
        const category = await tx.category.findUnique({ where: { code: categoryInput.toUpperCase() } });
        if (!category) return { code: 'UNKNOWN_CATEGORY', value: categoryInput };
        categoryCode = category.code;
      }
      opd = await resolveOpd(tx, opdCodeInput ?? c.opdCode ?? undefined);
      if (!opd) return opdCodeInput ? { code: 'UNKNOWN_OPD', value: opdCodeInput } : { code: 'NO_OPD' };
      if (!mayRouteTo(c, opd.code)) return { code: 'ACCUSED', value: opd.code };
      return undefined;
    },
    fields: (c, _to, now) => ({
      opdCode: opd!.code,
      // A unit chosen at filing stays when the OPD does; another OPD starts without one.
      ...(opd!.code !== c.opdCode ? { unitCode: null } : {}),
      ...(categoryCode ? { categoryCode } : {}),
      forwardedAt: now,
      opdRespondedAt: null,
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
        data: {
          opdCode: target.code,
          previousOpdCode: ctx.c.opdCode,
          ...(categoryCode && categoryCode !== ctx.c.categoryCode ? { categoryCode: { from: ctx.c.categoryCode, to: categoryCode } } : {}),
        },
      });
      await ctx.notifyCitizen({
        text: ft(ctx.lang, 'forwarded', { trackingId: ctx.c.trackingId, opdName: target.name, days: SERVICE_LEVELS.followUpWorkingDays }),
      });
      await ctx.notifyAdmins('opd', 'forwarded', {}, { withPhoto: true });
    },
  });
}
