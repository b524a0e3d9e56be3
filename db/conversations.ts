import { postgresDirect, sqliteDirect, type Db } from './client.ts';
import { AppError } from '../lib/errors.ts';
import { sqliteTimestamp } from './sqlite-direct.ts';
import { postgresTimestamp, UNIQUE_VIOLATION, type PostgresDirect } from './postgres-direct.ts';

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

// The per-message path (load, duplicate check, save) is the engine's hot path. On SQLite it runs cached
// prepared statements synchronously on Prisma's own connection (db/sqlite-direct.ts); on PostgreSQL named
// statements through pg on Prisma's pool (db/postgres-direct.ts): one round trip to load, one to save. Other
// clients use plain parameterised SQL through Prisma ($queryRaw). All write exactly what Prisma writes (JSON,
// DateTime in UTC). Figures in docs/load.md.

const SQL = {
  load: 'SELECT "state", "version" FROM "Conversation" WHERE "key" = ?',
  processed: 'SELECT 1 FROM "ProcessedMessage" WHERE "conversationKey" = ? AND "messageId" = ?',
  insert: 'INSERT INTO "Conversation" ("key", "flow", "state", "version", "updatedAt") VALUES (?, ?, ?, 1, ?) ON CONFLICT ("key") DO NOTHING',
  update: 'UPDATE "Conversation" SET "state" = ?, "flow" = ?, "version" = ?, "updatedAt" = ? WHERE "key" = ? AND "version" = ?',
  mark: 'INSERT INTO "ProcessedMessage" ("conversationKey", "messageId", "processedAt") VALUES (?, ?, ?) ON CONFLICT ("conversationKey", "messageId") DO NOTHING',
} as const;


// PostgreSQL's hot path. The save is one statement, so it is atomic without BEGIN/COMMIT round trips: the
// message is marked only when the conversation row was written (version check), and a message id marked already
// (another process handled it first) violates the primary key, which aborts the whole statement.
const PG = {
  load: `SELECT c."state", c."version",
      EXISTS (SELECT 1 FROM "ProcessedMessage" p WHERE p."conversationKey" = $1 AND p."messageId" = $2) AS "processed"
    FROM (SELECT 1) AS "base" LEFT JOIN "Conversation" c ON c."key" = $1`,
  insert: `WITH written AS (
      INSERT INTO "Conversation" ("key", "flow", "state", "version", "updatedAt") VALUES ($1, $2, $3::jsonb, 1, $4::timestamp(3))
      ON CONFLICT ("key") DO NOTHING RETURNING 1),
    marked AS (
      INSERT INTO "ProcessedMessage" ("conversationKey", "messageId", "processedAt") SELECT $1, $5, $4::timestamp(3) WHERE EXISTS (SELECT 1 FROM written) RETURNING 1)
    SELECT (SELECT count(*) FROM written)::int AS "written", (SELECT count(*) FROM marked)::int AS "marked"`,
  update: `WITH written AS (
      UPDATE "Conversation" SET "state" = $3::jsonb, "flow" = $2, "version" = $6::int + 1, "updatedAt" = $4::timestamp(3)
      WHERE "key" = $1 AND "version" = $6::int RETURNING 1),
    marked AS (
      INSERT INTO "ProcessedMessage" ("conversationKey", "messageId", "processedAt") SELECT $1, $5, $4::timestamp(3) WHERE EXISTS (SELECT 1 FROM written) RETURNING 1)
    SELECT (SELECT count(*) FROM written)::int AS "written", (SELECT count(*) FROM marked)::int AS "marked"`,
} as const;

async function savePostgres(direct: PostgresDirect, key: string, flow: string, json: string, expectedVersion: number, messageId: string, now: Date): Promise<void> {
  const at = postgresTimestamp(now);
  let row: { written: number; marked: number } | undefined;
  try {
    [row] =
      expectedVersion === 0
        ? await direct.query<{ written: number; marked: number }>('conversation_insert', PG.insert, [key, flow, json, at, messageId])
        : await direct.query<{ written: number; marked: number }>('conversation_update', PG.update, [key, flow, json, at, messageId, expectedVersion]);
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) throw new ConversationConflictError();
    throw err;
  }
  if (row?.written !== 1 || row.marked !== 1) throw new ConversationConflictError();
}

function parseState<S>(value: unknown): S {
  // Prisma types JSONB columns and returns an object; a driver that hands back text gets parsed here.
  return (typeof value === 'string' ? JSON.parse(value) : value) as S;
}

export async function loadConversation<S>(db: Db, key: string, initial: () => S): Promise<StoredConversation<S>> {
  const { state, version } = await loadForMessage(db, key, undefined, initial);
  return { state, version };
}

export async function isProcessed(db: Db, conversationKey: string, messageId: string): Promise<boolean> {
  const direct = sqliteDirect(db);
  if (direct && !direct.busy) return direct.run(() => direct.statement(SQL.processed).get(conversationKey, messageId) !== undefined);
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 AS "hit" FROM "ProcessedMessage" WHERE "conversationKey" = ${conversationKey} AND "messageId" = ${messageId}`;
  return rows.length > 0;
}

export interface MessageContext<S> extends StoredConversation<S> {
  /** The message id was already handled (a platform redelivery). */
  processed: boolean;
}

/** isProcessed and loadConversation in one round trip: the two reads every inbound message starts with. */
export async function loadForMessage<S>(db: Db, key: string, messageId: string | undefined, initial: () => S): Promise<MessageContext<S>> {
  const direct = sqliteDirect(db);
  // Reads wait for nobody (see SqliteDirect.busy); the save below waits for an open transaction, as
  // db.$transaction does.
  if (direct && !direct.busy) {
    return direct.run(() => {
      const processed = messageId !== undefined && direct.statement(SQL.processed).get(key, messageId) !== undefined;
      const row = direct.statement(SQL.load).get(key) as { state: string; version: number | bigint } | undefined;
      if (!row) return { state: initial(), version: 0, processed };
      return { state: parseState<S>(row.state), version: Number(row.version), processed };
    });
  }
  const pgDirect = postgresDirect(db);
  if (pgDirect) {
    const [row] = await pgDirect.query<{ state: unknown; version: number | null; processed: boolean }>('conversation_load', PG.load, [key, messageId ?? null]);
    const processed = messageId !== undefined && row?.processed === true;
    if (!row || row.version === null || row.state === null) return { state: initial(), version: 0, processed };
    return { state: parseState<S>(row.state), version: Number(row.version), processed };
  }
  const rows = await db.$queryRaw<Array<{ state: unknown; version: number | bigint | null; processed: number | bigint | boolean }>>`
    SELECT c."state", c."version",
      CASE WHEN EXISTS (SELECT 1 FROM "ProcessedMessage" p WHERE p."conversationKey" = ${key} AND p."messageId" = ${messageId ?? ''})
        THEN 1 ELSE 0 END AS "processed"
    FROM (SELECT 1 AS "one") AS "base" LEFT JOIN "Conversation" c ON c."key" = ${key}`;
  const row = rows[0];
  // With no message id there is nothing to check (the query then looks for an empty id).
  const processed = messageId !== undefined && Number(row?.processed ?? 0) === 1;
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
  const direct = sqliteDirect(db);
  if (direct) {
    return direct.run((conn) => {
      const at = sqliteTimestamp(now);
      conn.transaction(() => {
        const written =
          expectedVersion === 0
            ? direct.statement(SQL.insert).run(key, flow, json, at)
            : direct.statement(SQL.update).run(json, flow, expectedVersion + 1, at, key, expectedVersion);
        if (written.changes !== 1) throw new ConversationConflictError();
        if (direct.statement(SQL.mark).run(key, messageId, at).changes !== 1) throw new ConversationConflictError();
      })();
    });
  }
  const pgDirect = postgresDirect(db);
  if (pgDirect) return savePostgres(pgDirect, key, flow, json, expectedVersion, messageId, now);
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
