import { change, type ActionDeps, type ActionResult, type Actor } from './change-case.ts';
import { enqueueNotification } from './notify.ts';
import { adminMaySee } from '../domain/case-access.ts';
import { asLanguage, supporterText } from '../domain/case-notices.ts';
import { isOpen } from '../domain/case-status.ts';
import { newId } from '../lib/ids.ts';

/**
 * Merges a duplicate into a main case (/gabung <duplicate> <main>), in one transaction: the duplicate closes
 * (merged, not "solved"), its reporter and its own supporters become supporters of the main case and receive
 * its updates from now on, and the reporter is told, on their chat, by tracking ids only: neither reporter ever
 * learns who the other is. Both cases record the merge.
 */
export async function mergeCase(deps: ActionDeps, actor: Actor, duplicateId: string, mainId: string): Promise<ActionResult> {
  let main: { id: string; trackingId: string; reporterId: string } | null = null;
  return change(deps, duplicateId, {
    action: 'merge',
    actor,
    precheck: async (c, tx) => {
      if (c.trackingId === mainId) return { code: 'SAME_CASE' };
      const found = await tx.case.findUnique({ where: { trackingId: mainId } });
      if (!found || !isOpen(found.status) || found.mergedIntoId || (deps.viewer && !adminMaySee(deps.viewer, found))) {
        return { code: 'MAIN_NOT_OPEN', value: mainId };
      }
      main = found;
      return undefined;
    },
    fields: (_c, _to, now) => ({ mergedIntoId: main!.id, closedAt: now }),
    apply: async (ctx) => {
      const target = main!;
      const { tx, c, now } = ctx;
      await ctx.event('merged', { note: target.trackingId, internal: true, data: { mainTrackingId: target.trackingId } });
      // The duplicate's reporter and its supporters now follow the main case (not its own reporter twice).
      const followers = [
        { citizenId: c.reporterId, conversationKey: c.conversationKey, source: 'merge', fromCaseId: c.id },
        ...c.supporters.map((s) => ({ citizenId: s.citizenId, conversationKey: s.conversationKey, source: s.source, fromCaseId: s.fromCaseId })),
      ].filter((f) => f.citizenId !== target.reporterId);
      for (const f of followers) {
        const exists = await tx.caseSupporter.findUnique({ where: { caseId_citizenId: { caseId: target.id, citizenId: f.citizenId } } });
        if (!exists) await tx.caseSupporter.create({ data: { caseId: target.id, ...f, createdAt: now } });
      }
      const count = await tx.caseSupporter.count({ where: { caseId: target.id } });
      await tx.caseEvent.create({
        data: {
          id: newId(),
          caseId: target.id,
          at: now,
          actorType: ctx.deps.viewer ? 'admin' : 'system',
          actorId: null,
          action: 'duplicate_merged',
          note: c.trackingId,
          internal: true,
          data: { duplicateTrackingId: c.trackingId, supporterCount: count },
        },
      });
      await enqueueNotification(tx, {
        conversationKey: c.conversationKey,
        caseId: c.id,
        reply: { text: supporterText(ctx.lang, 'merged', { fromTrackingId: c.trackingId, trackingId: target.trackingId }), caseRef: target.trackingId },
        dedupeKey: `merged:${c.id}`,
      });
      // The duplicate's own supporters hear the same, in their language.
      for (const s of c.supporters.filter((x) => x.citizenId !== target.reporterId)) {
        await enqueueNotification(tx, {
          conversationKey: s.conversationKey,
          caseId: c.id,
          reply: { text: supporterText(asLanguage(s.citizen.language), 'merged', { fromTrackingId: c.trackingId, trackingId: target.trackingId }), caseRef: target.trackingId },
          dedupeKey: `merged:${c.id}:${s.citizenId}`,
        });
      }
    },
  });
}
