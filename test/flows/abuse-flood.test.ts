import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTACHMENT_FLOOD_WARNING, FloodControl, FLOOD_LIMITS, FLOOD_WARNING, type FloodLimits } from '../../flows/flood-control.ts';
import type { InboundMessage, Reply } from '../../flows/types.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Short limits so the test runs in milliseconds; the shape of the policy is what is under test. */
const LIMITS: FloodLimits = { windowMs: 400, maxMessages: 3, quietMs: 80, maxHoldMs: 300, attachmentWindowMs: 60_000, maxAttachments: 10 };

function msg(overrides: Partial<InboundMessage> = {}): InboundMessage {
  const n = Math.random().toString(36).slice(2);
  return { key: 'tg:1', channel: 'tg', messageId: `m-${n}`, text: `pesan ${n}`, sender: { id: '1' }, ...overrides };
}

/** A fake engine that records what it processed and answers with the text it got. */
function recorder() {
  const processed: string[] = [];
  const handle = async (m: InboundMessage): Promise<Reply[]> => {
    processed.push(m.text ?? `[${m.attachments?.length ?? 0} attachments]`);
    return [{ text: `ok: ${m.text}` }];
  };
  return { processed, handle };
}

describe('flood control (unit)', () => {
  it('has named limits: more than a few messages in a couple of seconds', () => {
    expect(FLOOD_LIMITS.maxMessages).toBeGreaterThanOrEqual(3);
    expect(FLOOD_LIMITS.maxMessages).toBeLessThanOrEqual(8);
    expect(FLOOD_LIMITS.windowMs).toBeGreaterThanOrEqual(1_000);
    expect(FLOOD_LIMITS.windowMs).toBeLessThanOrEqual(5_000);
    expect(FLOOD_LIMITS.maxHoldMs).toBeGreaterThan(FLOOD_LIMITS.quietMs);
  });

  it('lets a normal pace through untouched', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS });
    const replies = await Promise.all(['a', 'b', 'c'].map((text) => flood.handle(msg({ text }))));
    expect(processed).toEqual(['a', 'b', 'c']);
    expect(replies.flat().map((r) => r.text)).toEqual(['ok: a', 'ok: b', 'ok: c']);
  });

  it('answers a burst with one warning and processes only the last message', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS });
    const texts = Array.from({ length: 10 }, (_, i) => `spam ${i}`);
    const replies = await Promise.all(texts.map((text) => flood.handle(msg({ text }))));
    // The first three pass (under the limit), the rest are held; only the last of those is processed.
    expect(processed).toEqual(['spam 0', 'spam 1', 'spam 2', 'spam 9']);
    const all = replies.flat().map((r) => r.text);
    expect(all.filter((t) => t === FLOOD_WARNING.id)).toHaveLength(1);
    expect(all).toContain('ok: spam 9');
    expect(all).not.toContain('ok: spam 5');
    // Dropped messages resolve (with the warning or nothing) instead of hanging.
    expect(replies.slice(3, 9).every((r) => r.length <= 1)).toBe(true);
  });

  it('warns in English when the conversation is in English', async () => {
    const { handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS, language: async () => 'en' });
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => flood.handle(msg({ text: `x${i}` }))));
    expect(replies.flat().map((r) => r.text)).toContain(FLOOD_WARNING.en);
  });

  it('keeps answering a chat that never pauses, at most once per hold period', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS });
    const pending: Promise<Reply[]>[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < 700; i++) {
      pending.push(flood.handle(msg({ text: `n${i}` })));
      await sleep(20);
    }
    await Promise.all(pending);
    const heldProcessed = processed.length - LIMITS.maxMessages;
    // ~700 ms of non-stop flood with a 300 ms hold cap: answered a couple of times, not 35 times, not never.
    expect(heldProcessed).toBeGreaterThanOrEqual(1);
    expect(heldProcessed).toBeLessThanOrEqual(4);
    expect(processed.at(-1)).toBe(`n${pending.length - 1}`);
  });

  it('counts each conversation separately and forgets calm ones', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS });
    await Promise.all(Array.from({ length: 8 }, (_, i) => flood.handle(msg({ key: `tg:${i}`, text: `k${i}` }))));
    expect(processed).toHaveLength(8);
    await sleep(LIMITS.windowMs + 20);
    await flood.handle(msg({ key: 'tg:other' }));
    expect(flood.trackedConversations).toBe(1);
  });

  it('never holds photos or locations (an album arrives as a burst) nor the local terminal', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: LIMITS });
    const photo = { kind: 'photo' as const, path: 'x.jpg' };
    await Promise.all(Array.from({ length: 6 }, () => flood.handle(msg({ text: undefined, attachments: [photo] }))));
    await Promise.all(Array.from({ length: 6 }, (_, i) => flood.handle(msg({ key: 'term:dev', channel: 'term', text: `t${i}` }))));
    expect(processed).toHaveLength(12);
  });

  // Issue 12 #6: attachments are counted too (a photo flood fills the disk and the database).
  it('counts photos: past the album-sized limit in a minute the rest are dropped with one warning', async () => {
    const { processed, handle } = recorder();
    let clock = 1_000_000;
    const flood = new FloodControl(handle, { limits: LIMITS, now: () => clock });
    const photo = { kind: 'photo' as const, path: 'attachments/x.jpg' };
    const replies = await Promise.all(Array.from({ length: 14 }, () => flood.handle(msg({ text: undefined, attachments: [photo] }))));
    expect(processed).toHaveLength(LIMITS.maxAttachments);
    const warnings = replies.flat().filter((r) => r.text === ATTACHMENT_FLOOD_WARNING.id);
    expect(warnings).toHaveLength(1);
    // Text still goes through (it is limited on its own), and another chat's photos are not affected.
    await flood.handle(msg({ text: 'masih di sini' }));
    await flood.handle(msg({ key: 'tg:2', text: undefined, attachments: [photo] }));
    expect(processed).toHaveLength(LIMITS.maxAttachments + 2);
    // A minute later the chat may send photos again.
    clock += LIMITS.attachmentWindowMs + 1;
    await flood.handle(msg({ text: undefined, attachments: [photo] }));
    expect(processed).toHaveLength(LIMITS.maxAttachments + 3);
    expect(FLOOD_LIMITS.maxAttachments).toBeGreaterThanOrEqual(10); // a full Telegram album always fits
  });

  it('processes held messages on flush (shutdown loses nothing that was kept)', async () => {
    const { processed, handle } = recorder();
    const flood = new FloodControl(handle, { limits: { ...LIMITS, quietMs: 60_000, maxHoldMs: 60_000 } });
    const replies = Array.from({ length: 5 }, (_, i) => flood.handle(msg({ text: `f${i}` })));
    await flood.flush();
    await Promise.all(replies);
    expect(processed).toEqual(['f0', 'f1', 'f2', 'f4']);
  });
});

describe('flood control (wired in the app, every channel)', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it('a WhatsApp flood mid-intake: one warning, the last answer is used, the report still files', async () => {
    app = await createTestApp({ floodControl: { limits: LIMITS } });
    const key = 'wa:bot:628111@s.whatsapp.net';
    await app.say(key, 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu');
    // Burst of location attempts; only the last one should become the location.
    const burst = await Promise.all(
      ['??', '!!', 'Jl. Salah 1', 'Jl. Salah 2', 'Jl. Salah 3', 'Jl. Sumbersari No. 10, Lowokwaru'].map((text) => app!.say(key, text)),
    );
    const texts = burst.flat().map((r) => r.text);
    expect(texts.filter((t) => t === FLOOD_WARNING.id)).toHaveLength(1);
    await app.say(key, 'lewati');
    await app.say(key, '1');
    expect(await app.sayText(key, 'ya')).toMatch(/LPR-/);
    const stored = await app.db.case.findFirstOrThrow({ where: { conversationKey: key } });
    // '??' and '!!' passed (under the limit) and were re-asked; of the held ones only the last was processed.
    expect(stored.locationText).toBe('Jl. Sumbersari No. 10, Lowokwaru');
    expect(stored.kecamatan).toBe('Lowokwaru');
  });

  it('is installed by default (createApp) and off in the test helper unless asked', async () => {
    app = await createTestApp();
    expect(app.flood).toBeUndefined();
    const withFlood = await createTestApp({ floodControl: {} });
    try {
      expect(withFlood.flood?.limits).toEqual(FLOOD_LIMITS);
    } finally {
      await withFlood.cleanup();
    }
  });
});
