import type { Db } from '../db/client.ts';

/**
 * The platform says this chat will not take messages (the person blocked the bot, the account is gone). Notifications stop going out for them;
 * the outbox keeps what it has as undeliverable.
 */
export async function markUnreachable(db: Db, conversationKey: string, now: Date): Promise<void> {
  await db.channelIdentity.updateMany({ where: { conversationKey, unreachableAt: null }, data: { unreachableAt: now } });
}

/**
 * The person is back (wrote to the bot, or unblocked it): clear the flag and put the notifications kept while
 * they were unreachable back in the queue, so they learn what happened to their report. Returns how many.
 */
export async function markReachable(db: Db, conversationKey: string, now: Date): Promise<number> {
  const cleared = await db.channelIdentity.updateMany({
    where: { conversationKey, unreachableAt: { not: null } },
    data: { unreachableAt: null },
  });
  if (cleared.count === 0) return 0;
  const requeued = await db.outboxMessage.updateMany({
    where: { conversationKey, status: 'undeliverable' },
    data: { status: 'pending', nextAttemptAt: now },
  });
  return requeued.count;
}
