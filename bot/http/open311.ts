import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
// Type augmentations: route schemas carry OpenAPI summaries/tags, and fastify.rateLimit() exists.
import type {} from '@fastify/swagger';
import type {} from '@fastify/rate-limit';
import type { PublicCase, PublicData } from './public-data.ts';
import { UnknownServiceError } from './public-data.ts';
import { isoWithOffset, parseOpen311Date } from './city-time.ts';
import { publicCaseUrl } from '../../lib/public-url.ts';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2: services, service definitions, service
 * requests (list, one, file). JSON and XML; errors are a list of {code, description} with the HTTP status in
 * `code`. Everything the API shows comes from PublicData, which applies the privacy rules.
 */

export const OPEN311_PREFIX = '/open311/v2';
/** Service Discovery (wiki.open311.org/Service_Discovery): required next to GeoReport v2, at a stable …/discovery.<format>. */
export const OPEN311_DISCOVERY = '/open311/discovery';
/**
 * The discovery file's changeset: a sortable stamp clients compare to refresh their cached service lists. Raise
 * it when the API or the city profile's categories change shape.
 */
export const OPEN311_CHANGESET = '2026-11-30 00:00';
const GEOREPORT_V2_SPEC = 'http://wiki.open311.org/GeoReport_v2';

/** The spec's default window when a client gives no dates, and the widest range a client may ask for. */
const MAX_RANGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The spec's suggested cap on one GET requests answer; clients page by narrowing the dates. */
export const MAX_REQUESTS_RETURNED = 1000;
/** Filings one API key may make per minute: a city system filing a backlog in bulk must pace itself. */
export const OPEN311_POSTS_PER_MINUTE_PER_KEY = 30;
/** Longest accepted lists in service_request_id / service_code filters (each item is one SQL parameter). */
const MAX_FILTER_ITEMS = 200;

type Format = 'json' | 'xml';

export class Open311Error extends Error {
  constructor(
    readonly statusCode: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const xml = new XMLBuilder({ format: true, suppressEmptyNode: false, ignoreAttributes: true });
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** XML has no null: an absent value is an empty element, as in the spec's examples. */
function forXml(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(forXml);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forXml(v)]));
  return value;
}

function sendList(reply: FastifyReply, format: Format, status: number, root: string, item: string, rows: object[]): FastifyReply {
  reply.code(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(rows));
  const body = rows.length === 0 ? { [root]: '' } : { [root]: { [item]: forXml(rows) } };
  return reply.type('text/xml; charset=utf-8').send(XML_DECLARATION + xml.build(body));
}

export function sendOpen311Error(reply: FastifyReply, format: Format, status: number, description: string): FastifyReply {
  return sendList(reply, format, status, 'errors', 'error', [{ code: status, description }]);
}

/** The format a URL asks for (…/requests.xml), JSON when it names none we know, for errors on bad paths. */
export function formatOfUrl(url: string): Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

function parseFormat(value: string): Format {
  if (value === 'json' || value === 'xml') return value;
  throw new Open311Error(400, 'format must be json or xml');
}

/** A query or form value as one trimmed string; repeated parameters are joined as the spec's comma lists. */
function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function list(value: string | undefined, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];
  if (items.length === 0) return undefined;
  if (items.length > MAX_FILTER_ITEMS) throw new Open311Error(400, `${name}: at most ${MAX_FILTER_ITEMS} values`);
  return items;
}

export interface Open311Options {
  data: PublicData;
  /** Absolute base of links (media_url): PUBLIC_BASE_URL, or the address the request came to. */
  baseUrl(request: FastifyRequest): string;
  maxDescriptionLength: number;
  clock(): Date;
}

export function registerOpen311(fastify: FastifyInstance, options: Open311Options): void {
  const { data } = options;
  const iso = (d: Date | null) => (d ? isoWithOffset(d, data.timezone) : null);

  /** A client naming another jurisdiction is asking the wrong server. */
  function checkJurisdiction(source: unknown): void {
    const jurisdiction = field(source, 'jurisdiction_id');
    if (jurisdiction && jurisdiction !== data.jurisdictionId) throw new Open311Error(404, `jurisdiction_id "${jurisdiction}" not found; this server serves "${data.jurisdictionId}"`);
  }

  function requestRow(c: PublicCase, base: string) {
    return {
      service_request_id: c.trackingId,
      status: c.open ? 'open' : 'closed',
      status_notes: c.statusNotes,
      service_name: c.serviceName,
      service_code: c.serviceCode,
      description: c.description,
      agency_responsible: c.agency,
      service_notice: null,
      requested_datetime: iso(c.requestedAt),
      updated_datetime: iso(c.updatedAt),
      expected_datetime: iso(c.expectedAt),
      address: c.address,
      address_id: null,
      zipcode: null,
      lat: c.latitude,
      long: c.longitude,
      media_url: c.photoIds.length ? `${base}/media/${c.photoIds[0]}.jpg` : null,
    };
  }

  /** Errors raised in a handler become Open311 error lists in the format the path asks for. */
  const handle =
    (fn: (request: FastifyRequest, reply: FastifyReply, format: Format) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const format = formatOfUrl(request.url);
      try {
        return await fn(request, reply, parseFormat((request.params as { format: string }).format));
      } catch (err) {
        if (err instanceof Open311Error) return sendOpen311Error(reply, format, err.statusCode, err.description);
        throw err;
      }
    };

  const perKeyLimit = fastify.createRateLimit({
    max: OPEN311_POSTS_PER_MINUTE_PER_KEY,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const key = field(request.body, 'api_key') ?? field(request.query, 'api_key') ?? '';
      return `open311-key:${createHash('sha256').update(key).digest('hex')}`;
    },
  });

  const docs = (summary: string) => ({ schema: { summary, tags: ['Open311 GeoReport v2'] } });

  fastify.get(`${OPEN311_DISCOVERY}.:format`, docs('Service discovery: where the GeoReport v2 endpoint is and what it speaks'), handle(async (request, reply, format) => {
    const base = options.baseUrl(request);
    const discovery = {
      changeset: OPEN311_CHANGESET,
      contact: `${data.cityName}: ${base}/`,
      key_service: `API keys for filing are issued by the city's admin instansi (${data.cityName}); reading needs no key.`,
      endpoints: [
        {
          specification: GEOREPORT_V2_SPEC,
          url: `${base}${OPEN311_PREFIX}`,
          changeset: OPEN311_CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    reply.code(200);
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(discovery));
    const asXml = { discovery: { ...discovery, endpoints: { endpoint: discovery.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } } };
    return reply.type('text/xml; charset=utf-8').send(XML_DECLARATION + xml.build(asXml));
  }));

  fastify.get(`${OPEN311_PREFIX}/services.:format`, docs('List the services (complaint categories)'), handle(async (request, reply, format) => {
    checkJurisdiction(request.query);
    const rows = data.services().map((s) => ({
      service_code: s.code,
      service_name: s.name,
      description: `${s.name} (${s.group})`,
      metadata: false,
      type: 'realtime',
      keywords: s.keywords.join(', '),
      group: s.group,
    }));
    return sendList(reply, format, 200, 'services', 'service', rows);
  }));

  fastify.get(`${OPEN311_PREFIX}/services/:service_code.:format`, docs('A service definition (no extra attributes)'), handle(async (request, reply, format) => {
    checkJurisdiction(request.query);
    const code = (request.params as { service_code: string }).service_code;
    if (!data.services().some((s) => s.code === code)) throw new Open311Error(404, `service_code "${code}" not found`);
    const definition = { service_code: code, attributes: [] };
    reply.code(200);
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(definition));
    return reply.type('text/xml; charset=utf-8').send(XML_DECLARATION + xml.build({ service_definition: { service_code: code, attributes: '' } }));
  }));

  fastify.get(`${OPEN311_PREFIX}/requests.:format`, docs('Search public service requests'), handle(async (request, reply, format) => {
    const q = request.query;
    checkJurisdiction(q);
    const base = options.baseUrl(request);
    const ids = list(field(q, 'service_request_id'), 'service_request_id');
    if (ids) {
      // The spec: service_request_id overrides every other argument.
      const rows = await data.listPublicCases({ trackingIds: ids, limit: MAX_REQUESTS_RETURNED });
      return sendList(reply, format, 200, 'service_requests', 'request', rows.map((c) => requestRow(c, base)));
    }
    const codes = list(field(q, 'service_code'), 'service_code');
    const known = new Set(data.services().map((s) => s.code));
    const unknown = codes?.filter((c) => !known.has(c)) ?? [];
    if (unknown.length) throw new Open311Error(400, `unknown service_code: ${unknown.join(', ')}`);
    const statuses = list(field(q, 'status'), 'status');
    if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma-separated)');
    const open = statuses?.length === 1 ? statuses[0] === 'open' : undefined;
    const { from, to } = dateRange(field(q, 'start_date'), field(q, 'end_date'), options.clock(), data.timezone);
    const rows = await data.listPublicCases({ serviceCodes: codes, from, to, open, limit: MAX_REQUESTS_RETURNED });
    return sendList(reply, format, 200, 'service_requests', 'request', rows.map((c) => requestRow(c, base)));
  }));

  fastify.get(`${OPEN311_PREFIX}/requests/:id.:format`, docs('One public service request'), handle(async (request, reply, format) => {
    checkJurisdiction(request.query);
    const id = (request.params as { id: string }).id;
    const found = await data.getPublicCase(id);
    // Unknown, rahasia and not-yet-verified all answer alike: the API shows public cases only.
    if (!found || found.visibility !== 'public') throw new Open311Error(404, `service_request_id "${id}" not found`);
    return sendList(reply, format, 200, 'service_requests', 'request', [requestRow(found.case, options.baseUrl(request))]);
  }));

  fastify.post(
    `${OPEN311_PREFIX}/requests.:format`,
    docs('File a service request (needs an api_key)'),
    handle(async (request, reply, format) => {
      const body = request.body;
      const apiKey = field(body, 'api_key') ?? field(request.query, 'api_key');
      // Per key (the per-address limit of every route applies as well); counted before the key is checked, so
      // guessing keys is limited too. Only the key's hash is held in the limiter's memory.
      const limit = await perKeyLimit(request);
      if (!limit.isAllowed && limit.isExceeded) throw new Open311Error(429, `too many requests for this api_key; try again in ${Math.ceil(limit.ttl / 1000)} s`);
      const keyName = apiKey ? await data.authenticateApiKey(apiKey) : undefined;
      if (!keyName) throw new Open311Error(403, apiKey ? 'api_key is not valid' : 'api_key was not provided');
      checkJurisdiction(body);
      const serviceCode = field(body, 'service_code');
      // The spec: "404 - service_code or jurisdiction_id was not found".
      if (serviceCode && !data.services().some((s) => s.code === serviceCode)) throw new Open311Error(404, `service_code "${serviceCode}" not found`);
      const lat = field(body, 'lat');
      const long = field(body, 'long');
      const address = field(body, 'address_string') ?? field(body, 'address_id');
      if ((lat === undefined) !== (long === undefined)) throw new Open311Error(400, 'lat and long must be given together');
      if (lat === undefined && !address) throw new Open311Error(400, 'a location is required: lat and long, or address_string');
      const latitude = lat === undefined ? undefined : Number(lat);
      const longitude = long === undefined ? undefined : Number(long);
      if (latitude !== undefined && !(Number.isFinite(latitude) && Math.abs(latitude) <= 90)) throw new Open311Error(400, 'lat must be a number between -90 and 90');
      if (longitude !== undefined && !(Number.isFinite(longitude) && Math.abs(longitude) <= 180)) throw new Open311Error(400, 'long must be a number between -180 and 180');
      const description = field(body, 'description');
      if (!serviceCode && !description) throw new Open311Error(400, 'description is required when no service_code is given (the report is classified from it)');
      if (description && description.length > options.maxDescriptionLength) throw new Open311Error(400, `description is longer than ${options.maxDescriptionLength} characters`);
      const reporterName = [field(body, 'first_name'), field(body, 'last_name')].filter(Boolean).join(' ') || undefined;
      try {
        const filed = await data.fileOpen311Request({
          apiKeyName: keyName,
          serviceCode,
          description,
          latitude,
          longitude,
          address,
          reporterName,
          now: options.clock(),
        });
        const page = publicCaseUrl(options.baseUrl(request), filed.trackingId);
        const notice = `Laporan diterima dan akan diverifikasi. Ikuti perkembangannya di ${page}`;
        return sendList(reply, format, 201, 'service_requests', 'request', [{ service_request_id: filed.trackingId, service_notice: notice, account_id: null }]);
      } catch (err) {
        if (err instanceof UnknownServiceError) throw new Open311Error(404, err.message);
        throw err;
      }
    }),
  );
}

/**
 * start_date / end_date as the spec has them: a window of at most 90 days on requested_datetime, the most
 * recent 90 days when neither is given, 90 days from the one given otherwise.
 */
function dateRange(start: string | undefined, end: string | undefined, now: Date, timezone: string): { from: Date; to: Date } {
  const from = start === undefined ? undefined : parseOpen311Date(start, timezone, 'start');
  const to = end === undefined ? undefined : parseOpen311Date(end, timezone, 'end');
  if (from === null) throw new Open311Error(400, 'start_date must be an ISO 8601 date or date-time (e.g. 2026-11-01 or 2026-11-01T00:00:00+07:00)');
  if (to === null) throw new Open311Error(400, 'end_date must be an ISO 8601 date or date-time (e.g. 2026-11-30 or 2026-11-30T23:59:59+07:00)');
  const span = MAX_RANGE_DAYS * DAY_MS;
  const range = from && to ? { from, to } : from ? { from, to: new Date(from.getTime() + span) } : to ? { from: new Date(to.getTime() - span), to } : { from: new Date(now.getTime() - span), to: now };
  if (range.from > range.to) throw new Open311Error(400, 'start_date is after end_date');
  if (range.to.getTime() - range.from.getTime() > span) throw new Open311Error(400, `start_date and end_date may not span more than ${MAX_RANGE_DAYS} days`);
  return range;
}
