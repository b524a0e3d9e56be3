import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';

/** "Bukan wewenang": the OPD hands the case back to the admin instansi with a reason. */
export async function returnCase(deps: ActionDeps, actor: Actor, trackingId: string, reason: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'return',
    actor,
    // The OPD no longer owes a follow-up; the admin instansi owes a new forward, within the verification
    // service level counted from the hand-back (the submission's own deadline has usually passed by now, and
    // the reminders would otherwise escalate it at once as "not verified").
    fields: (_c, _to, now) => ({ followUpDueAt: null, verifyDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.verifyWorkingDays) }),
    apply: async (ctx) => {
      await ctx.event('returned', { note: reason, data: { opdCode: ctx.c.opdCode } });
      await ctx.notifyAdmins('instansi', 'returned', { note: reason, fromOpd: ctx.c.opdCode ?? '-' });
    },
  });
}
