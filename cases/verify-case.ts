import { change, type ActionDeps, type ActionResult, type Actor, resolveOpd, firstResponse } from './change-case.ts';
import { ft } from '../domain/case-notices.ts';
import { mayRouteTo } from '../domain/case-access.ts';

export interface VerifyRequest {
  categoryCode?: string;
  opdCode?: string;
}

/**
 * submitted|rerouted → verified; may correct the category and the OPD (a new category brings its default OPD).
 * Allowed again after a hand-back, so a case that went to the wrong OPD gets its right category.
 */
export async function verifyCase(deps: ActionDeps, actor: Actor, trackingId: string, request: VerifyRequest = {}): Promise<ActionResult> {
  let categoryCode: string | undefined;
  let opdCode: string | undefined;
  return change(deps, trackingId, {
    action: 'verify',
    actor,
    precheck: async (c, tx) => {
      if (request.categoryCode) {
        const category = await tx.category.findUnique({ where: { code: request.categoryCode.toUpperCase() } });
        if (!category) return { code: 'UNKNOWN_CATEGORY', value: request.categoryCode };
        categoryCode = category.code;
        opdCode = category.defaultOpdCode;
      }
      if (request.opdCode) {
        const opd = await resolveOpd(tx, request.opdCode);
        if (!opd) return { code: 'UNKNOWN_OPD', value: request.opdCode };
        opdCode = opd.code;
      }
      if (opdCode && !mayRouteTo(c, opdCode)) return { code: 'ACCUSED', value: opdCode };
      return undefined;
    },
    fields: (c, _to, now) => ({
      verifiedAt: now,
      ...firstResponse(c, now),
      ...(categoryCode ? { categoryCode } : {}),
      ...(opdCode ? { opdCode } : {}),
      ...(opdCode && opdCode !== c.opdCode ? { unitCode: null } : {}),
    }),
    apply: async (ctx) => {
      const changes = {
        ...(categoryCode && categoryCode !== ctx.c.categoryCode ? { categoryCode: { from: ctx.c.categoryCode, to: categoryCode } } : {}),
        ...(opdCode && opdCode !== ctx.c.opdCode ? { opdCode: { from: ctx.c.opdCode, to: opdCode } } : {}),
      };
      await ctx.event('verified', { data: Object.keys(changes).length ? changes : undefined });
      await ctx.notifyCitizen({ text: ft(ctx.lang, 'verified', { trackingId: ctx.c.trackingId }) });
    },
  });
}
