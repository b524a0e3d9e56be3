import { Prisma } from './generated/prisma/client.ts';
import { sqliteDirect, type Db } from './client.ts';
import { toSqliteValue, type SqliteDirect } from './sqlite-direct.ts';
import type { Channel, IntakeDraft } from '../flows/types.ts';
import type { CaseStatus } from './enums.ts';
import { newId } from '../lib/ids.ts';
import { newTrackingId } from '../flows/tracking-id.ts';
import { ensureCitizen, ensureCitizenDirect, type SenderInfo } from './citizens.ts';
import { LOW_CONFIDENCE } from '../nlp/classifier.ts';

export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface FileCaseRequest {
  intakeKey: string;
  conversationKey: string;
  channel: Channel;
  sender: SenderInfo;
  language: string;
  draft: IntakeDraft;
  now: Date;
  /**
   * Where the case goes (domain/route-case): the OPD, its acting unit, and for an integrity complaint who is
   * accused. Absent: the classifier's OPD, no unit.
   */
  routing?: { opdCode: string | null; unitCode: string | null; accusedOpdCode: string | null; accusedUnitCode: string | null };
}

export interface FiledCase {
  id: string;
  trackingId: string;
  /** False when this intake had already been filed (a redelivered "ya"): nothing new was written. */
  created: boolean;
}

/** Hooks other modules add to the filing transaction (admin alerts, deadlines) without the flow knowing. */
export type CaseFiledHook = (tx: Tx, filed: { id: string; trackingId: string; status: CaseStatus; now: Date }) => Promise<void>;

const TRACKING_ID_ATTEMPTS = 5;

/** The insert met an existing row (same intake key, or the rare tracking-id collision); see fileCase's catch. */
class CaseInsertConflict extends Error {}

// Plain SQL for the filing's own inserts: through Prisma's model API they cost ~2.5 ms of CPU per filing in
// query compilation (docs/load.md). On SQLite they run as cached prepared statements on Prisma's connection,
// inside the Prisma transaction the hooks use; elsewhere as $executeRaw. Columns not named keep their schema
// defaults; the SQL is portable to PostgreSQL.

/** The Case row for a filing, column → value, in one place for both paths. */
function caseRow(request: FileCaseRequest, id: string, trackingId: string, reporterId: string): Record<string, unknown> {
  const { draft, now } = request;
  const c = draft.classification;
  return {
    id,
    trackingId,
    intakeKey: request.intakeKey,
    reportKind: c?.reportKind ?? 'pengaduan',
    description: draft.description ?? '',
    categoryCode: c?.categoryCode ?? null,
    opdCode: request.routing ? request.routing.opdCode : (c?.opdCode ?? null),
    unitCode: request.routing?.unitCode ?? null,
    accusedOpdCode: request.routing?.accusedOpdCode ?? null,
    accusedUnitCode: request.routing?.accusedUnitCode ?? null,
    locationText: draft.locationText ?? null,
    latitude: draft.latitude ?? null,
    longitude: draft.longitude ?? null,
    kelurahan: draft.kelurahan ?? null,
    kecamatan: draft.kecamatan ?? null,
    placeCode: draft.placeCode ?? null,
    privacy: draft.privacy ?? 'biasa',
    status: 'submitted',
    channel: request.channel,
    reporterId,
    conversationKey: request.conversationKey,
    classifier: c?.classifier ?? null,
    classifierModel: c?.model ?? null,
    confidence: c?.confidence ?? null,
    classifierReason: c?.reason ?? null,
    lowConfidence: c ? c.confidence < LOW_CONFIDENCE : true,
    classifyLatencyMs: c ? Math.round(c.latencyMs) : null,
    tokensIn: c?.tokensIn ?? null,
    tokensOut: c?.tokensOut ?? null,
    classifyFallback: c?.fallback ?? null,
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

async function findByIntakeKey(db: Db, intakeKey: string): Promise<{ id: string; trackingId: string } | undefined> {
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
 * Files a case from a finished intake, idempotently: the intake key is unique, so filing the same draft twice
 * (a crash between filing and saving the conversation, or a redelivered message) returns the first case.
 */
export async function fileCase(db: Db, request: FileCaseRequest, hooks: CaseFiledHook[] = []): Promise<FiledCase> {
  const existing = await findByIntakeKey(db, request.intakeKey);
  if (existing) return { ...existing, created: false };
  const { draft, now } = request;
  const direct = sqliteDirect(db);
  for (let attempt = 1; ; attempt++) {
    const trackingId = newTrackingId();
    try {
      return await db.$transaction(async (tx) => {
        const { conversationKey, channel, sender, language } = request;
        const reporterId = direct
          ? ensureCitizenDirect(direct, conversationKey, channel, sender, language)
          : await ensureCitizen(tx, conversationKey, channel, sender, language);
        const id = newId();
        if ((await insertRow(tx, direct, 'Case', caseRow(request, id, trackingId, reporterId))) !== 1) throw new CaseInsertConflict();
        if (draft.photos.length) {
          await tx.attachment.createMany({
            data: draft.photos.map((p) => ({ id: newId(), caseId: id, kind: 'photo', path: p.path, mime: p.mime ?? null, size: p.size ?? null })),
          });
        }
        await insertRow(tx, direct, 'CaseEvent', eventRow(id, reporterId, now));
        for (const hook of hooks) await hook(tx, { id, trackingId, status: 'submitted', now });
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
