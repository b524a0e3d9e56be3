import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { breakWrites } from '../helpers/database-faults.ts';

const COMPLAINT = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps) await app.cleanup().catch(() => undefined);
  apps = [];
});
async function start() {
  const app = await createTestApp();
  apps.push(app);
  return app;
}

async function fileReport(app: TestApp, key: string): Promise<string> {
  await app.say(key, COMPLAINT);
  await app.say(key, 'Jl. Sumbersari No. 10, Lowokwaru');
  await app.say(key, 'lewati');
  await app.say(key, '1');
  const filed = await app.sayText(key, 'ya');
  const match = /LPR-[2-9A-Z]{6}/.exec(filed);
  expect(match, filed).not.toBeNull();
  return match![0];
}

describe('flow engine', () => {
  describe('the link to the public page after filing', () => {
    const BASE = 'https://lapor.example.go.id';
    async function confirmation(env: Record<string, string>, privacyChoice: string) {
      const app = await createTestApp({ env });
      apps.push(app);
      const key = `tg:${privacyChoice}01`;
      await app.say(key, COMPLAINT);
      await app.say(key, 'Jl. Sumbersari No. 10, Lowokwaru');
      await app.say(key, 'lewati');
      await app.say(key, privacyChoice);
      const replies = await app.say(key, 'ya');
      const stored = await app.db.case.findFirstOrThrow({ where: { conversationKey: key } });
      return { replies, stored };
    }

    it('follows the confirmation as its own short line when PUBLIC_BASE_URL is set', async () => {
      const { replies, stored } = await confirmation({ PUBLIC_BASE_URL: `${BASE}/` }, '1');
      expect(replies.length).toBeGreaterThanOrEqual(2);
      expect(replies[0].text).toContain(stored.trackingId);
      expect(replies.at(-1)).toEqual({ text: `Pantau perkembangannya di ${BASE}/lapor/${stored.trackingId}` });
    });

    it('links an anonim case too (its page shows no reporter), never a rahasia one (it has no public page)', async () => {
      const anonim = await confirmation({ PUBLIC_BASE_URL: BASE }, '2');
      expect(anonim.stored.privacy).toBe('anonim');
      expect(anonim.replies.at(-1)?.text).toBe(`Pantau perkembangannya di ${BASE}/lapor/${anonim.stored.trackingId}`);
      const rahasia = await confirmation({ PUBLIC_BASE_URL: BASE }, '3');
      expect(rahasia.stored.privacy).toBe('rahasia');
      expect(rahasia.replies.map((r) => r.text).join('\n')).toContain(rahasia.stored.trackingId);
      expect(rahasia.replies.map((r) => r.text).join('\n')).not.toContain(BASE);
    });

    it('adds nothing without PUBLIC_BASE_URL', async () => {
      const { replies, stored } = await confirmation({}, '1');
      const text = replies.map((r) => r.text).join('\n');
      expect(text).toContain(stored.trackingId);
      expect(text).not.toContain('/lapor/');
      expect(text).not.toContain('Pantau perkembangannya');
    });
  });

  it('files a case end to end and stores what the citizen said', async () => {
    const app = await start();
    const trackingId = await fileReport(app, 'term:ani');
    const stored = await app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { events: true } });
    expect(stored.description).toBe(COMPLAINT);
    expect(stored.kelurahan).toBe('Sumbersari');
    expect(stored.kecamatan).toBe('Lowokwaru');
    expect(stored.opdCode).toBe('DPUPRPKP');
    expect(stored.status).toBe('submitted');
    expect(stored.privacy).toBe('biasa');
    expect(stored.events.map((e) => e.action)).toEqual(['submitted']);
    expect(stored.verifyDueAt!.getTime()).toBe(app.calendar.addWorkingDays(stored.submittedAt, 3).getTime());
  });

  it('resumes a conversation after a restart (new process on the same database)', async () => {
    const first = await createTestApp();
    await first.say('tg:42', COMPLAINT);
    await first.say('tg:42', 'Jl. Sumbersari No. 10');
    const second = await first.restart();
    apps.push(second);
    const reply = await second.sayText('tg:42', 'lewati');
    expect(reply).toContain('kerahasiaan');
    await second.say('tg:42', '2');
    const filed = await second.sayText('tg:42', 'ya');
    expect(filed).toMatch(/LPR-/);
    const stored = await second.db.case.findFirstOrThrow({ where: { conversationKey: 'tg:42' } });
    expect(stored.privacy).toBe('anonim');
  });

  it('processes a duplicate message id once', async () => {
    const app = await start();
    const message = { messageId: 'm-1', text: COMPLAINT };
    const first = await app.say('tg:7', message);
    const second = await app.say('tg:7', message);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
    const conversation = await app.db.conversation.findUniqueOrThrow({ where: { key: 'tg:7' } });
    expect(conversation.version).toBe(1);
  });

  it('files once when the confirming "ya" is delivered twice concurrently', async () => {
    const app = await start();
    const key = 'wa:bot:628111@s.whatsapp.net';
    await app.say(key, COMPLAINT);
    await app.say(key, 'Jl. Sumbersari 10');
    await app.say(key, 'lewati');
    await app.say(key, '1');
    const [a, b] = await Promise.all([app.say(key, { messageId: 'dup', text: 'ya' }), app.say(key, { messageId: 'dup', text: 'ya' })]);
    expect([a.length > 0, b.length > 0].filter(Boolean)).toHaveLength(1);
    expect(await app.db.case.count()).toBe(1);
  });

  it('keeps one message per conversation at a time (ordered), many conversations in parallel', async () => {
    const app = await start();
    const keys = Array.from({ length: 20 }, (_, i) => `tg:${1000 + i}`);
    await Promise.all(
      keys.map(async (key) => {
        const steps = [COMPLAINT, 'Jl. Sumbersari 10', 'lewati', '1', 'ya'];
        // Fired without awaiting each other: the engine must still apply them in order.
        await Promise.all(steps.map((text) => app.say(key, text)));
      }),
    );
    expect(await app.db.case.count()).toBe(20);
  });

  it('does not show a case to someone who guesses its id', async () => {
    const app = await start();
    const trackingId = await fileReport(app, 'term:owner');
    const own = await app.sayText('term:owner', `cek ${trackingId}`);
    expect(own).toContain(COMPLAINT);
    const stranger = await app.sayText('term:stranger', `cek ${trackingId}`);
    const unknown = await app.sayText('term:stranger', 'cek LPR-ZZZZZZ');
    expect(stranger).not.toContain(COMPLAINT);
    expect(stranger.replace(trackingId, 'X')).toBe(unknown.replace('LPR-ZZZZZZ', 'X'));
  });

  it('lists the reporter\'s own cases only', async () => {
    const app = await start();
    const mine = await fileReport(app, 'term:a');
    const theirs = await fileReport(app, 'term:b');
    const list = await app.sayText('term:a', 'laporan saya');
    expect(list).toContain(mine);
    expect(list).not.toContain(theirs);
  });

  it('answers a database failure politely and loses nothing once the database is back', async () => {
    const app = await start();
    await app.say('tg:9', COMPLAINT);
    // Every write fails at the database (as on a full or broken disk), whichever path the write takes.
    const restoreWrites = await breakWrites(app.db);
    const failed = await app.sayText('tg:9', { messageId: 'loc-1', text: 'Jl. Sumbersari 10' });
    expect(failed).toMatch(/gangguan/);
    await restoreWrites();
    // The platform redelivers the same message: it is processed now, not dropped as a duplicate.
    const retried = await app.sayText('tg:9', { messageId: 'loc-1', text: 'Jl. Sumbersari 10' });
    expect(retried).toMatch(/foto/i);
  });
});

describe('configuration reaches the engine', () => {
  it('DEFAULT_LANGUAGE=en greets new conversations in English', async () => {
    const app = await createTestApp({ env: { DEFAULT_LANGUAGE: 'en' } });
    apps.push(app);
    expect(await app.sayText('tg:1', 'halo')).toMatch(/What would you like to do/);
  });
});

describe('outbox', () => {
  it('delivers a new notification at once even when the dispatcher runs on a clock behind the database', async () => {
    const past = new Date('2026-01-05T03:00:00Z');
    const app = await createTestApp({ clock: () => past });
    apps.push(app);
    const { enqueueNotification } = await import('../../cases/notify.ts');
    await enqueueNotification(app.db, { conversationKey: 'term:x', reply: { text: 'Halo' } });
    const sent: string[] = [];
    app.outbox.register({ channel: 'term', send: async (_key, reply) => void sent.push(reply.text) });
    expect(await app.outbox.drainOnce()).toBe(1);
    expect(sent).toEqual(['Halo']);
  });
});
