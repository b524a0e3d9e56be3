import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { imageContent, textContent, useFakeWhatsApp, waMessage } from './helpers/fake-whatsapp.ts';

const CITIZEN = '6281234567891@s.whatsapp.net';
const setup = useFakeWhatsApp();

function storedFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.db') && !e.name.includes('.db-')).map((e) => path.join(e.parentPath, e.name));
}

describe('WhatsApp: only people in private chats are conversations (issue 12 #2)', () => {
  it('ignores bots, calls, the server JID, groups and broadcast lists: no answer, nothing kept', async () => {
    const { app, wa } = await setup();
    const ignored = [
      waMessage('13135550002@bot', textContent('Halo dari Meta AI')),
      waMessage('867051314767696@bot', textContent('halo')),
      waMessage('6281234567891@call', textContent('panggilan')),
      waMessage('0@s.whatsapp.net', textContent('pemberitahuan sistem')),
      waMessage('120363025246125486@g.us', textContent('Jalan berlubang di depan SDN Sumbersari 2')),
      waMessage('1690000000@broadcast', textContent('siaran')),
      waMessage('status@broadcast', textContent('status')),
    ];
    for (const message of ignored) expect(await wa.send(message)).toEqual([]);
    expect(await app.db.conversation.count()).toBe(0);
    expect(await app.db.processedMessage.count()).toBe(0);
  });

  it('keeps nothing of view-once media (neither the photo nor its caption) and asks for a normal photo', async () => {
    const { app, wa } = await setup();
    const before = storedFiles(app.dir);
    const viewOnce = { viewOnceMessageV2: { message: imageContent('rumah saya di Jl. Kawi 5') } };
    const replies = await wa.send(waMessage(CITIZEN, viewOnce));
    expect(replies.join('\n')).toMatch(/Maaf/);
    expect(storedFiles(app.dir)).toEqual(before);
    expect(await app.db.attachment.count()).toBe(0);
    const state = JSON.stringify((await app.db.conversation.findMany()).map((c) => c.state));
    expect(state).not.toContain('Jl. Kawi');
  });
});

describe('WhatsApp: a message is never dropped in silence (issue 12 #3)', () => {
  it('with the database busy the citizen is asked to send it again', { timeout: 60_000 }, async () => {
    const { app, wa } = await setup();
    const other = new Database(app.databaseUrl.replace(/^file:/, ''));
    other.exec('BEGIN IMMEDIATE');
    let replies: string[];
    try {
      replies = await wa.send(waMessage(CITIZEN, textContent('halo')));
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(replies.join("\n")).toMatch(/kirim (ulang|lagi)/);
    expect((await wa.send(waMessage(CITIZEN, textContent('halo')))).join('\n')).toContain('Kota Malang');
  });
});

describe('WhatsApp: the sent-message cache is a bounded LRU (issue 12 #14)', () => {
  it('past the cache size every send still succeeds and nothing delivered is queued again', { timeout: 120_000 }, async () => {
    const { app, wa } = await setup();
    // One more than the cache holds: node-cache threw ECACHEFULL here, after the message had gone out.
    for (let i = 0; i < 5_001; i++) await wa.channel.sender.send(`wa:main:${CITIZEN}`, { text: `pesan ${i}` });
    expect(wa.socket().sent).toHaveLength(5_001);
    const replies = await wa.send(waMessage(CITIZEN, textContent('halo')));
    expect(replies.join('\n')).toContain('Kota Malang');
    expect(await app.db.outboxMessage.count()).toBe(0);
  });
});

describe('WhatsApp: only a quoted bot message about one case answers it (issue 12 #4)', () => {
  it('quoting the alert answers the case; quoting /inbox does not', { timeout: 60_000 }, async () => {
    const { app, wa } = await setup();
    const PU = '6281100000003@s.whatsapp.net';
    const { addAdmin } = await import('../cases/manage-admins.ts');
    const { addTestAdmins, bringTo, fileFixtureCase } = await import('./helpers/lifecycle.ts');
    const admins = await addTestAdmins(app);
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari PU (WA)', conversationKey: `wa:main:${PU}` });
    const id = await fileFixtureCase(app, { key: `wa:main:${CITIZEN}` });
    await bringTo(app, id, 'forwarded', admins);
    await app.outbox.drainOnce();
    const alert = wa.socket().sent.findIndex((m) => m.jid === PU && m.text.includes(id));
    expect(alert).toBeGreaterThanOrEqual(0);
    const alertId = `BOT${alert + 1}`;
    const quoting = (text: string, stanzaId: string) => ({ extendedTextMessage: { text, contextInfo: { stanzaId, participant: '6281100000000@s.whatsapp.net' } } });

    await wa.send(waMessage(PU, textContent('/inbox')));
    const inboxId = `BOT${wa.socket().sent.length}`;
    expect(wa.socket().sent.at(-1)!.text).toContain(id);
    await wa.send(waMessage(PU, quoting('ok nanti saya cek dulu ya', inboxId)));
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');

    const confirm = await wa.send(waMessage(PU, quoting('Lubang sudah kami tambal hari ini', alertId)));
    expect(confirm.join('\n')).toContain(`Tanggapan untuk ${id} dikirim ke pelapor`);
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('answered');
  });
});
