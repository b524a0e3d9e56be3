import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { resolveDatabaseUrl } from '../lib/database-url.ts';
import type { LabelledRow } from '../nlp/training-data.ts';

/** Cases whose OPD an admin has confirmed (verified, forwarded, answered or closed) are trusted labels. */
export const VERIFIED_STATUSES = ['verified', 'forwarded', 'answered', 'closed'] as const;

/** Verified cases as training rows: the description with the OPD the admin settled on. */
export async function readVerifiedCases(databaseUrl: string | undefined): Promise<LabelledRow[]> {
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: resolveDatabaseUrl(databaseUrl) }) });
  try {
    const cases = await prisma.case.findMany({
      where: { status: { in: [...VERIFIED_STATUSES] }, opdCode: { not: null } },
      select: { description: true, opdCode: true },
    });
    return cases
      .filter((c) => c.description.trim() !== '' && c.opdCode)
      .map((c) => ({ text: c.description, label: c.opdCode as string }));
  } finally {
    await prisma.$disconnect();
  }
}
