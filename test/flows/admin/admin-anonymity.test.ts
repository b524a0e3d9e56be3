import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { fileThroughChat, recordOutbox, text } from '../../helpers/lifecycle.ts';
import { addAdmin } from '../../../cases/manage-admins.ts';

const CITIZEN = 'tg:5550123';
const NAME = 'Ani Wijaya';
const PHONE = '6281234567890';
const INSTANSI = 'tg:9001';
const PU = 'tg:9003';
/** Everything that identifies the reporter: name parts, phone, chat id, conversation key. */
const IDENTITY = ['Ani', 'Wijaya', PHONE, '5550123', CITIZEN];

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

function expectNoIdentity(label: string, content: string) {
  for (const secret of IDENTITY) expect(content, `${label} leaks "${secret}"`).not.toContain(secret);
}

async function setup(privacy: '1' | '2') {
  app = await createTestApp();
  const outbox = recordOutbox(app);
  await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
  await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari', conversationKey: PU });
  const photo = { kind: 'photo' as const, path: 'photos/test.jpg', mime: 'image/jpeg', size: 10 };
  // The citizen sends the complaint with a photo, on Telegram, with a name and phone the platform gave us.
  const id = await fileThroughChat(app, CITIZEN, { privacy, name: NAME, phone: PHONE });
  await app.db.attachment.create({ data: { id: 'att-1', caseId: (await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).id, kind: 'photo', path: photo.path } });
  return { outbox, id };
}

describe('anonymity: an OPD admin never sees who reported an anonymous case', () => {
  it('hides the reporter from the OPD in /inbox, /kasus and every notification through the whole lifecycle', async () => {
    const { outbox, id } = await setup('2');
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    const opdViews: string[] = [];
    opdViews.push(await app!.sayText(PU, '/inbox'));
    const kasus = await app!.say(PU, `/kasus ${id}`);
    expect(kasus.some((r) => r.image?.path === 'photos/test.jpg')).toBe(true);
    opdViews.push(text(kasus));
    expect(opdViews[1]).toContain('Anonim (identitas dirahasiakan)');
    await app!.say(CITIZEN, `tambah ${id} saya tinggal di gang sebelah`);
    await app!.say(PU, `/balas ${id} Sudah ditambal`);
    await app!.say(CITIZEN, 'belum, masih ada lubang kecil di tepi');
    await app!.say(PU, `/catatan ${id} cek lagi besok`);
    opdViews.push(text(await app!.say(PU, `/kasus ${id}`)));
    await outbox.drain();
    const toOpd = outbox.all.filter((d) => d.key === PU);
    expect(toOpd.map((d) => [...d.reply.text][0])).toEqual(['📨', '➕', '🔁']);
    for (const view of opdViews) expectNoIdentity('OPD view', view);
    for (const notice of toOpd) expectNoIdentity('OPD notification', JSON.stringify(notice.reply));
    // The control: the admin instansi does see who it is (so the checks above can fail).
    const instansiView = await app!.sayText(INSTANSI, `/kasus ${id}`);
    expect(instansiView).toContain(NAME);
    expect(instansiView).toContain(PHONE);
    expect(instansiView).toContain('ANONIM, jangan diteruskan ke OPD');
  });

  it('on a normal case the OPD sees the name but never the phone or chat id', async () => {
    const { outbox, id } = await setup('1');
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    const view = await app!.sayText(PU, `/kasus ${id}`);
    expect(view).toContain(`Pelapor: ${NAME}`);
    expect(view).not.toContain(PHONE);
    expect(view).not.toContain(CITIZEN);
    await outbox.drain();
    for (const notice of outbox.all.filter((d) => d.key === PU)) {
      expect(JSON.stringify(notice.reply)).not.toContain(PHONE);
      expect(JSON.stringify(notice.reply)).not.toContain(CITIZEN);
    }
  });

  it('internal notes never reach the citizen', async () => {
    const { outbox, id } = await setup('1');
    const note = 'Pelapor ini sering komplain, prioritas rendah';
    await app!.say(INSTANSI, `/catatan ${id} ${note}`);
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    await app!.say(PU, `/catatan ${id} ${note}`);
    await app!.say(PU, `/balas ${id} Sudah ditambal`);
    await outbox.drain();
    const event = await app!.db.caseEvent.findFirstOrThrow({ where: { action: 'noted' } });
    expect(event.internal).toBe(true);
    expect(await app!.sayText(INSTANSI, `/kasus ${id}`)).toContain(note);
    for (const notice of outbox.all.filter((d) => d.key === CITIZEN)) expect(notice.reply.text).not.toContain(note);
    expect(await app!.sayText(CITIZEN, `cek ${id}`)).not.toContain(note);
  });
});
