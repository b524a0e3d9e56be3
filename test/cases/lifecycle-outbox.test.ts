import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { fileThroughChat, recordOutbox } from '../helpers/lifecycle.ts';
import { addAdmin } from '../../cases/manage-admins.ts';
import { DeliveryError } from '../../lib/errors.ts';
import { OUTBOX_RETRY, OutboxDispatcher } from '../../db/outbox.ts';
import { enqueueNotification } from '../../cases/notify.ts';
import type { Reply } from '../../domain/messages.ts';
import { ensureCitizen } from '../../db/citizens.ts';
import { createLogger } from '../../lib/logger.ts';

const CITIZEN = 'tg:5001';
const INSTANSI = 'tg:9001';
const PU = 'tg:9003';
const ANSWER = 'Lubang sudah ditambal oleh tim UPT Jalan pada hari ini.';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.reverse()) await app.cleanup().catch(() => undefined);
  apps = [];
});

/** A clock the test can move forward, shared by the engine and the outbox (and by a restarted app). */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => (offsetMs += ms) };
}

async function forwardedCase(clock: ReturnType<typeof movableClock>) {
  const app = await createTestApp({ clock: clock.now });
  apps.push(app);
  await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
  await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari', conversationKey: PU });
  const id = await fileThroughChat(app, CITIZEN);
  await app.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
  return { app, id };
}

const answersTo = (delivered: { key: string; reply: { text: string } }[]) => delivered.filter((d) => d.key === CITIZEN && d.reply.text.includes(ANSWER));

describe('citizen notifications through the outbox', () => {
  it('delivers the answer after a transient platform failure, exactly once', async () => {
    const clock = movableClock();
    const { app, id } = await forwardedCase(clock);
    const outbox = recordOutbox(app);
    await outbox.drain();
    outbox.senders.tg.failNext(new DeliveryError('NETWORK', 'socket hang up', false));
    await app.say(PU, `/balas ${id} ${ANSWER}`);

    expect(answersTo(await outbox.drain())).toHaveLength(0);
    const waiting = await app.db.outboxMessage.findFirstOrThrow({ where: { conversationKey: CITIZEN, status: { not: 'sent' } } });
    expect([waiting.status, waiting.attempts, waiting.lastError]).toEqual(['pending', 1, 'NETWORK']);
    // Not retried before its backoff…
    expect(await outbox.drain()).toEqual([]);
    // …and delivered once it is due.
    clock.advance(OUTBOX_RETRY.baseDelayMs + 1);
    expect(answersTo(await outbox.drain())).toHaveLength(1);
    clock.advance(OUTBOX_RETRY.maxDelayMs);
    expect(await outbox.drain()).toEqual([]);
    expect(answersTo(outbox.all)).toHaveLength(1);
  });

  it('delivers after a process restart (new app, new dispatcher), exactly once', async () => {
    const clock = movableClock();
    const { app, id } = await forwardedCase(clock);
    const first = recordOutbox(app);
    await first.drain();
    const balas = { messageId: 'tg-update-77', text: `/balas ${id} ${ANSWER}` };
    await app.say(PU, balas);
    // The process dies before the outbox ran.
    const restarted = await app.restart();
    apps.push(restarted);
    const second = recordOutbox(restarted);
    // The platform redelivers the admin's message after the restart: dropped as a duplicate, no second answer.
    expect(await restarted.say(PU, balas)).toEqual([]);
    expect(answersTo(await second.drain())).toHaveLength(1);
    expect(await second.drain()).toEqual([]);
    // Answering again by mistake is refused; the citizen still sees one answer.
    expect(await restarted.sayText(PU, `/balas ${id} ${ANSWER}`)).toMatch(/tidak perlu|berstatus/);
    expect(await second.drain()).toEqual([]);
    expect(answersTo([...first.all, ...second.all])).toHaveLength(1);
  });

  it('a failure, then a restart, then recovery: still exactly once', async () => {
    const clock = movableClock();
    const { app, id } = await forwardedCase(clock);
    const first = recordOutbox(app);
    await first.drain();
    first.senders.tg.failNext(new DeliveryError('PLATFORM_ERROR', 'Bad Gateway', false));
    await app.say(PU, `/balas ${id} ${ANSWER}`);
    await first.drain();
    // A send was in flight when the process died (row left in "sending").
    await app.db.outboxMessage.updateMany({ where: { conversationKey: CITIZEN, status: 'pending' }, data: { status: 'sending' } });
    const restarted = await app.restart();
    apps.push(restarted);
    const second = recordOutbox(restarted);
    clock.advance(OUTBOX_RETRY.baseDelayMs + 1);
    expect(answersTo(await second.drain())).toHaveLength(1);
    clock.advance(OUTBOX_RETRY.maxDelayMs);
    expect(await second.drain()).toEqual([]);
    expect(answersTo([...first.all, ...second.all])).toHaveLength(1);
    expect(await restarted.db.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
  });

  it('writes the notification in the same transaction as the change: a failed change leaves no notice', async () => {
    const clock = movableClock();
    const { app, id } = await forwardedCase(clock);
    const outbox = recordOutbox(app);
    await outbox.drain();
    const before = await app.db.outboxMessage.count();
    // The event write fails inside the transaction (e.g. disk full): the status and the outbox roll back with it.
    const realTransaction = app.db.$transaction.bind(app.db);
    (app.db as unknown as { $transaction: unknown }).$transaction = (fn: (tx: unknown) => Promise<unknown>) =>
      realTransaction(async (tx) => {
        const proxied = new Proxy(tx, {
          get(target, prop, receiver) {
            if (prop === 'caseEvent') return { create: async () => Promise.reject(Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' })) };
            return Reflect.get(target, prop, receiver);
          },
        });
        return fn(proxied);
      });
    expect(await app.sayText(PU, `/balas ${id} ${ANSWER}`)).toMatch(/gangguan/);
    (app.db as unknown as { $transaction: unknown }).$transaction = realTransaction;
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');
    expect(await app.db.outboxMessage.count()).toBe(before);
    expect(await outbox.drain()).toEqual([]);
  });
});

describe('outbox: a chat that blocks the bot', () => {
  it('skips the chat\'s other messages in the same batch once one send fails permanently', async () => {
    const app = await createTestApp();
    apps.push(app);
    await ensureCitizen(app.db, CITIZEN, 'tg', {});
    for (const text of ['satu', 'dua', 'tiga']) await enqueueNotification(app.db, { conversationKey: CITIZEN, reply: { text } });
    await enqueueNotification(app.db, { conversationKey: INSTANSI, reply: { text: 'admin' } });
    const sent: string[] = [];
    const dispatcher = new OutboxDispatcher<Reply>(app.db, createLogger('silent'));
    dispatcher.register({
      channel: 'tg',
      async send(key, reply) {
        sent.push(`${key} ${reply.text}`);
        if (key === CITIZEN) throw new DeliveryError('BLOCKED', 'blocked', true);
      },
    });
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(sent.filter((s) => s.startsWith(CITIZEN))).toHaveLength(1);
    expect(sent).toContain(`${INSTANSI} admin`);
    const rows = await app.db.outboxMessage.findMany({ where: { conversationKey: CITIZEN }, orderBy: { attempts: 'desc' } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['undeliverable', 1],
      ['undeliverable', 0],
      ['undeliverable', 0],
    ]);
  });
});
