import type { Db } from './client.ts';

/** The month's cases as the report reads them: dates, status, channel, OPD, category; no content, no reporter. */
export async function findReportCases(
  db: Db,
  filter: { from: Date; to: Date; heldBy?: { opdCode: string; unitCode?: string; statuses: readonly string[] }; notAccusing?: { opdCode: string; unitCode?: string } },
) {
  const held = filter.heldBy
    ? { opdCode: filter.heldBy.opdCode, forwardedAt: { not: null }, status: { in: [...filter.heldBy.statuses] }, ...(filter.heldBy.unitCode ? { unitCode: filter.heldBy.unitCode } : {}) }
    : {};
  const accused = filter.notAccusing
    ? [
        { OR: [{ accusedOpdCode: null }, { accusedOpdCode: { not: filter.notAccusing.opdCode } }] },
        ...(filter.notAccusing.unitCode ? [{ OR: [{ accusedUnitCode: null }, { accusedUnitCode: { not: filter.notAccusing.unitCode } }] }] : []),
      ]
    : [];
  return db.case.findMany({
    where: { submittedAt: { gte: filter.from, lt: filter.to }, ...held, ...(accused.length ? { AND: accused } : {}) },
    select: {
      status: true,
      channel: true,
      opdCode: true,
      unitCode: true,
      opdRespondedAt: true,
      categoryCode: true,
      submittedAt: true,
      verifiedAt: true,
      forwardedAt: true,
      firstResponseAt: true,
      answeredAt: true,
      rating: true,
      resolved: true,
      urgent: true,
      emergencyKind: true,
      mergedIntoId: true,
      _count: { select: { supporters: true } },
    },
  }).then((rows) => rows.map(({ _count, ...c }) => ({ ...c, supporterCount: _count.supporters })));
}

/** Names of every OPD and category, by code. */
export async function findReportNames(db: Db): Promise<{ opds: Map<string, string>; categories: Map<string, string>; units: Map<string, string> }> {
  const [opds, categories, units] = await Promise.all([
    db.opd.findMany({ select: { code: true, name: true } }),
    db.category.findMany({ select: { code: true, name: true } }),
    db.unit.findMany({ select: { code: true, name: true } }),
  ]);
  return {
    opds: new Map(opds.map((o) => [o.code, o.name])),
    categories: new Map(categories.map((c) => [c.code, c.name])),
    units: new Map(units.map((u) => [u.code, u.name])),
  };
}
