import type { App } from './app.ts';
import type { Channel, ChannelName } from './channel.ts';
import type { NotificationSender } from '../cases/notify.ts';
import type { ClaimFilter } from '../db/outbox.ts';
import { holdLease, type HeldLease } from '../db/leases.ts';
import { DeliveryError, errorCode } from '../lib/errors.ts';

/**
 * How long a standby process waits before asking for the lease again after its holder stopped the channel on a
 * lost lease (the process that took it over needs a moment to connect; asking at once only adds database load).
 */
const RESTANDBY_DELAY_MS = 1_000;

export interface LeasedChannelOptions {
  /** The channel's name (its outbox sender is registered under it before any instance exists). */
  name: ChannelName;
  /** The lease (db/leases.ts): 'whatsapp:<account>' or 'telegram-polling'. */
  lease: string;
  /** Makes a fresh channel each time this process takes the lease (a stopped channel is not restarted). */
  create: () => Channel | Promise<Channel>;
  /** Tests shorten the lease; production uses LEASE_TTL_MS. */
  ttlMs?: number;
  /** The chats the channel's outbox sender serves (e.g. this WhatsApp account's keys); all of the channel's when absent. */
  claims?: ClaimFilter;
}

/**
 * A channel only one process may run at a time, on a database several bot processes share (PostgreSQL): one
 * WhatsApp socket per account (a second socket for the same account logs the first out), one Telegram poller per
 * bot token (Telegram answers a second getUpdates with 409). Every process starts it; one holds the lease and runs
 * the channel, the others wait on standby, and one of them takes over within the lease's TTL when the holder dies
 * or loses the lease (the holder then stops its channel and goes back to standby).
 *
 * start() returns at once so a standby process still starts its other channels, the outbox and the daily job.
 * The outbox sender is ready only while this process runs the channel, so notifications for it are sent by the
 * holder. ended rejects when the running channel ends by itself (as the channel's own ended does).
 */
export function leasedChannel(app: Pick<App, 'db' | 'log'>, options: LeasedChannelOptions): Channel & { readonly running: boolean; readonly acquired: Promise<void> } {
  const log = app.log.child({ lease: options.lease });
  let current: Channel | undefined;
  let lease: HeldLease | undefined;
  let stopping = false;
  const abort = new AbortController();
  let loop: Promise<void> | undefined;
  /** Ends the current tenure (the lease was lost, or the process is stopping). */
  let endTenure: (() => void) | undefined;
  let rejectEnded!: (err: unknown) => void;
  const ended = new Promise<void>((_resolve, reject) => {
    rejectEnded = reject;
  });
  ended.catch(() => undefined);
  let markAcquired!: () => void;
  const acquired = new Promise<void>((resolve) => {
    markAcquired = resolve;
  });

  const sender: NotificationSender = {
    channel: options.name,
    isReady: () => current?.sender.isReady?.() ?? false,
    claims: options.claims,
    send: (key, reply) => {
      if (!current) return Promise.reject(new DeliveryError('NOT_CONNECTED', `${options.name} runs in another process`, false));
      return current.sender.send(key, reply);
    },
  };

  /** Runs the channel for one tenure of the lease; resolves when the lease was lost and the channel stopped. */
  async function serve(held: HeldLease, lost: Promise<void>): Promise<void> {
    const channel = await options.create();
    current = channel;
    try {
      await channel.start();
    } catch (err) {
      current = undefined;
      await held.release().catch(() => undefined);
      throw err;
    }
    log.info({ channel: options.name }, 'this process runs the channel');
    markAcquired();
    channel.ended.then(
      () => undefined,
      (err: unknown) => {
        if (current !== channel || stopping) return;
        current = undefined;
        void held.release().catch(() => undefined);
        rejectEnded(err);
      },
    );
    await lost;
    if (current === channel) {
      current = undefined;
      log.warn({ channel: options.name }, 'lease lost: stopping the channel; another process runs it now');
      await channel.stop().catch((err) => log.warn({ code: errorCode(err) }, 'channel did not stop cleanly'));
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      const lost = new Promise<void>((resolve) => {
        endTenure = resolve;
      });
      try {
        lease = await holdLease(app.db, options.lease, { signal: abort.signal, onLost: () => endTenure?.(), log, ttlMs: options.ttlMs });
      } catch (err) {
        if (stopping) return;
        throw err;
      }
      if (stopping) {
        await lease.release().catch(() => undefined);
        return;
      }
      await serve(lease, lost);
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, RESTANDBY_DELAY_MS));
    }
  }

  return {
    name: options.name,
    sender,
    ended,
    acquired,
    get running() {
      return current !== undefined;
    },
    async start() {
      log.info({ channel: options.name }, 'waiting for the lease to run the channel');
      loop = run().catch((err: unknown) => {
        log.error({ code: errorCode(err), channel: options.name }, 'leased channel failed');
        rejectEnded(err);
      });
    },
    async stop() {
      stopping = true;
      abort.abort(new Error('stopping'));
      const channel = current;
      current = undefined;
      endTenure?.();
      await channel?.stop();
      await loop;
      await lease?.release().catch(() => undefined);
    },
  };
}
