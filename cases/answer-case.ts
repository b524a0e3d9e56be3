import { change, type ActionDeps, type ActionResult, type Actor, firstResponse, opdFirstResponse } from './change-case.ts';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { ft } from '../domain/case-notices.ts';

/** The OPD's answer: sent to the citizen with the question whether it is solved; the auto-close clock starts. */
export async function answerCase(deps: ActionDeps, actor: Actor, trackingId: string, answer: string): Promise<ActionResult> {
  return change(deps, trackingId, {
    action: 'answer',
    actor,
    fields: (c, _to, now) => ({
      answeredAt: now,
      autoCloseAt: deps.calendar.addWorkingDays(now, SERVICE_LEVELS.autoCloseWorkingDays),
      ...firstResponse(c, now),
      ...opdFirstResponse(c, now),
    }),
    apply: async (ctx) => {
      await ctx.event('answered', { note: answer });
      await ctx.notifyCitizen({
        text: ft(ctx.lang, 'answered', {
          trackingId: ctx.c.trackingId,
          opdName: ctx.c.opd?.name ?? '-',
          answer,
          days: SERVICE_LEVELS.autoCloseWorkingDays,
        }),
        choices: [
          { value: 'puas', label: ft(ctx.lang, 'choiceSatisfied') },
          { value: 'belum', label: ft(ctx.lang, 'choiceUnsatisfied') },
        ],
      });
    },
  });
}
