import type { Db } from './client.ts';

/** A case description with the OPD an admin settled on: one training row for the offline classifier. */
export interface VerifiedCaseRow {
  text: string;
  label: string;
}

/**
 * Cases whose OPD an admin has confirmed, as training rows. The caller names the statuses that count as
 * confirmed (domain/case-status.ts OPD_CONFIRMED) and opens the database (db/client.ts openDatabase).
 */
export async function readVerifiedCases(db: Db, statuses: readonly string[]): Promise<VerifiedCaseRow[]> {
  const cases = await db.case.findMany({
    where: { status: { in: [...statuses] }, opdCode: { not: null } },
    select: { description: true, opdCode: true },
  });
  return cases.filter((c) => c.description.trim() !== '' && c.opdCode).map((c) => ({ text: c.description, label: c.opdCode as string }));
}
