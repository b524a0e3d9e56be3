import { afterEach } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.ts';
import { FakeTelegram } from './fake-telegram.ts';
import { createTelegramChannel, type TelegramChannel, type TelegramOptions } from '../../bot/telegram/telegram-channel.ts';
import { startChannels } from '../../bot/start-channels.ts';

export interface TelegramHarness {
  fake: FakeTelegram;
  app: TestApp;
  channel: TelegramChannel;
  /** Stops the bot and the app and starts both again on the same database, as a process restart does. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A real grammY bot (the project's Telegram channel) talking to a fake Bot API server on 127.0.0.1. */
export async function startTelegramHarness(
  options: { app?: TestAppOptions; telegram?: Partial<TelegramOptions>; fake?: FakeTelegram } = {},
): Promise<TelegramHarness> {
  const fake = options.fake ?? (await new FakeTelegram().start());
  const channelFor = (app: TestApp) =>
    createTelegramChannel(app, { token: fake.token, apiRoot: fake.apiRoot, pollingTimeoutSeconds: 1, ...options.telegram });
  let app = await createTestApp(options.app);
  let channel = channelFor(app);
  fake.settle = (updateId) => channel.whenHandled(updateId);
  await startChannels(app, [channel]);
  const harness: TelegramHarness = {
    fake,
    app,
    channel,
    async restart() {
      await channel.stop();
      app = await app.restart();
      channel = channelFor(app);
      await startChannels(app, [channel]);
      harness.app = app;
      harness.channel = channel;
    },
    async cleanup() {
      await channel.stop().catch(() => undefined);
      await app.cleanup().catch(() => undefined);
      await fake.close();
    },
  };
  return harness;
}

/** For a test file: returns `start()`, which starts a harness that is cleaned up after each test. */
export function useTelegramHarness() {
  let harnesses: TelegramHarness[] = [];
  afterEach(async () => {
    for (const h of harnesses) await h.cleanup();
    harnesses = [];
  });
  return async function start(...args: Parameters<typeof startTelegramHarness>): Promise<TelegramHarness> {
    const h = await startTelegramHarness(...args);
    harnesses.push(h);
    return h;
  };
}
