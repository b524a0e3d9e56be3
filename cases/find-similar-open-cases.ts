import type { Db } from '../db/client.ts';
import type { IntakeDraft } from '../domain/intake-draft.ts';
import { findDuplicateCandidates } from '../db/find-duplicate-candidates.ts';
import { findSimilarCases } from '../nlp/find-similar-cases.ts';
import { OPEN_STATUSES } from '../domain/case-status.ts';
import { similarCaseView, type SimilarCaseView } from '../domain/case-access.ts';

/** At most this many are offered: a phone screen, and the nearest are the likeliest. */
const SIMILAR_OFFER_LIMIT = 3;

/**
 * Open cases of the same problem as a draft at its summary: same OPD or category within 150 m, or in the same
 * kelurahan with a similar description, filed in the last 30 days (db/find-duplicate-candidates.ts,
 * nlp/find-similar-cases.ts). Returned as what another citizen may see of them (domain/case-access.ts). A merged
 * case is not offered (its main case is), and neither is a case the citizen reported themselves.
 */
export async function findSimilarOpenCases(db: Db, draft: IntakeDraft, options: { now: Date; conversationKey: string }): Promise<SimilarCaseView[]> {
  const c = draft.classification;
  if (!draft.description || !c) return [];
  const candidates = await findDuplicateCandidates(db, {
    openStatuses: OPEN_STATUSES,
    opdCode: c.opdCode,
    categoryCode: c.categoryCode,
    latitude: draft.latitude ?? null,
    longitude: draft.longitude ?? null,
    kelurahan: draft.kelurahan ?? null,
    now: options.now,
    excludeConversationKey: options.conversationKey,
  });
  if (candidates.length === 0) return [];
  const similar = findSimilarCases(
    { description: draft.description, categoryCode: c.categoryCode, opdCode: c.opdCode, latitude: draft.latitude, longitude: draft.longitude, kelurahan: draft.kelurahan, submittedAt: options.now },
    candidates,
    { limit: SIMILAR_OFFER_LIMIT },
  );
  return similar.slice(0, SIMILAR_OFFER_LIMIT).map((s) => similarCaseView(s.openCase));
}
