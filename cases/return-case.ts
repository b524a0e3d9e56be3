import { change, type ActionDeps, type ActionResult, type Actor, opdFirstResponse } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';

/**
 * "Bukan wewenang". An OPD hands the case back to the admin instansi with a reason (a reroute). A unit hands it
 * back to its OPD instead: the unit is cleared, the status and deadline stay, and the OPD's own admins are
 * alerted; that is not a reroute.
 */
export async function returnCase(deps: ActionDeps, actor: Actor, trackingId: string, reason: string): Promise<ActionResult> {
  const unitCode = deps.viewer?.unitCode;
  if (unitCode) {
    return change(deps, trackingId, {
      action: 'return',
      actor,
      keepStatus: true,
      fields: (c, _to, now) => ({ unitCode: null, ...opdFirstResponse(c, now) }),
      apply: async (ctx) => {
        await ctx.event('unit_returned', { note: reason, internal: true, data: { unitCode } });
        await ctx.notifyAdmins('opd', 'unitReturned', { note: reason, fromOpd: unitCode });
      },
    });
  }
  return change(deps, trackingId, {
    action: 'return',
    actor,
    // The OPD no longer owes a follow-up; the admin instansi owes a new forward, within the verification
    // service level counted from the hand-back (the submission's own deadline has usually passed by now, and
    // the reminders would otherwise escalate it at once as "not verified").
    fields: (c, _to, now) => ({
      followUpDueAt: null,
      unitCode: null,
      verifyDueAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.verifyWorkingDays),
      ...opdFirstResponse(c, now),
    }),
    apply: async (ctx) => {
      await ctx.event('returned', { note: reason, data: { opdCode: ctx.c.opdCode, unitCode: ctx.c.unitCode } });
      await ctx.notifyAdmins('instansi', 'returned', { note: reason, fromOpd: ctx.c.opdCode ?? '-' });
    },
  });
}
