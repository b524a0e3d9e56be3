import type { App } from '../app.ts';
import type { Channel } from '../channel.ts';
import { buildHttpServer, type HttpServerOptions } from './server.ts';

/**
 * The HTTP server (Open311 API, public pages, dashboard, /healthz, /metrics) as a channel: cases arrive through it
 * too, so it starts and stops with the others and counts as "a channel is configured". Its reporters follow their
 * case on the public page, so its outbox sender takes their notifications and delivers nothing.
 */
export function createHttpChannel(app: App, options: HttpServerOptions & { port?: number; host?: string } = {}): Channel & { url(): string | undefined } {
  let close: (() => Promise<void>) | undefined;
  let url: string | undefined;
  return {
    name: 'api',
    sender: { channel: 'api', claims: { keyPrefix: 'api:' }, send: async () => {} },
    // An HTTP server ends only when stopped.
    ended: new Promise<void>(() => {}),
    async start() {
      const fastify = await buildHttpServer(app, options);
      url = await fastify.listen({ port: options.port ?? app.config.HTTP_PORT ?? 0, host: options.host ?? app.config.HTTP_HOST });
      close = () => fastify.close();
      app.log.info({ address: url }, 'HTTP server listening');
    },
    async stop() {
      await close?.();
    },
    url: () => url,
  };
}
