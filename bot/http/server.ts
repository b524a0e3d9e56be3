import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import { Gauge } from 'prom-client';
import type { App } from '../app.ts';
import { collectProcessMetrics, metricsRegistry } from '../../lib/metrics.ts';
import { createPublicData, type PublicData } from './public-data.ts';
import { formatOfUrl, registerOpen311, sendOpen311Error } from './open311.ts';
import { renderCaseNotFound, renderCasePage, renderDashboard, renderPageNotFound, type PageContext } from './pages.ts';
import { pickLanguage } from './page-texts.ts';

/**
 * The public HTTP side: Open311 GeoReport v2, a page per case, the transparency dashboard, /healthz and
 * /metrics. Bound to HTTP_HOST (loopback by default: a reverse proxy terminates TLS in front of it).
 */

/** Requests one client address may make per minute on any route: generous for people and dashboards, a brake on scrapers. */
export const REQUESTS_PER_MINUTE_PER_ADDRESS = 300;
/** Dashboard figures are computed over a month's and a year's cases; a short cache keeps a busy page cheap. */
const DASHBOARD_CACHE_MS = 60_000;
/** Tracking ids are short; anything longer is not one (and is not worth a database query). */
const TRACKING_ID_PATTERN = /^[A-Za-z0-9-]{1,40}$/;

export interface HttpServerOptions {
  /** Replaces the PublicData built from the app (tests). */
  data?: PublicData;
  clock?: () => Date;
}

/** Per-process gauges reading the database at scrape time; set once, pointed at the current app. */
let gaugeSource: App | undefined;
let gaugesRegistered = false;
function registerDbGauges(app: App): void {
  gaugeSource = app;
  if (gaugesRegistered) return;
  gaugesRegistered = true;
  new Gauge({
    name: 'lapor_cases',
    help: 'Cases by status',
    labelNames: ['status'] as const,
    registers: [metricsRegistry],
    async collect() {
      if (!gaugeSource) return;
      this.reset();
      const rows = await gaugeSource.db.case.groupBy({ by: ['status'], _count: { _all: true } });
      for (const row of rows) this.set({ status: row.status }, row._count._all);
    },
  });
  new Gauge({
    name: 'lapor_outbox_backlog',
    help: 'Notifications waiting in the outbox (pending or being sent)',
    registers: [metricsRegistry],
    async collect() {
      if (!gaugeSource) return;
      this.set(await gaugeSource.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } }));
    },
  });
}

export async function buildHttpServer(app: App, options: HttpServerOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const data = options.data ?? createPublicData(app);
  const fastify = Fastify({
    // Fastify's own request log would carry URLs with tracking ids at info level; errors still reach app.log.
    logger: false,
    trustProxy: app.config.HTTP_TRUST_PROXY,
  });
  registerDbGauges(app);
  collectProcessMetrics();

  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // No script at all on the public pages; styles are one inline block.
        'script-src': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // Only behind HTTPS: on a plain-HTTP address (a test, an intranet) it would turn photo links to https.
        'upgrade-insecure-requests': app.config.PUBLIC_BASE_URL?.startsWith('https:') ? [] : null,
      },
    },
  });
  await fastify.register(rateLimit, {
    global: true,
    max: REQUESTS_PER_MINUTE_PER_ADDRESS,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, limited: true, message: `too many requests; try again in ${context.after}` }),
  });
  await fastify.register(formbody);
  await fastify.register(swagger, {
    openapi: {
      info: { title: `Lapor bot: ${app.profile.name} public API`, version: '2', description: 'Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2)' },
    },
  });

  const baseUrl = (request: FastifyRequest) => app.config.PUBLIC_BASE_URL ?? `${request.protocol}://${request.host}`;
  const pageContext = (request: FastifyRequest, path: string): PageContext => ({
    lang: pickLanguage(request.query, request.headers['accept-language']),
    cityName: data.cityName,
    timezone: data.timezone,
    path,
  });

  fastify.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) app.log.error({ code: (error as { code?: string }).code, route: request.routeOptions.url }, 'HTTP request failed');
    const description = status >= 500 ? 'internal error' : (error as Error).message;
    if (request.url.startsWith('/open311/')) return sendOpen311Error(reply, formatOfUrl(request.url), status, description);
    return reply.code(status).type('text/plain; charset=utf-8').send(description);
  });
  fastify.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/open311/')) return sendOpen311Error(reply, formatOfUrl(request.url), 404, 'no such resource');
    const ctx = pageContext(request, '/');
    return reply.code(404).type('text/html; charset=utf-8').header('content-language', ctx.lang).send(renderPageNotFound(ctx));
  });

  fastify.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    await app.db.$queryRaw`SELECT 1`;
    return reply.type('application/json').send({ status: 'ok' });
  });
  fastify.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  fastify.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => reply.send(fastify.swagger()));

  registerOpen311(fastify, { data, baseUrl, maxDescriptionLength: app.config.MAX_MESSAGE_LENGTH, clock });

  let dashboardCache: { at: number; figures: Awaited<ReturnType<PublicData['publicFigures']>> } | undefined;
  fastify.get('/', { schema: { hide: true } }, async (request, reply) => {
    const now = clock();
    if (!dashboardCache || now.getTime() - dashboardCache.at > DASHBOARD_CACHE_MS || now.getTime() < dashboardCache.at) {
      dashboardCache = { at: now.getTime(), figures: await data.publicFigures(now) };
    }
    const ctx = pageContext(request, '/');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-language', ctx.lang)
      .header('vary', 'Accept-Language')
      .send(renderDashboard(ctx, dashboardCache.figures));
  });

  // The lookup form on the pages (works without JavaScript): /lapor?id=LPR-… → /lapor/LPR-…
  fastify.get('/lapor', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { id?: string; lang?: string };
    const lang = query.lang === 'en' ? 'en' : 'id';
    const id = (query.id ?? '').trim().toUpperCase();
    return reply.redirect(id ? `/lapor/${encodeURIComponent(id)}?lang=${lang}` : `/?lang=${lang}`, 303);
  });

  fastify.get('/lapor/:trackingId', { schema: { hide: true } }, async (request, reply) => {
    const raw = (request.params as { trackingId: string }).trackingId;
    const ctx = pageContext(request, `/lapor/${encodeURIComponent(raw)}`);
    const found = TRACKING_ID_PATTERN.test(raw) ? await data.getPublicCase(raw.toUpperCase()) : null;
    reply.type('text/html; charset=utf-8').header('content-language', ctx.lang).header('vary', 'Accept-Language');
    // Unknown and not-public (rahasia) answer identically: same status, same body.
    if (!found) return reply.code(404).send(renderCaseNotFound(ctx));
    return reply.header('cache-control', 'no-cache').send(renderCasePage(ctx, found));
  });

  fastify.get('/media/:file', { schema: { hide: true } }, async (request, reply) => {
    const match = /^([0-9a-f-]{36})\.jpg$/.exec((request.params as { file: string }).file);
    const photo = match ? await data.publicPhoto(match[1]) : null;
    if (!photo) {
      const ctx = pageContext(request, '/');
      return reply.code(404).type('text/html; charset=utf-8').send(renderPageNotFound(ctx));
    }
    return reply.type(photo.mime).header('cache-control', 'public, max-age=3600').send(photo.bytes);
  });

  return fastify;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on HTTP_HOST:HTTP_PORT (port 0 picks a free one, for tests). Cases filed through the
 * API have no chat to notify: their reporter follows the public page, so their outbox notices are settled here.
 */
export async function startHttpServer(app: App, options: HttpServerOptions & { port?: number; host?: string } = {}): Promise<RunningHttpServer> {
  const fastify = await buildHttpServer(app, options);
  app.outbox.register({ channel: 'api', send: async () => {} });
  const port = options.port ?? app.config.HTTP_PORT ?? 0;
  const host = options.host ?? app.config.HTTP_HOST;
  const address = await fastify.listen({ port, host });
  app.log.info({ address }, 'HTTP server listening');
  return { url: address, close: () => fastify.close() };
}
