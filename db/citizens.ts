import { newId } from '../lib/ids.ts';
import { postgresDirect, type Db } from './client.ts';
import { sqliteTimestamp, type SqliteDirect } from './sqlite-direct.ts';
/** The conversation key's channel prefix (tg, wa, term). */
type Channel = string;

type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface SenderInfo {
  name?: string;
  phone?: string;
}

/** Finds or creates the citizen behind a conversation key; one citizen per channel identity. */
export async function ensureCitizen(db: Tx, conversationKey: string, channel: Channel, sender: SenderInfo = {}, language = 'id') {
  // Plain SQL: this runs inside every filing transaction, where the model API's per-call cost counted (docs/load.md).
  const rows = await db.$queryRaw<Array<{ citizenId: string }>>`
    SELECT "citizenId" FROM "ChannelIdentity" WHERE "conversationKey" = ${conversationKey}`;
  if (rows[0]) return rows[0].citizenId;
  const citizenId = newId();
  const now = new Date();
  await db.$executeRaw`
    INSERT INTO "Citizen" ("id", "name", "language", "createdAt") VALUES (${citizenId}, ${sender.name ?? null}, ${language}, ${now})`;
  await db.$executeRaw`
    INSERT INTO "ChannelIdentity" ("conversationKey", "channel", "citizenId", "displayName", "phone", "createdAt")
    VALUES (${conversationKey}, ${channel}, ${citizenId}, ${sender.name ?? null}, ${sender.phone ?? null}, ${now})`;
  return citizenId;
}

/**
 * ensureCitizen in one statement on PostgreSQL (its CTEs may write): the citizen and identity are created only
 * when the chat has none. One round trip where the portable version takes three for a new citizen.
 */
export async function ensureCitizenPostgres(db: Tx, conversationKey: string, channel: Channel, sender: SenderInfo = {}, language = 'id'): Promise<string> {
  const citizenId = newId();
  const now = new Date();
  const rows = await db.$queryRaw<Array<{ citizenId: string }>>`
    WITH "existing" AS (SELECT "citizenId" FROM "ChannelIdentity" WHERE "conversationKey" = ${conversationKey}),
      "citizen" AS (
        INSERT INTO "Citizen" ("id", "name", "language", "createdAt")
        SELECT ${citizenId}, ${sender.name ?? null}, ${language}, ${now} WHERE NOT EXISTS (SELECT 1 FROM "existing") RETURNING "id"),
      "identity" AS (
        INSERT INTO "ChannelIdentity" ("conversationKey", "channel", "citizenId", "displayName", "phone", "createdAt")
        SELECT ${conversationKey}, ${channel}, "id", ${sender.name ?? null}, ${sender.phone ?? null}, ${now} FROM "citizen" RETURNING "citizenId")
    SELECT "citizenId" FROM "existing" UNION ALL SELECT "citizenId" FROM "identity"`;
  if (!rows[0]) throw new Error('ensureCitizenPostgres wrote no identity');
  return rows[0].citizenId;
}

/** ensureCitizen on the SQLite fast path, inside the caller's Prisma transaction (see SqliteDirect.inTransaction). */
export function ensureCitizenDirect(direct: SqliteDirect, conversationKey: string, channel: Channel, sender: SenderInfo = {}, language = 'id'): string {
  return direct.inTransaction(() => {
    const row = direct.statement('SELECT "citizenId" FROM "ChannelIdentity" WHERE "conversationKey" = ?').get(conversationKey) as
      | { citizenId: string }
      | undefined;
    if (row) return row.citizenId;
    const citizenId = newId();
    const now = sqliteTimestamp(new Date());
    direct.statement('INSERT INTO "Citizen" ("id", "name", "language", "createdAt") VALUES (?, ?, ?, ?)').run(citizenId, sender.name ?? null, language, now);
    direct
      .statement('INSERT INTO "ChannelIdentity" ("conversationKey", "channel", "citizenId", "displayName", "phone", "createdAt") VALUES (?, ?, ?, ?, ?, ?)')
      .run(conversationKey, channel, citizenId, sender.name ?? null, sender.phone ?? null, now);
    return citizenId;
  });
}

export async function citizenIdForKey(db: Tx, conversationKey: string): Promise<string | null> {
  const direct = postgresDirect(db as Db);
  if (direct) {
    const [row] = await direct.query<{ citizenId: string }>('citizen_by_key', 'SELECT "citizenId" FROM "ChannelIdentity" WHERE "conversationKey" = $1', [conversationKey]);
    return row?.citizenId ?? null;
  }
  const identity = await db.channelIdentity.findUnique({ where: { conversationKey }, select: { citizenId: true } });
  return identity?.citizenId ?? null;
}

/** Remembers the language a citizen chose, on every identity of the chat. */
export async function setCitizenLanguage(db: Tx, conversationKey: string, language: string): Promise<void> {
  await db.citizen.updateMany({ where: { identities: { some: { conversationKey } } }, data: { language } });
}

/** Who reported a case and its status, or null; the caller compares the reporter with the asking citizen. */
export async function findCaseOwner(db: Tx, trackingId: string): Promise<{ id: string; trackingId: string; status: string; reporterId: string } | null> {
  return db.case.findUnique({ where: { trackingId }, select: { id: true, trackingId: true, status: true, reporterId: true } });
}
