import type { App } from './app.ts';
import type { Channel } from './channel.ts';
import { errorCode } from '../lib/errors.ts';

export interface RunningChannels {
  readonly names: string[];
  /**
   * Settles when the process has nothing left to serve: resolves when a channel's input is over (the terminal),
   * rejects when the last channel still running ends with an error. A channel that fails while another still
   * runs is logged and the others keep serving.
   */
  readonly ended: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The one place channels are started: each channel's sender is registered with the outbox, then the channel is
 * started, in the order given. A channel that fails to start stops the ones already started and throws.
 */
export async function startChannels(app: Pick<App, 'outbox' | 'log'>, channels: Channel[]): Promise<RunningChannels> {
  const started: Channel[] = [];
  const running = new Set<Channel>();
  let stopping = false;
  let settle!: { resolve: () => void; reject: (err: unknown) => void };
  const ended = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  ended.catch(() => undefined);

  async function stop(): Promise<void> {
    stopping = true;
    // Last started, first stopped: a channel may depend on one started before it.
    for (const channel of [...started].reverse()) {
      await channel.stop().catch((err) => app.log.warn({ code: errorCode(err), channel: channel.name }, 'channel did not stop cleanly'));
    }
  }

  try {
    for (const channel of channels) {
      app.outbox.register(channel.sender);
      await channel.start();
      started.push(channel);
      running.add(channel);
      channel.ended.then(
        () => {
          running.delete(channel);
          if (!stopping) settle.resolve();
        },
        (err: unknown) => {
          running.delete(channel);
          if (stopping) return;
          app.log.error({ code: errorCode(err), channel: channel.name, stillRunning: running.size }, 'channel ended');
          if (running.size === 0) settle.reject(err);
        },
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { names: channels.map((c) => c.name), ended, stop };
}
