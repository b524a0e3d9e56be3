import { describe, expect, it, vi } from 'vitest';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { FAST_RECONNECT, useFakeWhatsApp, textContent, waMessage } from './helpers/fake-whatsapp.ts';
import { backoffDelayMs, decideReconnect, RECONNECT_POLICY, type ReconnectDecision } from '../bot/whatsapp/reconnect-policy.ts';
import { enqueueNotification } from '../cases/notify.ts';

const CITIZEN = '6281234567890@s.whatsapp.net';
const KEY = `wa:main:${CITIZEN}`;

const setup = useFakeWhatsApp();

/** Until `condition` holds (vi.waitFor polls it). */
const waitFor = (condition: () => boolean | Promise<boolean>) =>
  vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: 3_000, interval: 5 });

/** Every name Baileys 7 defines, without the reverse-mapping numeric keys of a TS enum. */
const REASON_NAMES = Object.keys(DisconnectReason).filter((k) => Number.isNaN(Number(k))) as Array<keyof typeof DisconnectReason>;

type Expected = Pick<ReconnectDecision, 'action'> & { delayMs?: number; countsAsFailure?: boolean };
const FIRST_FAILURE_DELAY = RECONNECT_POLICY.baseDelayMs;
const EXPECTED: Record<keyof typeof DisconnectReason, Expected> = {
  loggedOut: { action: 'pair-again', delayMs: 0 },
  restartRequired: { action: 'reconnect', delayMs: 0, countsAsFailure: false },
  connectionClosed: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  connectionLost: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  timedOut: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  connectionReplaced: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  badSession: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  multideviceMismatch: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  forbidden: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
  unavailableService: { action: 'reconnect', delayMs: FIRST_FAILURE_DELAY, countsAsFailure: true },
};

describe('reconnect policy (pure)', () => {
  it('has an expectation for every DisconnectReason Baileys defines', () => {
    expect(REASON_NAMES.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(REASON_NAMES)('%s → the documented decision', (name) => {
    const decision = decideReconnect(DisconnectReason[name], 0);
    expect(decision).toMatchObject(EXPECTED[name]);
  });

  it('backs off exponentially up to the cap, then stops after the last allowed failure', () => {
    const delays = Array.from({ length: RECONNECT_POLICY.maxConsecutiveFailures }, (_, i) => decideReconnect(DisconnectReason.connectionLost, i));
    expect(delays.map((d) => (d.action === 'reconnect' ? d.delayMs : -1))).toEqual(
      Array.from({ length: RECONNECT_POLICY.maxConsecutiveFailures }, (_, i) => Math.min(RECONNECT_POLICY.maxDelayMs, RECONNECT_POLICY.baseDelayMs * 2 ** i)),
    );
    expect(backoffDelayMs(100)).toBe(RECONNECT_POLICY.maxDelayMs);
    expect(decideReconnect(DisconnectReason.connectionLost, RECONNECT_POLICY.maxConsecutiveFailures)).toMatchObject({ action: 'stop' });
    // Pairing's restart and a logout are never "too many failures".
    expect(decideReconnect(DisconnectReason.restartRequired, 99)).toMatchObject({ action: 'reconnect', delayMs: 0 });
    expect(decideReconnect(DisconnectReason.loggedOut, 99)).toMatchObject({ action: 'pair-again' });
  });

  it('treats a close without a status code (plain network error) as a failure to retry', () => {
    expect(decideReconnect(undefined, 0)).toMatchObject({ action: 'reconnect', countsAsFailure: true, reason: 'unknown' });
  });
});

describe('reconnects through the channel (fake socket)', () => {
  it.each(REASON_NAMES)('%s', async (name) => {
    const { app, wa } = await setup();
    await app.db.whatsAppAuth.create({ data: { account: 'main', type: 'session', keyId: 'peer.0', value: '"x"' } });
    const first = wa.socket();
    const credsBefore = first.config.auth.creds;
    first.close(DisconnectReason[name]);
    await waitFor(() => wa.sockets.length === 2);
    await wa.channel.idle();
    expect(first.ended).toBe(true);
    const expected = EXPECTED[name];
    if (expected.action === 'pair-again') {
      // Session wiped; a fresh identity is created and the operator is asked to pair again.
      expect(await app.db.whatsAppAuth.count()).toBe(0);
      expect(wa.socket().config.auth.creds.noiseKey.public).not.toEqual(credsBefore.noiseKey.public);
      expect(wa.printed.join('\n')).toMatch(/logged out.*pair again/is);
    } else {
      expect(await app.db.whatsAppAuth.count()).toBe(1);
      expect(wa.socket().config.auth.creds).toBe(credsBefore);
      expect(wa.channel.consecutiveFailures).toBe(expected.countsAsFailure ? 1 : 0);
    }
    wa.socket().open();
    await wa.channel.idle();
    expect(wa.channel.status).toBe('open');
    expect(wa.channel.consecutiveFailures).toBe(0);
  });

  it('stops and says so after repeated failures', async () => {
    const { wa } = await setup();
    for (let i = 0; i <= FAST_RECONNECT.maxConsecutiveFailures; i++) {
      const count = wa.sockets.length;
      wa.socket().close(DisconnectReason.connectionLost);
      if (i < FAST_RECONNECT.maxConsecutiveFailures) await waitFor(() => wa.sockets.length === count + 1);
    }
    await wa.channel.idle();
    expect(wa.channel.status).toBe('gave-up');
    expect(wa.sockets).toHaveLength(FAST_RECONNECT.maxConsecutiveFailures + 1);
    expect(wa.printed.join('\n')).toMatch(/stopped reconnecting after 4 failed connections/);
    // Given up means no reconnect is scheduled at all (checked directly, rather than by waiting and seeing none).
    expect(wa.channel['reconnectTimer']).toBeUndefined();
    expect(wa.sockets).toHaveLength(FAST_RECONNECT.maxConsecutiveFailures + 1);
  });

  it('delivers a notification queued while disconnected after the reconnect', async () => {
    const { app, wa } = await setup();
    wa.socket().close(DisconnectReason.connectionLost);
    await wa.channel.idle();
    expect(wa.channel.sender.isReady?.()).toBe(false);
    await enqueueNotification(app.db, { conversationKey: KEY, reply: { text: 'Laporan LPR-ABCDEF sudah diverifikasi.' } });
    expect(await app.outbox.drainOnce()).toBe(0);
    expect(await app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'pending', attempts: 0 });

    await waitFor(() => wa.sockets.length === 2);
    wa.socket().open();
    await wa.channel.idle();
    // The channel drains the outbox as soon as the connection opens.
    await waitFor(async () => (await app.db.outboxMessage.findFirstOrThrow()).status === 'sent');
    expect(wa.socket().sent.map((s) => [s.jid, s.text])).toEqual([[CITIZEN, 'Laporan LPR-ABCDEF sudah diverifikasi.']]);
    expect(wa.sockets[0].sent).toEqual([]);
  });

  it('keeps an answer in the outbox when sending it fails, and sends it after the reconnect', async () => {
    const { app, wa } = await setup();
    wa.socket().failSends = new Error('socket closed');
    const sent = await wa.send(waMessage(CITIZEN, textContent('halo')));
    expect(sent).toEqual([]);
    const waiting = await app.db.outboxMessage.findMany();
    expect(waiting).toHaveLength(1);
    expect(waiting[0].conversationKey).toBe(KEY);
    wa.socket().close(DisconnectReason.connectionLost);
    await waitFor(() => wa.sockets.length === 2);
    wa.socket().open();
    await wa.channel.idle();
    await waitFor(async () => (await app.db.outboxMessage.findFirstOrThrow()).status === 'sent');
    expect(wa.socket().sent[0].text).toMatch(/^1\. /m);
  });

  it('ignores events from a socket it already replaced', async () => {
    const { wa } = await setup();
    const old = wa.socket();
    old.close(DisconnectReason.restartRequired);
    await waitFor(() => wa.sockets.length === 2);
    wa.socket().open();
    await wa.channel.idle();
    old.receive(waMessage(CITIZEN, textContent('halo')));
    await wa.channel.idle();
    expect(old.sent).toEqual([]);
    expect(wa.socket().sent).toEqual([]);
  });
});

describe('pairing', () => {
  it('prints a QR code in the terminal when not paired', async () => {
    const { wa } = await setup({ open: false });
    wa.socket().emit('connection.update', { qr: '2@abcdefghijklmnop,xyz,abc' });
    await wa.channel.idle();
    const out = wa.printed.join('\n');
    expect(out).toContain('scan this QR code');
    expect(out).toMatch(/[▄▀█]/);
    expect(wa.socket().pairingRequests).toEqual([]);
  });

  it('requests and prints a pairing code once per socket when WHATSAPP_PHONE_NUMBER is set', async () => {
    const { wa } = await setup({ open: false, phoneNumber: '6281200000000' });
    wa.socket().emit('connection.update', { qr: 'first' });
    wa.socket().emit('connection.update', { qr: 'second' });
    await wa.channel.idle();
    expect(wa.socket().pairingRequests).toEqual(['6281200000000']);
    expect(wa.printed.join('\n')).toContain('ABCD-1234');
    expect(wa.printed.join('\n')).not.toMatch(/[▄▀█]/);
    // After pairing WhatsApp asks for a restart: a new socket at once, not counted as a failure.
    wa.socket().emit('connection.update', { isNewLogin: true });
    wa.socket().close(DisconnectReason.restartRequired);
    await waitFor(() => wa.sockets.length === 2);
    wa.socket().open();
    await wa.channel.idle();
    expect(wa.channel.status).toBe('open');
  });
});
