import os from 'node:os';
import { createApp, type App } from './app.ts';
import type { Channel } from './channel.ts';
import { createTerminalChannel } from './terminal/terminal-channel.ts';
import { createTelegramChannel } from './telegram/telegram-channel.ts';
import { startChannels } from './start-channels.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { acquireInstanceLock, BotAlreadyRunningError } from '../db/instance-lock.ts';
import { databaseInfo } from '../db/client.ts';
import { leasedChannel } from './leased-channel.ts';
import { createScheduler } from './scheduler.ts';
import { createHttpChannel } from './http/http-channel.ts';

/**
 * The channels the configuration asks for; the terminal when none is, so a fresh clone does something useful.
 * On PostgreSQL, where several bot processes may share the database, the roles only one process may have run
 * under a lease (bot/leased-channel.ts): the WhatsApp socket of an account, and Telegram long polling. Telegram in
 * webhook mode and the HTTP server run in every process (behind a load balancer).
 */
async function configuredChannels(app: App): Promise<Channel[]> {
  const channels: Channel[] = [];
  const shared = databaseInfo(app.db).provider === 'postgresql';
  // Open311 API, public pages and dashboard (HTTP_PORT): cases arrive through it too, so it counts as a channel.
  if (app.config.HTTP_PORT) channels.push(createHttpChannel(app));
  if (app.config.TELEGRAM_BOT_TOKEN) {
    const polling = !app.config.TELEGRAM_WEBHOOK_URL;
    channels.push(
      shared && polling
        ? leasedChannel(app, { name: 'tg', lease: 'telegram-polling', create: () => createTelegramChannel(app) })
        : createTelegramChannel(app),
    );
  }
  if (app.config.WHATSAPP_ENABLED) {
    // Loaded only when enabled: Baileys adds about a second to start-up.
    const { createWhatsAppChannel } = await import('./whatsapp/create-whatsapp-channel.ts');
    channels.push(
      shared
        ? leasedChannel(app, {
            name: 'wa',
            lease: `whatsapp:${app.config.WHATSAPP_ACCOUNT}`,
            claims: { keyPrefix: `wa:${app.config.WHATSAPP_ACCOUNT}:` },
            create: () => createWhatsAppChannel(app),
          })
        : await createWhatsAppChannel(app),
    );
  }
  if (channels.length === 0) {
    app.log.info('no channel configured (TELEGRAM_BOT_TOKEN, WHATSAPP_ENABLED, HTTP_PORT); starting the terminal channel');
    channels.push(createTerminalChannel(app, { identity: process.env.CHAT_AS ?? os.userInfo().username ?? 'warga' }));
  }
  return channels;
}

/**
 * `npm start`: applies migrations, seeds the city profile, starts every configured channel (or the terminal),
 * the outbox dispatcher and the daily job. Exits 0 when the terminal's input ends or on SIGINT/SIGTERM, and 1 when
 * the last running channel gives up (Telegram refused the token or another poller took over, WhatsApp stopped
 * reconnecting), so a supervisor restarts it or alerts. On SQLite a second bot process on the same file is refused
 * (exit 1, db/instance-lock.ts); on PostgreSQL any number may run (docs/deploy.md).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Before anything touches the database: a refused second process must not migrate or seed it either.
  const instance = acquireInstanceLock(config.DATABASE_URL);
  const app = await createApp({ config });
  const running = await startChannels(app, await configuredChannels(app));
  app.outbox.start();
  const scheduler = createScheduler(app);
  scheduler.start();

  let stopping = false;
  async function shutdown(reason: string, exitCode = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    app.log.info({ reason }, 'stopping');
    await running.stop();
    await scheduler.stop();
    await app.close();
    instance.release();
    process.exit(exitCode);
  }
  running.ended.then(
    () => void shutdown('INPUT_CLOSED'),
    () => void shutdown('CHANNEL_ENDED', 1),
  );
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof BotAlreadyRunningError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Fatal: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
