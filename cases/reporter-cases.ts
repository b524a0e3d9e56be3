import type { Db } from '../db/client.ts';
import { citizenIdForKey } from '../db/citizens.ts';
import { findCaseWithHistory, listCasesOfReporter } from '../db/find-cases.ts';
import { reporterView, visibleTo, type CaseSummaryView, type CaseView } from '../domain/case-access.ts';

/**
 * A case as its own reporter sees it (domain/case-access.ts), or null. Another person's case and a missing
 * case give the same null, so tracking ids cannot be probed.
 */
export async function findCaseForReporter(db: Db, conversationKey: string, trackingId: string): Promise<CaseView | null> {
  const citizenId = await citizenIdForKey(db, conversationKey);
  if (!citizenId) return null;
  const found = await findCaseWithHistory(db, trackingId);
  if (!found || !visibleTo(found.reporterId === citizenId ? 'reporter' : 'other-citizen', found).exists) return null;
  return reporterView(found);
}

const MY_CASES_LIMIT = 10;

/** The reporter's most recent cases, newest first. */
export async function listCasesForReporter(db: Db, conversationKey: string): Promise<CaseSummaryView[]> {
  const citizenId = await citizenIdForKey(db, conversationKey);
  if (!citizenId) return [];
  const rows = await listCasesOfReporter(db, citizenId, MY_CASES_LIMIT);
  return rows.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() }));
}
