import type { Db } from './client.ts';

/** Outbox rows that are finished with: delivered, or given up on. Pending and in-flight rows are never pruned. */
const FINISHED_OUTBOX_STATUSES = ['sent', 'undeliverable', 'failed'];
/** What a pruned outbox row that must stay (its dedupe key keeps a scheduled notice from going out twice) keeps. */
const PRUNED_PAYLOAD = { pruned: true };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneOptions {
  /** RETENTION_DAYS: rows older than this many days go. */
  retentionDays: number;
  now?: Date;
}

export interface PruneResult {
  processedMessages: number;
  outboxDeleted: number;
  /** Rows kept for their dedupe key, with the message text removed. */
  outboxBlanked: number;
}

/**
 * Deletes what only grows and holds citizens' words: the ids of handled inbound messages (duplicate detection
 * needs them only while a platform might redeliver, which is hours to days) and finished outbox rows (their
 * payload is the text that was sent). Cases, their events and attachments are records and are kept. For the
 * daily job; safe to run at any time and from any process (plain deletes, each its own statement).
 */
export async function pruneOldRecords(db: Db, options: PruneOptions): Promise<PruneResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  const processed = await db.processedMessage.deleteMany({ where: { processedAt: { lt: cutoff } } });
  // Sent rows age from when they were sent; rows that were never sent from when they were written.
  const finishedBefore = {
    status: { in: FINISHED_OUTBOX_STATUSES },
    OR: [{ sentAt: { lt: cutoff } }, { sentAt: null, createdAt: { lt: cutoff } }],
  };
  const deleted = await db.outboxMessage.deleteMany({ where: { ...finishedBefore, dedupeKey: null } });
  const blanked = await db.outboxMessage.updateMany({
    where: { ...finishedBefore, dedupeKey: { not: null }, NOT: { payload: { equals: PRUNED_PAYLOAD } } },
    data: { payload: PRUNED_PAYLOAD, lastError: null },
  });
  return { processedMessages: processed.count, outboxDeleted: deleted.count, outboxBlanked: blanked.count };
}
