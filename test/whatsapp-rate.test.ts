import { describe, expect, it } from 'vitest';
import { useFakeWhatsApp, type SentMessage } from './helpers/fake-whatsapp.ts';
import { SEND_RATE, SendQueue, type SendRate } from '../bot/whatsapp/send-queue.ts';
import { enqueueNotification } from '../cases/notify.ts';

/** Small numbers keep the test fast; the ratio (per chat slower than overall) is the production one. */
const RATE: SendRate = { perChatMinGapMs: 60, overallMinGapMs: 15 };
/** Timers may fire up to ~1 ms early relative to performance.now() rounding. */
const SLACK_MS = 2;

const setup = useFakeWhatsApp();

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

describe('outgoing pace', () => {
  it('production numbers: per chat slower than overall', () => {
    expect(SEND_RATE.perChatMinGapMs).toBeGreaterThanOrEqual(SEND_RATE.overallMinGapMs);
    expect(SEND_RATE).toEqual({ perChatMinGapMs: 1_000, overallMinGapMs: 500 });
  });

  it('respects the per-chat and overall rate under a burst, keeping each chat in order', async () => {
    const { wa } = await setup({ rate: RATE });
    // The send starts on the queue's clock: the fake socket's own timestamps also carry the scheduler's noise
    // (a process descheduled between starting a send and reaching the socket), which says nothing about pacing.
    const starts: Array<{ jid: string; at: number }> = [];
    wa.channel.on('send-start', (jid: string, at: number) => starts.push({ jid, at }));
    const chats = ['6281111111111@s.whatsapp.net', '6282222222222@s.whatsapp.net', '6283333333333@s.whatsapp.net'];
    const perChat = 5;
    const started = performance.now();
    // Fired all at once, as the flow's replies and outbox notifications can be.
    await Promise.all(chats.flatMap((jid) => Array.from({ length: perChat }, (_, i) => wa.channel.sendReply(jid, { text: `${jid} #${i}` }))));
    const elapsed = performance.now() - started;
    const sent: SentMessage[] = wa.socket().sent;
    expect(sent).toHaveLength(chats.length * perChat);
    expect(starts.map((s) => s.jid)).toEqual(sent.map((s) => s.jid));

    expect(Math.min(...gaps(starts.map((s) => s.at)))).toBeGreaterThanOrEqual(RATE.overallMinGapMs);
    for (const jid of chats) {
      const mine = sent.filter((s) => s.jid === jid);
      expect(mine.map((s) => s.text)).toEqual(Array.from({ length: perChat }, (_, i) => `${jid} #${i}`));
      expect(Math.min(...gaps(starts.filter((s) => s.jid === jid).map((s) => s.at)))).toBeGreaterThanOrEqual(RATE.perChatMinGapMs);
    }
    // Per chat bound: 5 sends need ≥ 4 gaps of 60 ms; interleaving chats keeps the total near that, not 15 × 60.
    expect(elapsed).toBeGreaterThanOrEqual(4 * RATE.perChatMinGapMs - SLACK_MS);
    expect(elapsed).toBeLessThan(chats.length * perChat * RATE.perChatMinGapMs);
  });

  it('paces an outbox backlog delivered after an outage', async () => {
    const { app, wa } = await setup({ rate: RATE });
    const starts: number[] = [];
    wa.channel.on('send-start', (_jid: string, at: number) => starts.push(at));
    const jid = '6284444444444@s.whatsapp.net';
    for (let i = 0; i < 4; i++) await enqueueNotification(app.db, { conversationKey: `wa:main:${jid}`, reply: { text: `kabar ${i}` } });
    expect(await app.outbox.drainOnce()).toBe(4);
    expect(wa.socket().sent.map((s) => s.text)).toEqual(['kabar 0', 'kabar 1', 'kabar 2', 'kabar 3']);
    expect(starts).toHaveLength(4);
    expect(Math.min(...gaps(starts))).toBeGreaterThanOrEqual(RATE.perChatMinGapMs);
  });

  it('stop() rejects what is still waiting instead of sending it later', async () => {
    const queue = new SendQueue({ perChatMinGapMs: 1_000, overallMinGapMs: 1 });
    const sent: number[] = [];
    const first = queue.enqueue('a', async () => sent.push(1));
    const second = queue.enqueue('a', async () => sent.push(2));
    await first;
    queue.stop();
    await expect(second).rejects.toThrow();
    expect(sent).toEqual([1]);
  });
});
