import os from 'node:os';
import { parseArgs } from 'node:util';
import { createApp } from '../app.ts';
import { createTerminalChannel } from './terminal-channel.ts';
import { startChannels } from '../start-channels.ts';
import { ConfigError, loadConfig } from '../../lib/config.ts';

/**
 * How often an open chat looks for notifications for its identity (written by an admin in another process, by
 * `npm start`'s daily job…). One second feels immediate to a person and is one indexed query on an idle chat.
 */
const NOTIFICATION_POLL_MS = 1_000;

const { values } = parseArgs({
  options: { as: { type: 'string', short: 'a' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});

if (values.help) {
  process.stdout.write(
    'npm run chat -- [--as <identity>]\n  Talk to the bot from a terminal. Each identity is a separate person (default: your user name).\n  In chat: /foto <file> sends a photo, /lokasi <lat>,<lon> shares a location.\n',
  );
  process.exit(0);
}

try {
  // The chat is the screen here: only problems are logged unless LOG_LEVEL asks for more.
  const config = loadConfig();
  const app = await createApp({ config: process.env.LOG_LEVEL ? config : { ...config, LOG_LEVEL: 'warn' } });
  const identity = values.as ?? process.env.CHAT_AS ?? os.userInfo().username ?? 'warga';
  const running = await startChannels(app, [createTerminalChannel(app, { identity })]);
  app.outbox.start(NOTIFICATION_POLL_MS);
  await running.ended;
  await running.stop();
  await app.close();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
