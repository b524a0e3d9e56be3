import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { addTestAdmins, bringTo, fileFixtureCase } from './helpers/lifecycle.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

describe('/inbox', () => {
  it('puts overdue cases first, then the nearest deadline, and marks low-confidence classifications', async () => {
    app = await createTestApp();
    const admins = await addTestAdmins(app);
    const later = await fileFixtureCase(app);
    const overdue = await fileFixtureCase(app);
    const unsure = await fileFixtureCase(app, {
      draft: { classification: { reportKind: 'pengaduan', categoryCode: 'SAMPAH', opdCode: 'DLH', confidence: 0.2, reason: 'x', classifier: 'test', latencyMs: 1 } },
    });
    const day = 24 * 3600_000;
    await app.db.case.update({ where: { trackingId: later }, data: { verifyDueAt: new Date(Date.now() + 3 * day) } });
    await app.db.case.update({ where: { trackingId: overdue }, data: { verifyDueAt: new Date(Date.now() - day) } });
    await app.db.case.update({ where: { trackingId: unsure }, data: { verifyDueAt: new Date(Date.now() + day) } });
    const inbox = await app.sayText('tg:9001', '/inbox');
    const order = [overdue, unsure, later].map((id) => inbox.indexOf(id));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(inbox).toMatch(new RegExp(`⏰ ${overdue}.*LEWAT`));
    expect(inbox).toMatch(new RegExp(`${unsure}.*klasifikasi ragu`));

    // The OPD sees its forwarded and reopened cases only.
    await bringTo(app, later, 'forwarded', admins);
    const pu = await app.sayText('tg:9003', '/inbox');
    expect(pu).toContain(later);
    expect(pu).not.toContain(overdue);
    expect(await app.sayText('tg:9002', '/inbox')).toContain('Antrean kosong');
  });
});

describe('admins on the terminal channel (npm run chat -- --as <identity>)', () => {
  it('term:<identity> works as an admin key, with notifications printed', async () => {
    const { Readable, PassThrough } = await import('node:stream');
    const { createTerminalChannel } = await import('../bot/terminal/terminal-channel.ts');
    const { startChannels } = await import('../bot/start-channels.ts');
    const { addAdmin } = await import('../cases/manage-admins.ts');
    app = await createTestApp();
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: 'term:budi' });
    const id = await fileFixtureCase(app);
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += String(chunk)));
    const terminal = createTerminalChannel(app, { identity: 'budi', input: Readable.from([`/kasus ${id}\n`, `/teruskan ${id}\n`]), output });
    const running = await startChannels(app, [terminal]);
    await running.ended;
    expect(printed).toContain('[notifikasi]\n🆕 Laporan baru');
    expect(printed).toContain(`📄 Laporan ${id}`);
    expect(printed).toContain(`✅ ${id} diteruskan`);
  });
});
