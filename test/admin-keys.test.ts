import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { fileThroughChat, recordOutbox } from './helpers/lifecycle.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { enqueueNotification } from '../cases/notify.ts';
import { removeAdmin } from '../db/admins.ts';
import { errorCode } from '../lib/errors.ts';

// Issue 12 #1 (admin keys checked when added: this bot's WhatsApp account, private chats only) and #11 (a removed
// admin's queued alerts, which may carry reporters' names, are dropped).

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.reverse()) await app.cleanup().catch(() => undefined);
  apps = [];
});

async function newApp(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await createTestApp({ env });
  apps.push(app);
  return app;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (err: unknown) => errorCode(err));

describe('admin keys are checked when an admin is added', () => {
  it('refuses another WhatsApp account, groups, broadcast lists, channels and Telegram groups, with typed errors', async () => {
    const app = await newApp();
    const add = (conversationKey: string, whatsappAccount = 'main') =>
      refusal(addAdmin(app.db, { role: 'penghubung', opdCode: 'DLH', name: 'Dewi', conversationKey }, { whatsappAccount }));

    // The example docs/admin.md used to show: the account part is a phone number, not WHATSAPP_ACCOUNT.
    expect(await add('wa:6281100000000:6281234567890@s.whatsapp.net')).toBe('ADMIN_KEY_OTHER_ACCOUNT');
    expect(await add('wa:main:6281234567890@s.whatsapp.net', 'kota')).toBe('ADMIN_KEY_OTHER_ACCOUNT');
    expect(await add('wa:main:120363025246125486@g.us')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('wa:main:status@broadcast')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('wa:main:120363144038483540@newsletter')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('wa:main:0@s.whatsapp.net')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('tg:-1001234567890')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('tg:-4567')).toBe('ADMIN_KEY_NOT_PRIVATE');
    expect(await add('tg:budi')).toBe('ADMIN_KEY_INVALID');
    expect(await add('api:kota:client')).toBe('ADMIN_KEY_INVALID');
    expect(await add('sms:0812')).toBe('ADMIN_KEY_INVALID');
    expect(await app.db.admin.count()).toBe(0);

    expect(await add('wa:main:6281234567890@s.whatsapp.net')).toBe('accepted');
    expect(await add('wa:main:208342176194616@lid')).toBe('accepted');
    expect(await add('wa:kota:6281234567891@s.whatsapp.net', 'kota')).toBe('accepted');
    expect(await add('tg:123456789')).toBe('accepted');
    expect(await add('term:dewi')).toBe('accepted');
    expect(await app.db.admin.count()).toBe(5);
  });

  it('/admin tambah answers a wrong key politely, with this bot\'s WHATSAPP_ACCOUNT, and adds nobody', async () => {
    const app = await newApp({ WHATSAPP_ACCOUNT: 'kota' });
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: 'tg:9001' });
    const otherAccount = await app.sayText('tg:9001', '/admin tambah penghubung DLH wa:main:6281234567890@s.whatsapp.net Dewi DLH');
    expect(otherAccount).toMatch(/akun lain/);
    const group = await app.sayText('tg:9001', '/admin tambah penghubung DLH tg:-1001234567890 Grup DLH');
    expect(group).toMatch(/chat pribadi/);
    expect(await app.db.admin.count({ where: { removedAt: null } })).toBe(1);
    expect(await app.sayText('tg:9001', '/admin tambah penghubung DLH wa:kota:6281234567890@s.whatsapp.net Dewi DLH')).toMatch(/ditambahkan/);
  });
});

describe('removing an admin drops what is still queued for them', () => {
  it('alerts queued before the removal never go out; the same chat\'s own citizen notices still do', async () => {
    const app = await newApp();
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: 'tg:9001' });
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari PU', conversationKey: 'tg:9003' });
    const outbox = recordOutbox(app);
    const id = await fileThroughChat(app, 'tg:5001', { name: 'Rudi Hartono' });
    await outbox.drain();
    // Forwarded: the OPD's admin gets an alert with the case (and the reporter's name on a non-anonymous case).
    await app.say('tg:9001', `/teruskan ${id} DPUPRPKP`);
    // The same person also reported something as a citizen: that notice is theirs, not the admin role's.
    await enqueueNotification(app.db, { conversationKey: 'tg:9003', reply: { text: 'Laporan Anda sudah kami terima.' } });
    const queuedAlerts = await app.db.outboxMessage.count({ where: { conversationKey: 'tg:9003', status: 'pending', adminId: { not: null } } });
    expect(queuedAlerts).toBeGreaterThan(0);

    expect(await app.sayText('tg:9001', '/admin hapus tg:9003')).toMatch(/dihapus/);
    const delivered = await outbox.drain();
    const toSari = delivered.filter((d) => d.key === 'tg:9003').map((d) => d.reply.text);
    expect(toSari).toEqual(['Laporan Anda sudah kami terima.']);
    expect(delivered.some((d) => d.reply.text.includes(id) && d.key === 'tg:9003')).toBe(false);
  });

  it('drops daily reminders and summaries too (removeAdmin, as npm run admin -- remove does)', async () => {
    const app = await newApp();
    await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: 'tg:9001' });
    const sari = await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari PU', conversationKey: 'tg:9003' });
    await enqueueNotification(app.db, { conversationKey: 'tg:9003', adminId: sari.id, dedupeKey: `summary:${sari.id}:2026-11-30`, reply: { text: 'Ringkasan' } });
    await removeAdmin(app.db, 'tg:9003', new Date());
    expect(await app.db.outboxMessage.count({ where: { conversationKey: 'tg:9003' } })).toBe(0);
  });
});
