import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { insertCase, wib } from './helpers/case-fixtures.ts';
import { createPublicData } from '../bot/http/public-data.ts';
import { PUBLIC_RAHASIA_GROUP } from '../domain/case-access.ts';
import { computeMonthlyReport } from '../reports/monthly-report.ts';
import { addApiKey, authenticateApiKey, hashApiKey, listApiKeys, revokeApiKey, ApiKeyError } from '../db/api-keys.ts';
import { isoWithOffset, parseOpen311Date } from '../bot/http/city-time.ts';
import { testConfig } from './helpers/test-app.ts';

describe('public data', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it('gives the month with the monthly report\'s totals, and the whole year; rahasia counted in one row of its own', async () => {
    app = await createTestApp();
    const now = wib('2026-11-20T10:00');
    await insertCase(app.db, { submittedAt: wib('2026-01-15T09:00'), firstResponseAt: wib('2026-01-16T09:00'), verifiedAt: wib('2026-01-16T09:00'), status: 'verified' });
    await insertCase(app.db, { submittedAt: wib('2026-11-16T09:00'), categoryCode: 'SAMPAH', opdCode: 'DLH', rating: 4, status: 'closed' });
    const rahasia = await insertCase(app.db, { submittedAt: wib('2026-11-17T09:00'), privacy: 'rahasia', categoryCode: 'KESEHATAN', opdCode: 'DINKES' });
    await app.db.case.update({ where: { id: rahasia.id }, data: { unitCode: app.profile.units.find((u) => u.opdCode === 'DINKES')!.code } });
    const toUnit = await insertCase(app.db, { submittedAt: wib('2026-11-18T09:00'), categoryCode: 'KESEHATAN', opdCode: 'DINKES' });
    const unit = app.profile.units.find((u) => u.opdCode === 'DINKES')!;
    await app.db.case.update({ where: { id: toUnit.id }, data: { unitCode: unit.code } });
    await insertCase(app.db, { submittedAt: wib('2025-12-31T09:00') });
    const figures = await createPublicData(app).publicFigures(now);
    const monthly = await computeMonthlyReport(app.db, app.calendar, { month: '2026-11', now });
    // The totals are the monthly report's: rahasia cases count, as SP4N-LAPOR! counts them (a number, no content).
    expect(figures.month.period).toBe('2026-11');
    expect(figures.month.total).toEqual(monthly.total);
    expect(figures.month.total.received).toBe(3);
    // …but in the breakdowns a rahasia case sits in its own row, never under its OPD, unit or category.
    const rows = (groups: { key: string; received: number }[]) => Object.fromEntries(groups.map((g) => [g.key, g.received]));
    expect(rows(figures.month.byOpd)).toEqual({ DLH: 1, DINKES: 1, [PUBLIC_RAHASIA_GROUP]: 1 });
    expect(rows(figures.month.byCategory)).toEqual({ SAMPAH: 1, KESEHATAN: 1, [PUBLIC_RAHASIA_GROUP]: 1 });
    expect(rows(figures.month.byUnit)).toEqual({ [unit.code]: 1, [PUBLIC_RAHASIA_GROUP]: 1 });
    expect(figures.month.byUnit.find((g) => g.key === unit.code)?.name).toBe(unit.name);
    // A group with no rahasia case in it is the monthly report's; DINKES there also counts the rahasia one.
    expect(figures.month.byOpd.find((g) => g.key === 'DLH')).toEqual(monthly.byOpd.find((g) => g.key === 'DLH'));
    expect(monthly.byOpd.find((g) => g.key === 'DINKES')?.received).toBe(2);
    expect(figures.year.period).toBe('2026');
    expect(figures.year.total.received).toBe(4);
    expect(figures.year.total.responded).toBe(1);
    expect(rows(figures.year.byOpd)).toEqual({ DPUPRPKP: 1, DLH: 1, DINKES: 1, [PUBLIC_RAHASIA_GROUP]: 1 });
    expect(figures.year.byCategory.find((g) => g.key === 'SAMPAH')?.ratingAvg).toBe(4);
  });
});

describe('API keys', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it('stores only a hash, authenticates active keys, and revokes', async () => {
    app = await createTestApp();
    const { key } = await addApiKey(app.db, 'kota-app');
    const row = await app.db.apiKey.findUniqueOrThrow({ where: { name: 'kota-app' } });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
    expect(await authenticateApiKey(app.db, key)).toBe('kota-app');
    expect(await authenticateApiKey(app.db, `${key}x`)).toBeUndefined();
    expect((await listApiKeys(app.db))[0]).toMatchObject({ name: 'kota-app', prefix: key.slice(0, 8), revokedAt: null, lastUsedAt: expect.any(Date) });
    await expect(addApiKey(app.db, 'kota-app')).rejects.toMatchObject({ code: 'API_KEY_NAME_TAKEN' });
    await expect(addApiKey(app.db, 'Bad Name')).rejects.toBeInstanceOf(ApiKeyError);
    await revokeApiKey(app.db, 'kota-app');
    expect(await authenticateApiKey(app.db, key)).toBeUndefined();
    await expect(revokeApiKey(app.db, 'kota-app')).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND' });
  });
});

describe('city time and settings', () => {
  it('writes instants with the city offset and reads Open311 dates', () => {
    expect(isoWithOffset(new Date('2026-11-20T03:00:00.123Z'), 'Asia/Jakarta')).toBe('2026-11-20T10:00:00+07:00');
    expect(isoWithOffset(new Date('2026-11-20T03:00:00Z'), 'Asia/Jayapura')).toBe('2026-11-20T12:00:00+09:00');
    expect(isoWithOffset(new Date('2026-11-20T03:00:00Z'), 'UTC')).toBe('2026-11-20T03:00:00Z');
    expect(parseOpen311Date('2026-11-20', 'Asia/Jakarta', 'start')?.toISOString()).toBe('2026-11-19T17:00:00.000Z');
    expect(parseOpen311Date('2026-11-20', 'Asia/Jakarta', 'end')?.toISOString()).toBe('2026-11-20T16:59:59.999Z');
    expect(parseOpen311Date('2026-11-20T10:00', 'Asia/Jakarta', 'start')?.toISOString()).toBe('2026-11-20T03:00:00.000Z');
    expect(parseOpen311Date('2026-11-20T10:00:00Z', 'Asia/Jakarta', 'start')?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(parseOpen311Date('2026-11-20T10:00:00-05:00', 'Asia/Jakarta', 'start')?.toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(parseOpen311Date('2026-11-20T10:00+07:00', 'Asia/Jakarta', 'start')?.toISOString()).toBe('2026-11-20T03:00:00.000Z');
    for (const bad of ['2026-13-01', '2026-02-30', '20-11-2026', 'kemarin', '2026-11-20T25:00']) expect(parseOpen311Date(bad, 'Asia/Jakarta', 'start'), bad).toBeNull();
  });

  it('binds to loopback unless told otherwise, and needs a valid public address', () => {
    const defaults = testConfig();
    expect(defaults.HTTP_PORT).toBeUndefined();
    expect(defaults.HTTP_HOST).toBe('127.0.0.1');
    expect(testConfig({ HTTP_PORT: '8080', PUBLIC_BASE_URL: 'https://lapor.example.go.id/' }).PUBLIC_BASE_URL).toBe('https://lapor.example.go.id');
    expect(() => testConfig({ HTTP_PORT: '70000' })).toThrow();
    expect(() => testConfig({ PUBLIC_BASE_URL: 'lapor' })).toThrow();
  });
});

describe('metrics from the classifier', () => {
  it('counts LLM calls by outcome and fallbacks by reason', async () => {
    const { FallbackClassifier } = await import('../nlp/fallback-classifier.ts');
    const { LlmClassificationError } = await import('../nlp/llm-classifier.ts');
    const { OfflineClassifier } = await import('../nlp/offline-classifier.ts');
    const { loadCityProfile } = await import('../lib/city-profile.ts');
    const { llmCalls, llmFallbacks } = await import('../lib/metrics.ts');
    const profile = loadCityProfile('malang');
    const offline = new OfflineClassifier(profile);
    let fail = true;
    // A stand-in for the LLM classifier: fails once with a timeout, then answers as the offline one would.
    const primary = {
      model: 'fake-model',
      classify: async (input: { text: string }) => {
        if (fail) throw new LlmClassificationError('timeout', 'too slow');
        return offline.classifySync(input);
      },
    } as unknown as ConstructorParameters<typeof FallbackClassifier>[0];
    const value = async (metric: typeof llmCalls | typeof llmFallbacks, label: Record<string, string>) =>
      (await metric.get()).values.find((v) => Object.entries(label).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))?.value ?? 0;
    const before = { ok: await value(llmCalls, { outcome: 'ok' }), fallback: await value(llmCalls, { outcome: 'fallback' }), timeout: await value(llmFallbacks, { reason: 'timeout' }) };
    const classifier = new FallbackClassifier(primary, offline);
    await classifier.classify({ text: 'Jalan berlubang di depan pasar' });
    fail = false;
    await classifier.classify({ text: 'Jalan berlubang di depan pasar' });
    expect(await value(llmCalls, { outcome: 'ok' })).toBe(before.ok + 1);
    expect(await value(llmCalls, { outcome: 'fallback' })).toBe(before.fallback + 1);
    expect(await value(llmFallbacks, { reason: 'timeout' })).toBe(before.timeout + 1);
  });
});
