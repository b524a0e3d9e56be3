import { afterEach, expect, it } from 'vitest';
import { findCaseForAlert } from '../db/file-case.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { fileFixtureCase } from './helpers/lifecycle.ts';

// The filing alert reads its case with one query (db/file-case.ts findCaseForAlert) instead of the model API's
// include and unit count: it must give what those gave, on SQLite and PostgreSQL alike.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

async function throughModelApi(t: TestApp, id: string) {
  const c = await t.db.case.findUniqueOrThrow({ where: { id }, include: { opd: true, category: true, reporter: true, unit: true } });
  const opdHasUnits = c.opdCode ? (await t.db.unit.count({ where: { opdCode: c.opdCode, active: true } })) > 0 : false;
  return {
    id: c.id,
    trackingId: c.trackingId,
    status: c.status,
    privacy: c.privacy,
    opdCode: c.opdCode,
    unitCode: c.unitCode,
    accusedOpdCode: c.accusedOpdCode,
    accusedUnitCode: c.accusedUnitCode,
    reopenCount: c.reopenCount,
    forwardedAt: c.forwardedAt,
    description: c.description,
    locationText: c.locationText,
    lowConfidence: c.lowConfidence,
    urgent: c.urgent,
    emergencyKind: c.emergencyKind,
    opd: c.opd ? { name: c.opd.name } : null,
    category: c.category ? { name: c.category.name } : null,
    unit: c.unit ? { name: c.unit.name } : null,
    reporter: { name: c.reporter.name },
    opdHasUnits,
  };
}

it('reads a filed case as the model API did: names, flags, dates, units', async () => {
  const t = (app = await createTestApp());
  const cases = [
    await fileFixtureCase(t, { name: 'Ani' }),
    await fileFixtureCase(t, {
      draft: {
        description: 'Antrean di puskesmas lama sekali, petugas tidak ramah',
        classification: { reportKind: 'pengaduan', categoryCode: 'KESEHATAN', opdCode: 'DINKES', confidence: 0.3, reason: 'test', classifier: 'test', latencyMs: 1 },
        kelurahan: 'Sumbersari',
        kecamatan: 'Lowokwaru',
      },
    }),
    await fileFixtureCase(t, { draft: { description: 'Kebakaran rumah di gang 3, apinya makin besar, tolong', classification: undefined } }),
  ];
  const views = [];
  for (const trackingId of cases) {
    const { id } = await t.db.case.findUniqueOrThrow({ where: { trackingId } });
    // Change what filing leaves unset, so the dates and counters are compared too.
    if (trackingId === cases[0]) await t.db.case.update({ where: { id }, data: { forwardedAt: new Date('2026-11-02T03:04:05.678Z'), reopenCount: 2 } });
    const expected = await throughModelApi(t, id);
    const found = await t.db.$transaction((tx) => findCaseForAlert(tx, id));
    expect(found).toEqual(expected);
    views.push(found);
  }
  // The fixtures cover what differs: a reporter with and without a name, an OPD with units, a low-confidence and
  // an urgent case, a forwarded one.
  expect(views.map((v) => v.reporter.name)).toContain('Ani');
  expect(views.map((v) => v.reporter.name)).toContain(null);
  expect(views.some((v) => v.opdHasUnits)).toBe(true);
  expect(views.some((v) => !v.opdHasUnits)).toBe(true);
  expect(views.some((v) => v.lowConfidence)).toBe(true);
  expect(views.some((v) => v.urgent)).toBe(true);
  expect(views[0].forwardedAt?.toISOString()).toBe('2026-11-02T03:04:05.678Z');
});
