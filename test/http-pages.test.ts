import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import { buildHttpServer, startHttpServer, type RunningHttpServer } from '../bot/http/server.ts';
import { pickLanguage } from '../bot/http/page-texts.ts';
import { createPublicFixture, ANSWER, ANONIM_STREET, PHONE_IN_TEXT, REPORTER_NAME, UNIT, type PublicFixture } from './helpers/public-fixture.ts';

/**
 * The public pages: a page per case and the transparency dashboard. First over fastify.inject (status codes,
 * languages, the identical not-found answer), then in a real browser (Debian's chromium via playwright-core):
 * phone and desktop screenshots with the key text on screen, no horizontal scrolling on a phone, the lookup
 * form working with no script at all, and an axe-core accessibility scan.
 */

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const DPUPRPKP_NAME = 'Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman';

describe('public pages over HTTP', () => {
  let fx: PublicFixture;
  let server: FastifyInstance;
  const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    fx = await createPublicFixture();
    server = await buildHttpServer(fx.app);
  });
  afterAll(async () => {
    await server?.close();
    await fx?.app.cleanup();
  });

  it('shows a public case: status, OPD, deadlines, answer and timeline, nothing personal', async () => {
    const page = await get(`/lapor/${fx.answered}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const text of [fx.answered, 'Sudah dijawab', DPUPRPKP_NAME, ANSWER, 'Diteruskan ke OPD', 'Diverifikasi admin kota', 'Laporan diterima']) {
      expect(page.body, text).toContain(text);
    }
    expect(page.body).not.toContain('Budi Santoso');
    expect(page.body).not.toContain('<script');
    const anonim = await get(`/lapor/${fx.anonim}`);
    expect(anonim.statusCode).toBe(200);
    expect(anonim.body).toContain('Batas verifikasi dan penerusan');
    expect(anonim.body).toContain('[TELEPON]');
    for (const secret of [REPORTER_NAME, PHONE_IN_TEXT, 'wa:main', ANONIM_STREET]) expect(anonim.body).not.toContain(secret);
    expect(anonim.body).toContain('Sumbersari, Lowokwaru');
  });

  it('names the unit a case went to, with its OPD', async () => {
    const page = await get(`/lapor/${fx.unitCase}`);
    expect(page.statusCode).toBe(200);
    const dinkes = fx.app.profile.opds.find((o) => o.code === 'DINKES')!.name;
    expect(page.body).toContain(`${UNIT.name} (${dinkes})`);
  });

  it('answers an unknown id and a rahasia case with the same not-found page', async () => {
    const unknown = await get('/lapor/LPR-ZZZZZZ');
    const rahasia = await get(`/lapor/${fx.rahasia}`);
    const malformed = await get(`/lapor/${'x'.repeat(80)}`);
    expect(unknown.statusCode).toBe(404);
    expect(rahasia.statusCode).toBe(404);
    expect(rahasia.body).toBe(unknown.body);
    expect(malformed.body).toBe(unknown.body);
    expect(rahasia.body).not.toContain('Pungli');
    expect(rahasia.body).toContain('Laporan tidak ditemukan');
  });

  it('speaks English with ?lang=en or Accept-Language, Indonesian by default', async () => {
    expect((await get('/')).body).toContain('Laporan diterima');
    expect((await get('/?lang=en')).body).toContain('Reports received');
    const accept = await get('/', { 'accept-language': 'en-US,en;q=0.9,id;q=0.5' });
    expect(accept.body).toContain('Reports received');
    expect(accept.headers['content-language']).toBe('en');
    expect((await get(`/lapor/${fx.answered}?lang=en`)).body).toContain('Forwarded to the agency');
    expect(pickLanguage({}, 'fr-FR, id;q=0.8, en;q=0.9')).toBe('en');
    expect(pickLanguage({}, 'de')).toBe('id');
    expect(pickLanguage({ lang: 'id' }, 'en')).toBe('id');
  });

  it('shows this month and this year on the dashboard with the monthly report figures', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    const received = await fx.app.db.case.count();
    // Every fixture case was filed now, so this month and this year both hold all of them.
    expect(page.body.match(new RegExp(`<span class="label">Laporan diterima</span><span class="value">${received}</span>`, 'g'))).toHaveLength(2);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('DPUPRPKP');
    expect(page.body).toContain('Sampah');
    // By unit, and rahasia counted in its own row, as the footnote explains.
    expect(page.body).toContain('Per unit');
    expect(page.body).toContain(UNIT.name);
    expect(page.body).toContain('Laporan rahasia (tujuan tidak ditampilkan)');
    expect(page.body).toContain('laporan rahasia ikut dihitung dalam jumlah total');
  });

  it('redirects the lookup form to the case page', async () => {
    const lookup = await get(`/lapor?id=${fx.answered.toLowerCase()}&lang=en`);
    expect(lookup.statusCode).toBe(303);
    expect(lookup.headers.location).toBe(`/lapor/${fx.answered}?lang=en`);
  });
});

describe.skipIf(!hasChromium)('public pages in a real browser (chromium)', () => {
  let fx: PublicFixture;
  let running: RunningHttpServer;
  let context: import('playwright-core').BrowserContext;
  let axeSource: string;
  let userDataDir: string;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-shots-'));

  const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    axeSource = (await import('axe-core')).default.source;
    fx = await createPublicFixture();
    running = await startHttpServer(fx.app, { port: 0, host: '127.0.0.1' });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // Sent as Accept-Language: the pages answer in Indonesian, as to a browser in Malang.
      locale: 'id-ID',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await running?.close();
    await fx?.app.cleanup();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    // KEEP_SCREENSHOTS=1 keeps them for a look (the folder is printed).
    if (process.env.KEEP_SCREENSHOTS) process.stdout.write(`screenshots: ${shots}\n`);
    else fs.rmSync(shots, { recursive: true, force: true });
  });

  /** Opens a page at a viewport, screenshots it, and returns the page and its visible text. */
  async function open(url: string, viewport: keyof typeof VIEWPORTS) {
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORTS[viewport]);
    const response = await page.goto(`${running.url}${url}`);
    const file = path.join(shots, `${viewport}-${url.replace(/\W+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const png = PNG.sync.read(fs.readFileSync(file));
    expect(png.width).toBe(VIEWPORTS[viewport].width);
    const text = await page.locator('body').innerText();
    // On a phone nothing may stick out sideways (tables scroll inside their own box).
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow, `${url} scrolls sideways on ${viewport}`).toBeLessThanOrEqual(0);
    return { page, status: response?.status(), text };
  }

  async function axeViolations(page: import('playwright-core').Page): Promise<Array<{ id: string; impact: string; nodes: number }>> {
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  it.each(['phone', 'desktop'] as const)('shows the dashboard in Indonesian and English on a %s', async (viewport) => {
    const id = await open('/', viewport);
    expect(id.status).toBe(200);
    for (const text of ['Transparansi Pengaduan Kota Malang', 'Bulan ini', 'Tahun ini', 'Laporan diterima', 'Tingkat respons', 'Per OPD', 'Per kategori', 'Kepuasan pelapor']) {
      expect(id.text, text).toContain(text);
    }
    expect(await id.page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(4);
    expect(await axeViolations(id.page)).toEqual([]);
    await id.page.close();
    const en = await open('/?lang=en', viewport);
    for (const text of ['This month', 'This year', 'Reports received', 'Response rate', 'By agency (OPD)', 'By category']) expect(en.text, text).toContain(text);
    expect(await axeViolations(en.page)).toEqual([]);
    await en.page.close();
  }, 60_000);

  it.each(['phone', 'desktop'] as const)('shows a case page on a %s, its photo loaded, nothing personal', async (viewport) => {
    const answered = await open(`/lapor/${fx.answered}`, viewport);
    expect(answered.status).toBe(200);
    for (const text of [fx.answered, 'Sudah dijawab', DPUPRPKP_NAME, ANSWER, 'Perjalanan laporan']) expect(answered.text, text).toContain(text);
    expect(await axeViolations(answered.page)).toEqual([]);
    await answered.page.close();

    const anonim = await open(`/lapor/${fx.anonim}?lang=en`, viewport);
    expect(anonim.text).toContain('Verification and forwarding due');
    expect(anonim.text).not.toContain(REPORTER_NAME);
    expect(anonim.text).not.toContain(PHONE_IN_TEXT);
    const photoWidth = await anonim.page.locator('.photos img').first().evaluate((img) => {
      const image = img as unknown as { decode(): Promise<void>; naturalWidth: number };
      return image.decode().then(() => image.naturalWidth);
    });
    expect(photoWidth).toBe(64);
    expect(await axeViolations(anonim.page)).toEqual([]);
    await anonim.page.close();
  }, 60_000);

  it('gives the same not-found page for an unknown id and a rahasia case', async () => {
    const unknown = await open('/lapor/LPR-ZZZZZZ', 'phone');
    const rahasia = await open(`/lapor/${fx.rahasia}`, 'phone');
    expect(unknown.status).toBe(404);
    expect(rahasia.status).toBe(404);
    expect(rahasia.text).toBe(unknown.text);
    expect(rahasia.text).toContain('Laporan tidak ditemukan');
    expect(await axeViolations(rahasia.page)).toEqual([]);
    await unknown.page.close();
    await rahasia.page.close();
  }, 60_000);

  it('finds a case with the lookup form, with scripts forbidden by the page', async () => {
    const { page } = await open('/', 'phone');
    expect(await page.locator('script').count()).toBe(0);
    await page.getByLabel('Cek laporan dengan nomor laporan').fill(fx.answered.toLowerCase());
    await Promise.all([page.waitForURL(`**/lapor/${fx.answered}?lang=id`), page.getByRole('button', { name: 'Cek' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Laporan ${fx.answered}`);
    await page.close();
  }, 60_000);
});
