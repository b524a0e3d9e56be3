import type { Db } from './client.ts';
import type { Channel, IntakeDraft } from '../flows/types.ts';
import type { CaseStatus } from './enums.ts';
import { newId } from '../lib/ids.ts';
import { newTrackingId } from '../flows/tracking-id.ts';
import { ensureCitizen, type SenderInfo } from './citizens.ts';
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

/**
 * Files a case from a finished intake, idempotently: the intake key is unique, so filing the same draft twice
 * (a crash between filing and saving the conversation, or a redelivered message) returns the first case.
 */
/** The insert met an existing row (same intake key, or the rare tracking-id collision); see fileCase's catch. */
class CaseInsertConflict extends Error {}

async function findByIntakeKey(db: Db, intakeKey: string): Promise<{ id: string; trackingId: string } | undefined> {
  const rows = await db.$queryRaw<Array<{ id: string; trackingId: string }>>`
    SELECT "id", "trackingId" FROM "Case" WHERE "intakeKey" = ${intakeKey}`;
  return rows[0];
}

export async function fileCase(db: Db, request: FileCaseRequest, hooks: CaseFiledHook[] = []): Promise<FiledCase> {
  const existing = await findByIntakeKey(db, request.intakeKey);
  if (existing) return { ...existing, created: false };
  const { draft, now } = request;
  const c = draft.classification;
  for (let attempt = 1; ; attempt++) {
    const trackingId = newTrackingId();
    try {
      return await db.$transaction(async (tx) => {
        const reporterId = await ensureCitizen(tx, request.conversationKey, request.channel, request.sender, request.language);
        const id = newId();
        // Plain SQL for the two hot inserts: the model API spent ~2.5 ms per filing compiling them (docs/load.md).
        // Columns not named here keep their schema defaults; the statement is portable to PostgreSQL.
        const inserted = await tx.$executeRaw`
          INSERT INTO "Case" ("id", "trackingId", "intakeKey", "reportKind", "description", "categoryCode", "opdCode",
            "locationText", "latitude", "longitude", "kelurahan", "kecamatan", "placeCode", "privacy", "status", "channel",
            "reporterId", "conversationKey", "classifier", "classifierModel", "confidence", "classifierReason", "lowConfidence",
            "classifyLatencyMs", "tokensIn", "tokensOut", "classifyFallback", "reopenCount", "submittedAt", "createdAt", "updatedAt")
          VALUES (${id}, ${trackingId}, ${request.intakeKey}, ${c?.reportKind ?? 'pengaduan'}, ${draft.description ?? ''},
            ${c?.categoryCode ?? null}, ${c?.opdCode ?? null}, ${draft.locationText ?? null}, ${draft.latitude ?? null},
            ${draft.longitude ?? null}, ${draft.kelurahan ?? null}, ${draft.kecamatan ?? null}, ${draft.placeCode ?? null},
            ${draft.privacy ?? 'biasa'}, ${'submitted'}, ${request.channel}, ${reporterId}, ${request.conversationKey},
            ${c?.classifier ?? null}, ${c?.model ?? null}, ${c?.confidence ?? null}, ${c?.reason ?? null},
            ${c ? c.confidence < LOW_CONFIDENCE : true}, ${c ? Math.round(c.latencyMs) : null}, ${c?.tokensIn ?? null},
            ${c?.tokensOut ?? null}, ${c?.fallback ?? null}, 0, ${now}, ${now}, ${now})
          ON CONFLICT DO NOTHING`;
        if (inserted !== 1) throw new CaseInsertConflict();
        if (draft.photos.length) {
          await tx.attachment.createMany({
            data: draft.photos.map((p) => ({ id: newId(), caseId: id, kind: 'photo', path: p.path, mime: p.mime ?? null, size: p.size ?? null })),
          });
        }
        await tx.$executeRaw`
          INSERT INTO "CaseEvent" ("id", "caseId", "at", "actorType", "actorId", "action", "toStatus", "internal")
          VALUES (${newId()}, ${id}, ${now}, ${'citizen'}, ${reporterId}, ${'submitted'}, ${'submitted'}, ${false})`;
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
