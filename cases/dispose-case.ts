import type { CityProfile } from '../lib/city-profile.ts';
import { change, type ActionDeps, type ActionRefusal, type ActionResult, type Actor } from './change-case.ts';
import { checkDisposition, DispositionError } from '../domain/route-case.ts';
import { findUnit, recognizeUnits } from '../lib/city-units.ts';
import { ft } from '../domain/case-notices.ts';

/**
 * An OPD admin (or the admin instansi) disposes a case its OPD holds to one of its units (/disposisi): the unit's
 * admins are alerted with the OPD's own, the citizen is told which office now handles it. The status and the
 * deadline stay: the OPD's clock does not restart for a disposition. Never to the unit the case accuses.
 */
export async function disposeCase(deps: ActionDeps, actor: Actor, trackingId: string, unitInput: string, profile: CityProfile): Promise<ActionResult> {
  let unit: { code: string; name: string } | undefined;
  return change(deps, trackingId, {
    action: 'dispose',
    actor,
    precheck: async (c) => refusalOf(() => {
      if (!c.opdCode) return { code: 'NO_OPD' };
      // A code (KEL-SUMBERSARI) or a name ("kelurahan sumbersari"), looked for among the OPD's units first.
      const found = findUnit(profile, unitInput) ?? recognizeUnits(profile, unitInput, (u) => u.opdCode === c.opdCode)[0]?.unit ?? recognizeUnits(profile, unitInput)[0]?.unit;
      if (!found) return { code: 'UNKNOWN_UNIT', value: unitInput };
      unit = checkDisposition(profile, c.opdCode, found.code, c.accusedUnitCode);
      return undefined;
    }, unitInput, c.opdCode ?? '-'),
    fields: () => ({ unitCode: unit!.code }),
    apply: async (ctx) => {
      await ctx.event('disposed', { note: unit!.name, data: { unitCode: unit!.code, previousUnitCode: ctx.c.unitCode } });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'disposed', { trackingId: ctx.c.trackingId, unitName: unit!.name, opdName: ctx.c.opd?.name ?? '-' }) });
      await ctx.notifyAdmins('opd', 'disposed', {}, { withPhoto: true });
    },
  });
}

function refusalOf(check: () => ActionRefusal | undefined, unitInput: string, opdCode: string): Promise<ActionRefusal | undefined> {
  try {
    return Promise.resolve(check());
  } catch (err) {
    if (!(err instanceof DispositionError)) throw err;
    if (err.code === 'UNIT_ACCUSED') return Promise.resolve({ code: 'ACCUSED', value: unitInput });
    if (err.code === 'UNIT_NOT_UNDER_OPD') return Promise.resolve({ code: 'UNIT_NOT_UNDER_OPD', value: unitInput, opdCode });
    return Promise.resolve({ code: 'UNKNOWN_UNIT', value: unitInput });
  }
}
