import os from 'node:os';
import { createApp } from './app.ts';
import { runTerminal } from './terminal/terminal-channel.ts';
import { createTelegramChannel } from './telegram/telegram-channel.ts';
import { ConfigError } from '../lib/config.ts';
import { createScheduler } from './scheduler.ts';
import { startHttpServer } from './http/server.ts';

/**
 * `npm start`: applies migrations, seeds the city profile, then runs every configured channel. With no channel
 * configured it starts the terminal channel on the embedded defaults, so a fresh clone does something useful.
 */
async function main(): Promise<void> {
  const app = await createApp();
  const channels: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  async function shutdown(signal: string, exitCode = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    for (const stop of stops) await stop();
    await app.close();
    process.exit(exitCode);
  }

  // Open311 API, public pages and dashboard, /healthz and /metrics (HTTP_PORT). Cases arrive through it too, so
  // it counts as a channel: with it alone the outbox and the daily jobs run and no terminal is started.
  if (app.config.HTTP_PORT) {
    stops.push((await startHttpServer(app)).close);
    channels.push('http');
  }

  if (app.config.TELEGRAM_BOT_TOKEN) {
    const telegram = createTelegramChannel(app);
    await telegram.start();
    app.outbox.register(telegram.sender);
    channels.push('telegram');
    stops.push(() => telegram.stop());
    // A refused token or a second poller (409) ends polling: exit so a supervisor can restart or alert.
    telegram.stopped.catch(() => void shutdown('TELEGRAM_STOPPED', 1));
  }

  if (app.config.WHATSAPP_ENABLED) {
    // Loaded only when enabled: Baileys adds about a second to start-up.
    const { startWhatsApp } = await import('./whatsapp/start-whatsapp.ts');
    const whatsapp = await startWhatsApp(app);
    channels.push('whatsapp');
    stops.push(() => whatsapp.stop());
    // After repeated failed reconnects WhatsApp gives up. With no other channel the process has nothing left to
    // do: exit so a supervisor restarts it (or alerts); with Telegram running, keep serving Telegram.
    whatsapp.on('status', (status) => {
      if (status === 'gave-up' && !channels.includes('telegram')) void shutdown('WHATSAPP_GAVE_UP', 1);
    });
  }

  if (channels.length === 0) {
    app.log.info('no channel configured (TELEGRAM_BOT_TOKEN, WHATSAPP_ENABLED); starting the terminal channel');
    await runTerminal(app, { identity: process.env.CHAT_AS ?? os.userInfo().username ?? 'warga' });
    await app.close();
    return;
  }

  app.outbox.start();
  const scheduler = createScheduler(app);
  scheduler.start();
  stops.push(() => scheduler.stop());
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Fatal: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
