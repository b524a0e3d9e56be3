import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { leasedChannel } from '../bot/leased-channel.ts';
import type { Channel } from '../bot/channel.ts';

/**
 * The WhatsApp socket and Telegram long polling run in one process at a time (bot/leased-channel.ts). Two "processes"
 * here are two leased channels with their own holder ids on one database; the channel inside is a stand-in that
 * records whether it runs.
 */
const TTL_MS = 300;

interface FakeChannel extends Channel {
  running: boolean;
  starts: number;
  stops: number;
}

function fakeChannel(): FakeChannel {
  const channel: FakeChannel = {
    name: 'wa',
    running: false,
    starts: 0,
    stops: 0,
    ended: new Promise<void>(() => undefined),
    sender: { channel: 'wa', isReady: () => channel.running, send: async () => undefined },
    async start() {
      channel.starts++;
      channel.running = true;
    },
    async stop() {
      channel.stops++;
      channel.running = false;
    },
  };
  return channel;
}

let apps: TestApp[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop().catch(() => undefined);
  for (const app of apps) await app.cleanup();
  apps = [];
});

function process2(app: TestApp) {
  const inner: FakeChannel[] = [];
  const channel = leasedChannel(app, {
    name: 'wa',
    lease: 'whatsapp:main',
    ttlMs: TTL_MS,
    create: () => {
      const c = fakeChannel();
      inner.push(c);
      return c;
    },
  });
  stops.push(() => channel.stop());
  return { channel, inner, runs: () => inner.some((c) => c.running) };
}

describe('a channel only one process may run (lease)', () => {
  it('runs in one process; the other waits on standby and takes over when the first stops', async () => {
    const app = await createTestApp();
    apps.push(app);
    const a = process2(app);
    const b = process2(app);
    await a.channel.start();
    await a.channel.acquired;
    await b.channel.start();
    expect(a.runs()).toBe(true);
    expect(a.channel.sender.isReady?.()).toBe(true);
    // b asked and was refused (its first try happens at start): it has made no channel at all.
    await vi.waitFor(async () => expect((await app.db.lease.findUnique({ where: { name: 'whatsapp:main' } }))?.holder).toBeDefined());
    expect(b.inner).toHaveLength(0);
    expect(b.channel.sender.isReady?.()).toBe(false);
    await expect(b.channel.sender.send('wa:main:1@s.whatsapp.net', { text: 'x' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });

    await a.channel.stop();
    expect(a.runs()).toBe(false);
    await b.channel.acquired;
    expect(b.runs()).toBe(true);
    expect(b.channel.sender.isReady?.()).toBe(true);
  });

  it('stops its channel when the lease is lost, and goes back to standby', async () => {
    const app = await createTestApp();
    apps.push(app);
    const a = process2(app);
    await a.channel.start();
    await a.channel.acquired;
    // Another process took the lease (say this one was frozen past the TTL).
    await app.db.lease.update({ where: { name: 'whatsapp:main' }, data: { holder: 'other-host:1:abcd', expiresAt: new Date(Date.now() + 60_000) } });
    await vi.waitFor(() => expect(a.inner[0].stops).toBe(1), { timeout: 10_000, interval: 20 });
    expect(a.runs()).toBe(false);
    expect(a.channel.sender.isReady?.()).toBe(false);
    // When the other holder is gone, this process runs a fresh channel again.
    await app.db.lease.delete({ where: { name: 'whatsapp:main' } });
    await vi.waitFor(() => expect(a.inner).toHaveLength(2), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(a.runs()).toBe(true), { timeout: 10_000, interval: 20 });
  });
});
