import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { insertCase, wib } from '../helpers/case-fixtures.ts';
import { exportCases, formatExportCsv, formatExportJson } from '../../reports/export-cases.ts';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

const PHONES = ['6281111111111', '6282222222222', '6283333333333'];
let app: TestApp;
let ids: Record<'biasa' | 'anonim' | 'rahasia' | 'before' | 'after' | 'lastMinute', { id: string; trackingId: string; conversationKey: string }>;

beforeAll(async () => {
  app = await createTestApp();
  const db = app.db;
  ids = {
    biasa: await insertCase(db, {
      reporterName: 'Budi Santoso',
      reporterPhone: PHONES[0],
      channel: 'wa',
      conversationKey: `wa:bot:${PHONES[0]}@s.whatsapp.net`,
      description: 'Lampu jalan mati di Jl. Soekarno Hatta',
      submittedAt: wib('2026-11-02T08:00'),
      withPhoto: true,
    }),
    anonim: await insertCase(db, {
      privacy: 'anonim',
      reporterName: 'Siti Rahmawati',
      reporterPhone: PHONES[1],
      channel: 'wa',
      conversationKey: `wa:bot:${PHONES[1]}@s.whatsapp.net`,
      description: 'Sampah menumpuk di pasar',
      submittedAt: wib('2026-11-10T08:00'),
    }),
    rahasia: await insertCase(db, {
      privacy: 'rahasia',
      reporterName: 'Agus Wijaya',
      reporterPhone: PHONES[2],
      description: 'Pungutan liar oleh petugas loket',
      locationText: 'Kantor Kelurahan Rahasia',
      submittedAt: wib('2026-11-15T08:00'),
      withPhoto: true,
    }),
    // 30 Nov 23:30 WIB is in range (still the 30th in Malang); 1 Dec 00:10 WIB and 31 Oct 23:59 WIB are not.
    lastMinute: await insertCase(db, { submittedAt: wib('2026-11-30T23:30') }),
    after: await insertCase(db, { submittedAt: wib('2026-12-01T00:10') }),
    before: await insertCase(db, { submittedAt: wib('2026-10-31T23:59') }),
  };
});
afterAll(async () => {
  await app?.cleanup();
});

describe('case export', () => {
  it('exports the cases submitted in the range (city dates, inclusive), oldest first', async () => {
    const rows = await exportCases(app.db, app.calendar, { from: '2026-11-01', to: '2026-11-30' });
    expect(rows.map((r) => r.trackingId)).toEqual([ids.biasa, ids.anonim, ids.rahasia, ids.lastMinute].map((c) => c.trackingId));
  });

  it('keeps content and reporter of an ordinary case, with its category, OPD and photos', async () => {
    const [biasa] = await exportCases(app.db, app.calendar, { from: '2026-11-02', to: '2026-11-02' });
    expect(biasa).toMatchObject({
      trackingId: ids.biasa.trackingId,
      privacy: 'biasa',
      description: 'Lampu jalan mati di Jl. Soekarno Hatta',
      reporterName: 'Budi Santoso',
      categoryName: 'Jalan dan jembatan',
      opdCode: 'DPUPRPKP',
      kelurahan: 'Sumbersari',
      submittedAt: '2026-11-02T08:00:00.000+07:00',
    });
    expect(biasa.attachments).toEqual([`photos/${ids.biasa.id}.jpg`]);
  });

  it('drops the reporter of an anonim case and the content of a rahasia case', async () => {
    const rows = await exportCases(app.db, app.calendar, { from: '2026-11-01', to: '2026-11-30' });
    const anonim = rows.find((r) => r.trackingId === ids.anonim.trackingId)!;
    expect(anonim.reporterName).toBeNull();
    expect(anonim.description).toBe('Sampah menumpuk di pasar');
    const rahasia = rows.find((r) => r.trackingId === ids.rahasia.trackingId)!;
    expect(rahasia).toMatchObject({
      description: null,
      locationText: null,
      kelurahan: null,
      kecamatan: null,
      latitude: null,
      longitude: null,
      attachments: [],
      status: 'submitted',
      opdCode: 'DPUPRPKP',
    });
    for (const text of [formatExportCsv(rows), formatExportJson(rows)]) {
      expect(text).not.toContain('Siti');
      expect(text).not.toContain('Pungutan');
      expect(text).not.toContain('Kelurahan Rahasia');
      expect(text).not.toContain(`photos/${ids.rahasia.id}`);
    }
  });

  it('never exports a phone number or a chat id', async () => {
    const rows = await exportCases(app.db, app.calendar, { from: '2026-01-01', to: '2026-12-31' });
    for (const text of [formatExportCsv(rows), formatExportJson(rows)]) {
      for (const phone of PHONES) expect(text).not.toContain(phone);
      expect(text).not.toMatch(/whatsapp\.net|wa:bot|tg:\d/);
    }
  });

  it('rejects a malformed or reversed range', async () => {
    await expect(exportCases(app.db, app.calendar, { from: '2026-11', to: '2026-11-30' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(exportCases(app.db, app.calendar, { from: '2026-12-01', to: '2026-11-30' })).rejects.toThrow(/after/);
  });
});

describe('npm run export', () => {
  const env = () => ({ ...process.env, DATABASE_URL: app.databaseUrl, DATA_DIR: app.dir, LOG_LEVEL: 'silent' });

  it('writes CSV to a file and JSON to stdout', async () => {
    const out = path.join(app.dir, 'export.csv');
    await run(TSX, ['scripts/export.ts', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv', '--out', out], { env: env() });
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^trackingId,submittedAt,reportKind,status,privacy,channel,/);
    expect(lines).toHaveLength(5);
    const rahasiaLine = lines.find((l) => l.startsWith(ids.rahasia.trackingId))!;
    expect(rahasiaLine).toContain('rahasia');
    expect(rahasiaLine).not.toContain('Pungutan');
    const json = await run(TSX, ['scripts/export.ts', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'], { env: env() });
    expect(JSON.parse(json.stdout)).toHaveLength(4);
  });

  it('explains its usage on bad arguments', async () => {
    const failed = await run(TSX, ['scripts/export.ts', '--from', '2026-11-01', '--format', 'xml'], { env: env() }).catch((err) => err);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('Usage: npm run export');
  });
});
