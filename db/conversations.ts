import type { Db } from './client.ts';
import { AppError } from '../lib/errors.ts';

export interface StoredConversation<S> {
  state: S;
  /** 0 when the conversation is new (no row yet). */
  version: number;
}

export class ConversationConflictError extends AppError {
  constructor() {
    super('CONVERSATION_CONFLICT', 'conversation changed concurrently', true);
  }
}

// The per-message path (load, duplicate check, save) uses plain parameterised SQL through Prisma's driver
// adapter instead of the model API: the same connection and transactions, but no query compilation, which
// made each model call 3-4× slower than the statement itself (docs/load.md). The SQL is deliberately
// portable (quoted identifiers, ON CONFLICT DO NOTHING) so it runs on SQLite and PostgreSQL alike.

function parseState<S>(value: unknown): S {
  // Prisma types JSONB columns and returns an object; a driver that hands back text gets parsed here.
  return (typeof value === 'string' ? JSON.parse(value) : value) as S;
}

export async function loadConversation<S>(db: Db, key: string, initial: () => S): Promise<StoredConversation<S>> {
  const rows = await db.$queryRaw<Array<{ state: unknown; version: number | bigint }>>`
    SELECT "state", "version" FROM "Conversation" WHERE "key" = ${key}`;
  const row = rows[0];
  if (!row) return { state: initial(), version: 0 };
  return { state: parseState<S>(row.state), version: Number(row.version) };
}

export async function isProcessed(db: Db, conversationKey: string, messageId: string): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 AS "hit" FROM "ProcessedMessage" WHERE "conversationKey" = ${conversationKey} AND "messageId" = ${messageId}`;
  return rows.length > 0;
}

export interface MessageContext<S> extends StoredConversation<S> {
  /** The message id was already handled (a platform redelivery). */
  processed: boolean;
}

/** isProcessed and loadConversation in one round trip: the two reads every inbound message starts with. */
export async function loadForMessage<S>(db: Db, key: string, messageId: string, initial: () => S): Promise<MessageContext<S>> {
  const rows = await db.$queryRaw<Array<{ state: unknown; version: number | bigint | null; processed: number | bigint | boolean }>>`
    SELECT c."state", c."version",
      CASE WHEN EXISTS (SELECT 1 FROM "ProcessedMessage" p WHERE p."conversationKey" = ${key} AND p."messageId" = ${messageId})
        THEN 1 ELSE 0 END AS "processed"
    FROM (SELECT 1 AS "one") AS "base" LEFT JOIN "Conversation" c ON c."key" = ${key}`;
  const row = rows[0];
  const processed = Number(row?.processed ?? 0) === 1;
  if (!row || row.version === null || row.state === null) return { state: initial(), version: 0, processed };
  return { state: parseState<S>(row.state), version: Number(row.version), processed };
}

/**
 * Saves the new state and marks the message processed in one transaction; the version check makes a
 * concurrent writer (another process on the same database) fail instead of silently overwriting.
 */
export async function saveConversation<S>(
  db: Db,
  key: string,
  flow: string,
  state: S,
  expectedVersion: number,
  messageId: string,
): Promise<void> {
  const json = JSON.stringify(state);
  const now = new Date();
  await db.$transaction(async (tx) => {
    const written =
      expectedVersion === 0
        ? await tx.$executeRaw`
            INSERT INTO "Conversation" ("key", "flow", "state", "version", "updatedAt") VALUES (${key}, ${flow}, ${json}, 1, ${now})
            ON CONFLICT ("key") DO NOTHING`
        : await tx.$executeRaw`
            UPDATE "Conversation" SET "state" = ${json}, "flow" = ${flow}, "version" = ${expectedVersion + 1}, "updatedAt" = ${now}
            WHERE "key" = ${key} AND "version" = ${expectedVersion}`;
    if (written !== 1) throw new ConversationConflictError();
    // A concurrent process that handled the same message id first makes this a conflict too; the retry then
    // sees the message as processed and drops it.
    const marked = await tx.$executeRaw`
      INSERT INTO "ProcessedMessage" ("conversationKey", "messageId", "processedAt") VALUES (${key}, ${messageId}, ${now})
      ON CONFLICT ("conversationKey", "messageId") DO NOTHING`;
    if (marked !== 1) throw new ConversationConflictError();
  });
}
