import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { addTestAdmins, bringTo, fileThroughChat, type Admins } from './helpers/lifecycle.ts';

// Issue 12 #12: MAX_MESSAGE_LENGTH applies on every path, not just the intake flow's steps.
const HUGE = 'x'.repeat(60_000);
const LONG = `Mohon dicek lagi ${'jalan rusak parah '.repeat(300)}`; // over 4,000 characters

let app: TestApp;
let admins: Admins;
let trackingId: string;
const CITIZEN = 'tg:5550001';

beforeAll(async () => {
  app = await createTestApp();
  admins = await addTestAdmins(app);
  trackingId = await fileThroughChat(app, CITIZEN);
  await bringTo(app, trackingId, 'forwarded', admins);
});
afterAll(async () => {
  await app?.cleanup();
});

/** Everything a message could have written: the case (answer, notes, rejection), its events, the outbox. */
async function footprint() {
  const kase = await app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { events: true } });
  return {
    status: kase.status,
    events: kase.events.length,
    outbox: await app.db.outboxMessage.count(),
    longestNote: Math.max(0, ...kase.events.map((e) => e.note?.length ?? 0)),
  };
}

describe('over-long messages are refused politely on every path, nothing stored', () => {
  it.each([
    ['citizen: tambah <id> <60,000 characters>', CITIZEN, () => `tambah ${trackingId} ${HUGE}`],
    ['citizen: tambah <id> <4,001+ characters>', CITIZEN, () => `tambah ${trackingId} ${LONG}`],
    ['admin penghubung: /balas', 'tg:9003', () => `/balas ${trackingId} ${LONG}`],
    ['admin penghubung: /kembalikan', 'tg:9003', () => `/kembalikan ${trackingId} ${LONG}`],
    ['admin penghubung: /catatan', 'tg:9003', () => `/catatan ${trackingId} ${HUGE}`],
    ['admin instansi: /tolak', 'tg:9001', () => `/tolak ${trackingId} ${LONG}`],
    ['admin instansi: /admin tambah with a huge name', 'tg:9001', () => `/admin tambah instansi tg:777 ${HUGE}`],
  ])('%s', async (_name, key, message) => {
    const before = await footprint();
    const admins = await app.db.admin.count();
    const reply = await app.sayText(key, message());
    expect(reply).toMatch(/terlalu panjang \(maksimal 4000 karakter\)/);
    expect(await footprint()).toEqual(before);
    expect(await app.db.admin.count()).toBe(admins);
  });

  it('a photo with an over-long caption is refused whole: neither the caption nor the photo joins the report', async () => {
    const key = 'tg:5550002';
    await app.say(key, 'Lampu penerangan jalan mati total di Jl. Kawi, sudah seminggu gelap sekali');
    await app.say(key, 'Jl. Kawi 5');
    const before = await app.db.conversation.findUniqueOrThrow({ where: { key } });
    const reply = await app.sayText(key, { text: LONG, attachments: [{ kind: 'photo', path: 'attachments/x.jpg', mime: 'image/jpeg', size: 10 }] });
    expect(reply).toMatch(/terlalu panjang/);
    const after = await app.db.conversation.findUniqueOrThrow({ where: { key } });
    expect(after.state).toEqual(before.state);
  });

  it('the same commands at a normal length still work (the limit is what refused them)', async () => {
    const reply = await app.sayText('tg:9003', `/catatan ${trackingId} Sudah dijadwalkan minggu depan`);
    expect(reply).not.toMatch(/terlalu panjang/);
    const kase = await app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { events: true } });
    expect(kase.events.some((e) => e.note === 'Sudah dijadwalkan minggu depan')).toBe(true);
  });
});
