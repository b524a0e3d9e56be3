/**
 * Where and when two reports may be the same problem (issue 14); shared by the rule (nlp/find-similar-cases.ts)
 * and the query that fetches candidates (db/find-duplicate-candidates.ts).
 */

/** Two reports this close (metres) about the same kind of problem are very likely one problem. */
export const DUPLICATE_RADIUS_METERS = 150;
/** Only recent cases: after a month a new report of the same thing is news (it came back, or was never fixed). */
export const DUPLICATE_WINDOW_DAYS = 30;
