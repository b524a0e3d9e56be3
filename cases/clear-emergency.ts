import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';

/**
 * An admin instansi clears a false alarm (/bukandarurat): the case stops being urgent and its deadlines go back
 * to working days, counted from when each stage started, as if it had never been urgent. The emergency kind is
 * kept and the event recorded, so the false alarms can be counted; the OPD that was warned is told.
 */
export async function clearEmergency(deps: ActionDeps, actor: Actor, trackingId: string, note?: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'clearEmergency',
    actor,
    precheck: async (c) => (c.urgent ? undefined : { code: 'NOT_URGENT' }),
    fields: (c) => ({
      urgent: false,
      verifyDueAt: deps.calendar.addWorkingDays(c.submittedAt, SERVICE_LEVELS.verifyWorkingDays),
      ...(c.forwardedAt ? { followUpDueAt: deps.calendar.addWorkingDays(c.forwardedAt, SERVICE_LEVELS.followUpWorkingDays) } : {}),
    }),
    apply: async (ctx) => {
      await ctx.event('emergency_cleared', {
        note: note ?? null,
        internal: true,
        fromStatus: null,
        toStatus: null,
        data: { emergencyKind: ctx.c.emergencyKind, verifyDueAt: ctx.c.verifyDueAt?.toISOString() ?? null },
      });
      await ctx.notifyAdmins('opd', 'falseAlarm', note ? { note } : {}, { warnedOfEmergency: true });
    },
  });
}
