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
export async function fileCase(db: Db, request: FileCaseRequest, hooks: CaseFiledHook[] = []): Promise<FiledCase> {
  const existing = await db.case.findUnique({ where: { intakeKey: request.intakeKey }, select: { id: true, trackingId: true } });
  if (existing) return { ...existing, created: false };
  const { draft, now } = request;
  const c = draft.classification;
  for (let attempt = 1; ; attempt++) {
    const trackingId = newTrackingId();
    try {
      return await db.$transaction(async (tx) => {
        const reporterId = await ensureCitizen(tx, request.conversationKey, request.channel, request.sender, request.language);
        const id = newId();
        await tx.case.create({
          data: {
            id,
            trackingId,
            intakeKey: request.intakeKey,
            reportKind: c?.reportKind ?? 'pengaduan',
            description: draft.description ?? '',
            categoryCode: c?.categoryCode ?? null,
            opdCode: c?.opdCode ?? null,
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
            submittedAt: now,
          },
        });
        if (draft.photos.length) {
          await tx.attachment.createMany({
            data: draft.photos.map((p) => ({ id: newId(), caseId: id, kind: 'photo', path: p.path, mime: p.mime ?? null, size: p.size ?? null })),
          });
        }
        await tx.caseEvent.create({
          data: { id: newId(), caseId: id, at: now, actorType: 'citizen', actorId: reporterId, action: 'submitted', toStatus: 'submitted' },
        });
        for (const hook of hooks) await hook(tx, { id, trackingId, status: 'submitted', now });
        return { id, trackingId, created: true };
      });
    } catch (err) {
      const target = String((err as { meta?: { target?: unknown } }).meta?.target ?? (err as Error).message);
      // A tracking-id collision is astronomically rare; retry with a fresh id. An intake-key clash means a
      // concurrent filing of the same draft won: return that case.
      if ((err as { code?: string }).code === 'P2002' && target.includes('intakeKey')) {
        const winner = await db.case.findUnique({ where: { intakeKey: request.intakeKey }, select: { id: true, trackingId: true } });
        if (winner) return { ...winner, created: false };
      }
      if ((err as { code?: string }).code === 'P2002' && attempt < TRACKING_ID_ATTEMPTS) continue;
      throw err;
    }
  }
}
