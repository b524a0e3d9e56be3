import type { Db } from '../db/client.ts';
import type { Channel } from '../domain/messages.ts';
import type { SenderInfo } from '../db/citizens.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import { change, type ActionRefusal } from './change-case.ts';
import { ensureCitizen } from '../db/citizens.ts';
import { asLanguage, supporterText } from '../domain/case-notices.ts';

export interface SupportRequest {
  trackingId: string;
  /** The supporter's chat: where they are told of the case's progress. */
  conversationKey: string;
  channel: Channel;
  sender: SenderInfo;
  language: string;
  now: Date;
}

export type SupportResult =
  | { ok: true; trackingId: string; supporterCount: number; alreadySupported: boolean; reply: string }
  | { ok: false; refusal: ActionRefusal };

/**
 * A citizen supports an open case (the same problem, offered at the summary step): they are counted on the case
 * ("N warga melaporkan hal serupa") and told of its progress on their own chat. Idempotent: supporting twice
 * counts once. Their own case, a finished or a merged case cannot be supported. Nothing of the case's reporter
 * reaches the supporter, nor the supporter's identity the reporter.
 */
export async function supportCase(deps: { db: Db; calendar: WorkingCalendar }, request: SupportRequest): Promise<SupportResult> {
  let citizenId = '';
  let outcome: { count: number; already: boolean } = { count: 0, already: false };
  // The supporter is known once the transaction has found or created them (precheck); the event records them.
  const actor: { type: 'citizen'; id: string | null } = { type: 'citizen', id: null };
  const result = await change({ db: deps.db, calendar: deps.calendar, now: request.now }, request.trackingId, {
    action: 'support',
    actor,
    precheck: async (c, tx) => {
      // A merged case reads as missing: its supporters follow the main case.
      if (c.mergedIntoId) return { code: 'NOT_FOUND' };
      citizenId = await ensureCitizen(tx, request.conversationKey, request.channel, request.sender, request.language);
      if (c.reporterId === citizenId) return { code: 'OWN_CASE' };
      actor.id = citizenId;
      return undefined;
    },
    apply: async (ctx) => {
      const { tx, c, now } = ctx;
      const already = c.supporters.some((s) => s.citizenId === citizenId);
      if (!already) {
        await tx.caseSupporter.create({ data: { caseId: c.id, citizenId, conversationKey: request.conversationKey, source: 'support', createdAt: now } });
      }
      const count = await tx.caseSupporter.count({ where: { caseId: c.id } });
      if (!already) await ctx.event('supported', { internal: true, fromStatus: null, toStatus: null, data: { supporterCount: count } });
      outcome = { count, already };
    },
  });
  if (!result.ok) return result;
  const lang = asLanguage(request.language);
  return {
    ok: true,
    trackingId: result.trackingId,
    supporterCount: outcome.count,
    alreadySupported: outcome.already,
    reply: supporterText(lang, outcome.already ? 'alreadySupported' : 'supported', { trackingId: result.trackingId, count: outcome.count }),
  };
}
