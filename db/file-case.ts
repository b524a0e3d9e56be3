import { Prisma } from './generated/prisma/client.ts';
import { databaseInfo, postgresDirect, sqliteDirect, type Db } from './client.ts';
import { toSqliteValue, type SqliteDirect } from './sqlite-direct.ts';
import { newId } from '../lib/ids.ts';
import { ensureCitizen, ensureCitizenDirect, ensureCitizenPostgres, type SenderInfo } from './citizens.ts';

export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** The stored fields of a new case, decided by the filing service (cases/file-case.ts). */
export interface NewCaseFields {
  reportKind: string;
  description: string;
  categoryCode: string | null;
  opdCode: string | null;
  /** The acting unit under the OPD (domain/route-case.ts), when the OPD works through units. */
  unitCode: string | null;
  /** An integrity complaint's accused OPD and unit: kept from them (domain/case-access.ts). */
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  locationText: string | null;
  latitude: number | null;
  longitude: number | null;
  kelurahan: string | null;
  kecamatan: string | null;
  placeCode: string | null;
  privacy: string;
  classifier: string | null;
  classifierModel: string | null;
  confidence: number | null;
  classifierReason: string | null;
  lowConfidence: boolean;
  classifyLatencyMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  classifyFallback: string | null;
  /** An emergency: deadlines in hours, alerted at once, first in /inbox. */
  urgent: boolean;
  emergencyKind: string | null;
  /** When an admin instansi must have verified it (set by the filing service from the service levels). */
  verifyDueAt?: Date | null;
}

export interface InsertCaseRequest {
  intakeKey: string;
  conversationKey: string;
  /** The conversation key's channel prefix (tg, wa, term). */
  channel: string;
  sender: SenderInfo;
  language: string;
  fields: NewCaseFields;
  photos: Array<{ path: string; mime?: string; size?: number }>;
  /** Voice notes the report was told in; stored as attachments of kind "audio". */
  audios?: Array<{ path: string; mime?: string; size?: number }>;
  now: Date;
  /** A fresh tracking id; called again after the (rare) collision. */
  newTrackingId(): string;
}

export interface FiledCase {
  id: string;
  trackingId: string;
  /** False when this intake had already been filed (a redelivered "ya"): nothing new was written. */
  created: boolean;
}

/** Work done inside the filing transaction (the deadline, the admins' alert), so it exists exactly when the case does. */
export type InsideFiling = (tx: Tx, filed: { id: string; trackingId: string; now: Date }) => Promise<void>;

const TRACKING_ID_ATTEMPTS = 5;

/** The insert met an existing row (same intake key, or the rare tracking-id collision); see fileCase's catch. */
class CaseInsertConflict extends Error {}

// Plain SQL for the filing's own inserts: through Prisma's model API they cost ~2.5 ms of CPU per filing in
// query compilation (docs/load.md). On SQLite they run as cached prepared statements on Prisma's connection,
// inside the Prisma transaction the hooks use; elsewhere as $executeRaw. Columns not named keep their schema
// defaults; the SQL is portable to PostgreSQL.

/** The Case row for a filing, column → value, in one place for both paths. */
function caseRow(request: InsertCaseRequest, id: string, trackingId: string, reporterId: string): Record<string, unknown> {
  const { now } = request;
  return {
    id,
    trackingId,
    intakeKey: request.intakeKey,
    ...request.fields,
    status: 'submitted',
    channel: request.channel,
    reporterId,
    conversationKey: request.conversationKey,
    reopenCount: 0,
    submittedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

function eventRow(caseId: string, reporterId: string, now: Date): Record<string, unknown> {
  return { id: newId(), caseId, at: now, actorType: 'citizen', actorId: reporterId, action: 'submitted', toStatus: 'submitted', internal: false };
}

const quoted = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

/** INSERT … ON CONFLICT DO NOTHING; returns the number of rows written (0 on a unique clash). */
async function insertRow(tx: Tx, direct: SqliteDirect | undefined, table: string, row: Record<string, unknown>): Promise<number> {
  const columns = Object.keys(row);
  const values = Object.values(row);
  if (direct) {
    const sql = `INSERT INTO "${table}" (${quoted(columns)}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
    return direct.inTransaction(() => direct.statement(sql).run(...values.map(toSqliteValue)).changes);
  }
  return tx.$executeRaw(
    Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(quoted(columns))}) VALUES (${Prisma.join(values)}) ON CONFLICT DO NOTHING`,
  );
}

/**
 * PostgreSQL: the case and its first event in one statement (one round trip less per filing). The event is
 * written only when the case was: an intake-key or tracking-id clash writes neither and returns 0.
 */
async function insertCaseAndEventPostgres(tx: Tx, row: Record<string, unknown>, event: Record<string, unknown>): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ written: number }>>(
    Prisma.sql`WITH "written" AS (
        INSERT INTO "Case" (${Prisma.raw(quoted(Object.keys(row)))}) VALUES (${Prisma.join(Object.values(row))}) ON CONFLICT DO NOTHING RETURNING "id"),
      "event" AS (
        INSERT INTO "CaseEvent" (${Prisma.raw(quoted(Object.keys(event)))}) SELECT ${Prisma.join(Object.values(event))} FROM "written" RETURNING 1)
      SELECT (SELECT count(*) FROM "written")::int AS "written", (SELECT count(*) FROM "event")::int AS "events"`,
  );
  return Number(rows[0]?.written ?? 0);
}

async function findByIntakeKey(db: Db, intakeKey: string): Promise<{ id: string; trackingId: string } | undefined> {
  const pg = postgresDirect(db);
  if (pg) {
    const [row] = await pg.query<{ id: string; trackingId: string }>('case_by_intake_key', 'SELECT "id", "trackingId" FROM "Case" WHERE "intakeKey" = $1', [intakeKey]);
    return row;
  }
  const direct = sqliteDirect(db);
  if (direct && !direct.busy) {
    return direct.run(
      () => direct.statement('SELECT "id", "trackingId" FROM "Case" WHERE "intakeKey" = ?').get(intakeKey) as { id: string; trackingId: string } | undefined,
    );
  }
  const rows = await db.$queryRaw<Array<{ id: string; trackingId: string }>>`
    SELECT "id", "trackingId" FROM "Case" WHERE "intakeKey" = ${intakeKey}`;
  return rows[0];
}

/**
 * Inserts a filed case, its photos and its first event, idempotently: the intake key is unique, so filing the same draft twice
 * (a crash between filing and saving the conversation, or a redelivered message) returns the first case.
 */
export async function insertCase(db: Db, request: InsertCaseRequest, inside?: InsideFiling): Promise<FiledCase> {
  const existing = await findByIntakeKey(db, request.intakeKey);
  if (existing) return { ...existing, created: false };
  const { photos, now } = request;
  const direct = sqliteDirect(db);
  const postgres = databaseInfo(db).provider === 'postgresql';
  for (let attempt = 1; ; attempt++) {
    const trackingId = request.newTrackingId();
    try {
      return await db.$transaction(async (tx) => {
        const { conversationKey, channel, sender, language } = request;
        const reporterId = direct
          ? ensureCitizenDirect(direct, conversationKey, channel, sender, language)
          : postgres
            ? await ensureCitizenPostgres(tx, conversationKey, channel, sender, language)
            : await ensureCitizen(tx, conversationKey, channel, sender, language);
        const id = newId();
        const row = caseRow(request, id, trackingId, reporterId);
        const event = eventRow(id, reporterId, now);
        if (postgres) {
          if ((await insertCaseAndEventPostgres(tx, row, event)) !== 1) throw new CaseInsertConflict();
        } else {
          if ((await insertRow(tx, direct, 'Case', row)) !== 1) throw new CaseInsertConflict();
          await insertRow(tx, direct, 'CaseEvent', event);
        }
        const files = [...photos.map((p) => ({ ...p, kind: 'photo' })), ...(request.audios ?? []).map((a) => ({ ...a, kind: 'audio' }))];
        if (files.length) {
          await tx.attachment.createMany({
            data: files.map((p) => ({ id: newId(), caseId: id, kind: p.kind, path: p.path, mime: p.mime ?? null, size: p.size ?? null })),
          });
        }
        await inside?.(tx, { id, trackingId, now });
        return { id, trackingId, created: true };
      });
    } catch (err) {
      // An intake-key clash means a concurrent filing of the same draft won: return that case. Otherwise it was
      // a tracking-id collision (astronomically rare): retry with a fresh id.
      const clash = err instanceof CaseInsertConflict || (err as { code?: string }).code === 'P2002';
      if (clash) {
        const winner = await findByIntakeKey(db, request.intakeKey);
        if (winner) return { ...winner, created: false };
        if (attempt < TRACKING_ID_ATTEMPTS) continue;
      }
      throw err;
    }
  }
}


/** A case as an admin alert shows it: its scope, text, and the names of its OPD, category, unit and reporter. */
export interface CaseForAlert {
  id: string;
  trackingId: string;
  status: string;
  privacy: string;
  opdCode: string | null;
  unitCode: string | null;
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  reopenCount: number;
  forwardedAt: Date | null;
  description: string;
  locationText: string | null;
  lowConfidence: boolean;
  urgent: boolean;
  emergencyKind: string | null;
  opd: { name: string } | null;
  category: { name: string } | null;
  unit: { name: string } | null;
  reporter: { name: string | null };
  /** Whether the case's OPD has active units (its alert offers a Disposisi button). */
  opdHasUnits: boolean;
}

type CaseForAlertRow = Omit<CaseForAlert, 'opd' | 'category' | 'unit' | 'reporter' | 'forwardedAt' | 'lowConfidence' | 'urgent' | 'opdHasUnits' | 'reopenCount'> & {
  reopenCount: number | bigint;
  forwardedAt: Date | string | null;
  lowConfidence: boolean | number | bigint;
  urgent: boolean | number | bigint;
  opdHasUnits: number | bigint;
  opdName: string | null;
  categoryName: string | null;
  unitName: string | null;
  reporterName: string | null;
};

/**
 * The case just filed, as its alert needs it, in one query inside the filing transaction. Through the model API
 * (`include` of four relations and a unit count) this was six statements and ~3 ms of CPU per filing on
 * PostgreSQL (docs/load.md).
 */
export async function findCaseForAlert(tx: Tx, caseId: string): Promise<CaseForAlert> {
  const rows = await tx.$queryRaw<CaseForAlertRow[]>`
    SELECT c."id", c."trackingId", c."status", c."privacy", c."opdCode", c."unitCode", c."accusedOpdCode", c."accusedUnitCode",
      c."reopenCount", c."forwardedAt", c."description", c."locationText", c."lowConfidence", c."urgent", c."emergencyKind",
      o."name" AS "opdName", k."name" AS "categoryName", u."name" AS "unitName", r."name" AS "reporterName",
      CASE WHEN EXISTS (SELECT 1 FROM "Unit" x WHERE x."opdCode" = c."opdCode" AND x."active" = ${true}) THEN 1 ELSE 0 END AS "opdHasUnits"
    FROM "Case" c
      JOIN "Citizen" r ON r."id" = c."reporterId"
      LEFT JOIN "Opd" o ON o."code" = c."opdCode"
      LEFT JOIN "Category" k ON k."code" = c."categoryCode"
      LEFT JOIN "Unit" u ON u."code" = c."unitCode"
    WHERE c."id" = ${caseId}`;
  const row = rows[0];
  if (!row) throw new Error(`case ${caseId} not found`);
  const { opdName, categoryName, unitName, reporterName, ...c } = row;
  return {
    ...c,
    reopenCount: Number(c.reopenCount),
    // Raw reads give SQLite's booleans as 0/1 and its DateTimes as text.
    lowConfidence: Boolean(Number(c.lowConfidence)),
    urgent: Boolean(Number(c.urgent)),
    forwardedAt: c.forwardedAt === null ? null : new Date(c.forwardedAt),
    opdHasUnits: Number(c.opdHasUnits) === 1,
    opd: opdName === null ? null : { name: opdName },
    category: categoryName === null ? null : { name: categoryName },
    unit: unitName === null ? null : { name: unitName },
    reporter: { name: reporterName },
  };
}
