import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildHttpServer, startHttpServer } from '../bot/http/server.ts';
import { OPEN311_POSTS_PER_MINUTE_PER_KEY } from '../bot/http/open311.ts';
import { createPublicFixture, METADATA_MARKER, PHONE_IN_TEXT, REPORTER_NAME, REPORTER_PHONE, ANSWER, ANONIM_STREET, UNIT, type PublicFixture } from './helpers/public-fixture.ts';

/**
 * The Open311 GeoReport v2 API against the specification (wiki.open311.org/GeoReport_v2): every answer in JSON
 * and XML, the same content in both, exact field lists, HTTP codes and error lists, and the privacy rules.
 */

const REQUEST_FIELDS = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible',
  'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode',
  'lat', 'long', 'media_url',
];
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/;

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['request', 'service', 'error'].includes(name) });

type Row = Record<string, unknown>;

/** An XML answer as the rows it holds, every value a string (XML has no types), absent values ''. */
function xmlRows(body: string, root: string, item: string): Row[] {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const doc = parser.parse(body) as Record<string, unknown>;
  expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual([root]);
  const container = doc[root];
  if (container === '' || container === undefined) return [];
  return ((container as Record<string, Row[]>)[item] ?? []) as Row[];
}

/** JSON rows as XML would carry them: strings, null as ''. */
const asXml = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])));

describe('Open311 GeoReport v2 API', () => {
  let fx: PublicFixture;
  let server: FastifyInstance;
  const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers });
  const post = (url: string, form: Record<string, string>) =>
    server.inject({ method: 'POST', url, payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  /** Calls a URL in both formats and returns the JSON rows after checking the XML says exactly the same. */
  async function both(url: (format: string) => string, status: number, root: string, item: string, send = get): Promise<Row[]> {
    const json = await send(url('json'));
    expect(json.statusCode, json.body).toBe(status);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const rows = JSON.parse(json.body) as Row[];
    expect(Array.isArray(rows)).toBe(true);
    const xml = await send(url('xml'));
    expect(xml.statusCode, xml.body).toBe(status);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xmlRows(xml.body, root, item)).toEqual(asXml(rows));
    return rows;
  }

  const errors = (url: (f: string) => string, status: number, send = get) => both(url, status, 'errors', 'error', send);
  const requests = (url: (f: string) => string, send = get) => both(url, 200, 'service_requests', 'request', send);

  beforeAll(async () => {
    fx = await createPublicFixture();
    server = await buildHttpServer(fx.app);
  });
  afterAll(async () => {
    await server?.close();
    await fx?.app.cleanup();
  });

  describe('service discovery', () => {
    it('says where the GeoReport v2 endpoint is, in JSON and XML alike', async () => {
      const json = await get('/open311/discovery.json');
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const discovery = JSON.parse(json.body);
      expect(Object.keys(discovery)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
      expect(discovery.changeset).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(discovery.endpoints).toEqual([
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: expect.stringMatching(/^http:\/\/localhost(:\d+)?\/open311\/v2$/),
          changeset: discovery.changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ]);
      const xml = await get('/open311/discovery.xml');
      expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
      const doc = new XMLParser({ parseTagValue: false, isArray: (name) => ['endpoint', 'format'].includes(name) }).parse(xml.body);
      expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual(['discovery']);
      expect(doc.discovery).toEqual({ ...discovery, endpoints: { endpoint: discovery.endpoints.map((e: Row) => ({ ...e, formats: { format: e.formats } })) } });
      // The URL it names answers as GeoReport v2.
      const services = await get(`${new URL(discovery.endpoints[0].url).pathname}/services.json`);
      expect(services.statusCode).toBe(200);
    });
  });

  describe('services', () => {
    it('lists the city profile categories as services', async () => {
      const rows = await both((f) => `/open311/v2/services.${f}`, 200, 'services', 'service');
      expect(rows.map((r) => r.service_code)).toEqual(fx.app.profile.categories.map((c) => c.code));
      const xmlOrder = xmlRows((await get('/open311/v2/services.xml')).body, 'services', 'service');
      for (const row of [...rows, ...xmlOrder]) expect(Object.keys(row)).toEqual(SERVICE_FIELDS);
      const jalan = rows.find((r) => r.service_code === 'JALAN')!;
      expect(jalan).toMatchObject({ metadata: false, type: 'realtime', group: fx.app.profile.opds.find((o) => o.code === 'DPUPRPKP')!.name });
    });

    it('gives a service definition, and 404 for an unknown service code', async () => {
      const json = await get('/open311/v2/services/JALAN.json');
      expect(json.statusCode).toBe(200);
      expect(JSON.parse(json.body)).toEqual({ service_code: 'JALAN', attributes: [] });
      const xml = await get('/open311/v2/services/JALAN.xml');
      expect(parser.parse(xml.body).service_definition).toEqual({ service_code: 'JALAN', attributes: '' });
      const missing = await errors((f) => `/open311/v2/services/TIDAK-ADA.${f}`, 404);
      expect(missing).toEqual([{ code: 404, description: expect.stringContaining('TIDAK-ADA') }]);
    });

    it('refuses another jurisdiction and an unknown format', async () => {
      expect(await errors((f) => `/open311/v2/services.${f}?jurisdiction_id=surabaya`, 404)).toHaveLength(1);
      expect((await get('/open311/v2/services.json?jurisdiction_id=malang')).statusCode).toBe(200);
      const csv = await get('/open311/v2/services.csv');
      expect(csv.statusCode).toBe(400);
      expect(JSON.parse(csv.body)).toEqual([{ code: 400, description: 'format must be json or xml' }]);
    });
  });

  describe('GET requests', () => {
    it('lists public cases only, with exactly the spec fields', async () => {
      const rows = await requests((f) => `/open311/v2/requests.${f}`);
      const ids = rows.map((r) => r.service_request_id);
      expect(new Set(ids)).toEqual(new Set([fx.answered, fx.anonim, fx.unitCase, fx.closed, fx.rejected]));
      const xmlOrder = xmlRows((await get('/open311/v2/requests.xml')).body, 'service_requests', 'request');
      for (const row of [...rows, ...xmlOrder]) expect(Object.keys(row)).toEqual(REQUEST_FIELDS);
      for (const row of rows) {
        expect(row.requested_datetime).toMatch(OFFSET_ISO);
        expect(row.updated_datetime).toMatch(OFFSET_ISO);
      }
      const answered = rows.find((r) => r.service_request_id === fx.answered)!;
      expect(answered).toMatchObject({
        status: 'open',
        status_notes: ANSWER,
        service_code: 'JALAN',
        agency_responsible: fx.app.profile.opds.find((o) => o.code === 'DPUPRPKP')!.name,
        expected_datetime: null,
        address: 'Jl. Sumbersari No. 10',
        media_url: null,
      });
      expect(rows.find((r) => r.service_request_id === fx.closed)).toMatchObject({ status: 'closed' });
      expect(rows.find((r) => r.service_request_id === fx.rejected)).toMatchObject({ status: 'closed', status_notes: 'Bukan pelayanan publik', agency_responsible: null });
      // Verified, not yet forwarded: the verification is done, the OPD's follow-up not yet due; the city holds it.
      const anonim = rows.find((r) => r.service_request_id === fx.anonim)!;
      expect(anonim.agency_responsible).toBeNull();
      expect(anonim.expected_datetime).toMatch(OFFSET_ISO);
      // Anonim: the place coarsened (kelurahan only, coordinates to 3 decimals), never the reported street.
      expect(anonim).toMatchObject({ address: 'Sumbersari, Lowokwaru', lat: -7.955, long: 112.614 });
      // A case an OPD passed to one of its units names the unit.
      expect(rows.find((r) => r.service_request_id === fx.unitCase)).toMatchObject({ agency_responsible: UNIT.name, service_code: 'KESEHATAN', status: 'open' });
    });

    it('filters by id (overriding the rest), service code, status and dates', async () => {
      const byId = await requests((f) => `/open311/v2/requests.${f}?service_request_id=${fx.rahasia},${fx.answered},${fx.submitted}&status=closed`);
      expect(byId.map((r) => r.service_request_id)).toEqual([fx.answered]);
      const sampah = await requests((f) => `/open311/v2/requests.${f}?service_code=SAMPAH`);
      expect(sampah.map((r) => r.service_request_id)).toEqual([fx.anonim]);
      const closed = await requests((f) => `/open311/v2/requests.${f}?status=closed`);
      expect(new Set(closed.map((r) => r.service_request_id))).toEqual(new Set([fx.closed, fx.rejected]));
      const openAndClosed = await requests((f) => `/open311/v2/requests.${f}?status=open,closed`);
      expect(openAndClosed).toHaveLength(5);

      const requested = new Date(String(byId[0].requested_datetime));
      const dayAfter = new Date(requested.getTime() + 24 * 3600_000).toISOString();
      expect(await requests((f) => `/open311/v2/requests.${f}?start_date=${encodeURIComponent(dayAfter)}`)).toEqual([]);
      const around = await requests(
        (f) => `/open311/v2/requests.${f}?start_date=${encodeURIComponent(new Date(requested.getTime() - 60_000).toISOString())}&end_date=${encodeURIComponent(dayAfter)}`,
      );
      expect(around.map((r) => r.service_request_id)).toContain(fx.answered);
    });

    it.each([
      ['start_date=yesterday', 'start_date'],
      ['end_date=2026-02-30', 'end_date'],
      ['start_date=2026-11-20&end_date=2026-11-01', 'after'],
      ['start_date=2026-01-01&end_date=2026-11-01', '90 days'],
      ['status=pending', 'status'],
      ['service_code=TIDAK-ADA', 'TIDAK-ADA'],
    ])('rejects bad input %s with 400', async (query, mentions) => {
      const rows = await errors((f) => `/open311/v2/requests.${f}?${query}`, 400);
      expect(rows).toEqual([{ code: 400, description: expect.stringContaining(mentions) }]);
    });

    it('gives one public request, and the same 404 for unknown, rahasia and unverified ids', async () => {
      const one = await requests((f) => `/open311/v2/requests/${fx.answered}.${f}`);
      expect(one).toHaveLength(1);
      expect(one[0].service_request_id).toBe(fx.answered);
      const bodies = [];
      for (const id of ['LPR-ZZZZZZ', fx.rahasia, fx.submitted]) {
        const rows = await errors((f) => `/open311/v2/requests/${id}.${f}`, 404);
        bodies.push(JSON.stringify(rows).replace(id, '<id>'));
      }
      expect(new Set(bodies).size).toBe(1);
    });

    it('never shows a reporter, a phone number or a rahasia case, in any field', async () => {
      for (const format of ['json', 'xml']) {
        const all = (await get(`/open311/v2/requests.${format}`)).body;
        for (const secret of [REPORTER_NAME, REPORTER_PHONE, PHONE_IN_TEXT, ANONIM_STREET, '-7.955312', 'Pungli di loket', fx.rahasia, fx.rahasiaWithPhoto, 'wa:main', 'Budi Santoso']) {
          expect(all, secret).not.toContain(secret);
        }
        expect(all).toContain('[TELEPON]');
      }
    });

    it('links the photo of a public case, served without its metadata', async () => {
      const [anonim] = await requests((f) => `/open311/v2/requests/${fx.anonim}.${f}`);
      expect(anonim.media_url).toMatch(/^http:\/\/localhost(:\d+)?\/media\/[0-9a-f-]{36}\.jpg$/);
      const photo = await get(new URL(String(anonim.media_url)).pathname);
      expect(photo.statusCode).toBe(200);
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(photo.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(photo.rawPayload.includes(Buffer.from(METADATA_MARKER))).toBe(false);
      const secret = await fx.app.db.attachment.findFirstOrThrow({ where: { case: { trackingId: fx.rahasiaWithPhoto } } });
      expect((await get(`/media/${secret.id}.jpg`)).statusCode).toBe(404);
    });
  });

  describe('POST requests', () => {
    const valid = (extra: Record<string, string> = {}) => ({
      api_key: fx.apiKey,
      service_code: 'JALAN',
      lat: '-7.9553',
      long: '112.6145',
      description: 'Jalan berlubang di depan pasar',
      first_name: 'Rina',
      last_name: 'Wulandari',
      email: 'rina@example.org',
      phone: '081211112222',
      ...extra,
    });
    const postBoth = (form: Record<string, string>) => (url: string) => post(url, form);

    it.each([
      ['no api_key', { api_key: '' }, 403, 'not provided'],
      ['a wrong api_key', { api_key: 'lpr_wrong' }, 403, 'not valid'],
      ['a revoked api_key', { api_key: '__revoked__' }, 403, 'not valid'],
      // The spec: "404 - service_code or jurisdiction_id was not found".
      ['an unknown service_code', { service_code: 'TIDAK-ADA' }, 404, 'TIDAK-ADA'],
      ['another jurisdiction', { jurisdiction_id: 'surabaya' }, 404, 'surabaya'],
      ['no location', { lat: '', long: '' }, 400, 'location'],
      ['lat without long', { long: '' }, 400, 'together'],
      ['a lat that is no number', { lat: 'utara' }, 400, 'lat'],
      ['neither service_code nor description', { service_code: '', description: '' }, 400, 'description'],
    ])('refuses %s', async (_name, change, status, mentions) => {
      const form = valid(change as Record<string, string>);
      if (form.api_key === '__revoked__') form.api_key = fx.revokedKey;
      const before = await fx.app.db.case.count();
      const rows = await errors((f) => `/open311/v2/requests.${f}`, status, postBoth(form));
      expect(rows).toEqual([{ code: status, description: expect.stringContaining(mentions) }]);
      expect(await fx.app.db.case.count()).toBe(before);
    });

    it('files a case with the given service code; its reporter follows the public page', async () => {
      const response = await post('/open311/v2/requests.json', valid());
      expect(response.statusCode, response.body).toBe(201);
      const [created] = JSON.parse(response.body) as Row[];
      expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice', 'account_id']);
      expect(created.account_id).toBeNull();
      const id = String(created.service_request_id);
      expect(created.service_notice).toContain(`/lapor/${id}`);
      const c = await fx.app.db.case.findUniqueOrThrow({ where: { trackingId: id }, include: { reporter: { include: { identities: true } } } });
      expect(c).toMatchObject({ channel: 'api', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', status: 'submitted', privacy: 'biasa', latitude: -7.9553, longitude: 112.6145 });
      expect(c.conversationKey).toMatch(/^api:kota-app:/);
      expect(c.reporter.name).toBe('Rina Wulandari');
      // E-mail and phone are not kept: no channel could use them, and the public must never see them.
      expect(JSON.stringify(c)).not.toContain('081211112222');
      expect(JSON.stringify(c)).not.toContain('rina@example.org');
      // The admin instansi is alerted as for any new case, and the deadline is set.
      expect(c.verifyDueAt).not.toBeNull();
      expect(await fx.app.db.outboxMessage.count({ where: { caseId: c.id, conversationKey: fx.admins.instansi.conversationKey } })).toBe(1);
      // Not public before verification: not in the API, a bare "received" page for the reporter.
      expect((await get(`/open311/v2/requests/${id}.json`)).statusCode).toBe(404);
      const page = await get(`/lapor/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('menunggu verifikasi');
      expect(page.body).not.toContain('Jalan berlubang di depan pasar');
    });

    it('classifies a request without a service code, answering in XML', async () => {
      const response = await post('/open311/v2/requests.xml', valid({ service_code: '', description: 'Sampah menumpuk dan bau di TPS dekat pasar', lat: '', long: '', address_string: 'Jl. Kawi 5' }));
      expect(response.statusCode, response.body).toBe(201);
      const [created] = xmlRows(response.body, 'service_requests', 'request');
      const c = await fx.app.db.case.findUniqueOrThrow({ where: { trackingId: String(created.service_request_id) } });
      expect(c).toMatchObject({ categoryCode: 'SAMPAH', locationText: 'Jl. Kawi 5', latitude: null });
      expect(c.classifier).not.toBe('open311');
    });

    it('takes a JSON body as well as a form', async () => {
      const response = await server.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: { api_key: fx.apiKey, service_code: 'DRAINASE', lat: -7.96, long: 112.62, description: 'Saluran air mampet, banjir tiap hujan' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const [created] = JSON.parse(response.body) as Row[];
      const c = await fx.app.db.case.findUniqueOrThrow({ where: { trackingId: String(created.service_request_id) } });
      expect(c).toMatchObject({ categoryCode: 'DRAINASE', latitude: -7.96, longitude: 112.62 });
    });

    it('limits filings per key, not per client', async () => {
      const wrong = valid({ api_key: 'lpr_guessing' });
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i <= OPEN311_POSTS_PER_MINUTE_PER_KEY; i++) last = await post('/open311/v2/requests.json', wrong);
      expect(last!.statusCode).toBe(429);
      expect(JSON.parse(last!.body)).toEqual([{ code: 429, description: expect.stringContaining('too many requests for this api_key') }]);
      // Another key from the same client is not held back.
      expect((await post('/open311/v2/requests.json', valid({ api_key: 'lpr_other' }))).statusCode).toBe(403);
    });
  });

  describe('service routes', () => {
    it('answers /healthz and /metrics with cases by status, outbox backlog, latency and LLM counters', async () => {
      await fx.app.say('tg:777001', 'halo');
      expect(JSON.parse((await get('/healthz')).body)).toEqual({ status: 'ok' });
      const metrics = await get('/metrics');
      expect(metrics.statusCode).toBe(200);
      const answered = await fx.app.db.case.count({ where: { status: 'answered' } });
      expect(metrics.body).toContain(`lapor_cases{status="answered"} ${answered}`);
      const backlog = await fx.app.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } });
      expect(metrics.body).toContain(`lapor_outbox_backlog ${backlog}`);
      expect(metrics.body).toMatch(/lapor_message_duration_seconds_count\{channel="tg"\} [1-9]/);
      expect(metrics.body).toContain('# TYPE lapor_llm_calls_total counter');
      expect(metrics.body).toContain('# TYPE lapor_llm_fallbacks_total counter');
      expect(metrics.body).toContain('lapor_process_resident_memory_bytes');
    });

    it('sends security headers and an OpenAPI document', async () => {
      const page = await get('/');
      expect(page.headers['content-security-policy']).toContain("script-src 'none'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['x-ratelimit-limit']).toBeDefined();
      const openapi = JSON.parse((await get('/openapi.json')).body);
      expect(Object.keys(openapi.paths)).toContain('/open311/v2/requests.{format}');
    });

    it('listens on a real port on 127.0.0.1', async () => {
      const running = await startHttpServer(fx.app, { port: 0, host: '127.0.0.1' });
      try {
        expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const response = await fetch(`${running.url}/open311/v2/requests/${fx.answered}.json`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as Row[])[0].service_request_id).toBe(fx.answered);
      } finally {
        await running.close();
      }
    });
  });
});
