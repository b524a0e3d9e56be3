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

export async function loadConversation<S>(db: Db, key: string, initial: () => S): Promise<StoredConversation<S>> {
  const row = await db.conversation.findUnique({ where: { key } });
  if (!row) return { state: initial(), version: 0 };
  return { state: row.state as S, version: row.version };
}

export async function isProcessed(db: Db, conversationKey: string, messageId: string): Promise<boolean> {
  const row = await db.processedMessage.findUnique({ where: { conversationKey_messageId: { conversationKey, messageId } } });
  return row !== null;
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
  await db.$transaction(async (tx) => {
    if (expectedVersion === 0) {
      try {
        await tx.conversation.create({ data: { key, flow, state: state as object, version: 1 } });
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') throw new ConversationConflictError();
        throw err;
      }
    } else {
      const updated = await tx.conversation.updateMany({
        where: { key, version: expectedVersion },
        data: { state: state as object, flow, version: expectedVersion + 1 },
      });
      if (updated.count !== 1) throw new ConversationConflictError();
    }
    await tx.processedMessage.create({ data: { conversationKey: key, messageId } });
  });
}
