import { describe, expect, it } from 'vitest';
import { useFakeWhatsApp, textContent, waMessage } from './helpers/fake-whatsapp.ts';
import { resolveCitizenJid } from '../bot/whatsapp/normalize-jid.ts';

const PN = '6281234567890@s.whatsapp.net';
const LID = '123456789012345@lid';
const COMPLAINT = 'Sampah menumpuk di pinggir Jl. Bendungan Sutami sudah seminggu tidak diangkut petugas';

const setup = useFakeWhatsApp();

const noMapping = { getPNForLID: async () => null };
const mapping = { getPNForLID: async (lid: string) => (lid === LID ? '6281234567890:0@s.whatsapp.net' : null) };

describe('LID and phone-number JIDs', () => {
  it.each([
    ['phone-number JID', { remoteJid: PN }, noMapping, PN],
    ['phone-number JID with a device suffix', { remoteJid: '6281234567890:12@s.whatsapp.net' }, noMapping, PN],
    ['phone-number JID with its LID as alt', { remoteJid: PN, remoteJidAlt: LID }, noMapping, PN],
    ['LID with the phone number as alt', { remoteJid: LID, remoteJidAlt: PN }, noMapping, PN],
    ['LID with a device, phone number as alt', { remoteJid: '123456789012345:3@lid', remoteJidAlt: '6281234567890:3@s.whatsapp.net' }, noMapping, PN],
    ['LID known to the lid-mapping store', { remoteJid: LID }, mapping, PN],
    ['LID nobody has mapped yet', { remoteJid: LID }, noMapping, LID],
  ] as const)('%s', async (_name, key, lookup, expected) => {
    expect((await resolveCitizenJid(key, lookup))?.jid).toBe(expected);
  });

  it('keeps one conversation for one person, whichever JID WhatsApp uses', async () => {
    const { app, wa } = await setup();
    wa.socket().lidToPn.set(LID, '6281234567890:0@s.whatsapp.net');

    await wa.send(waMessage(PN, textContent(COMPLAINT), { alt: LID }));
    // Next message addressed by LID with the phone number alongside…
    const afterLocation = (await wa.send(waMessage(LID, textContent('Jl. Bendungan Sutami depan pasar'), { alt: PN }))).join('\n');
    expect(afterLocation).toMatch(/foto/i);
    // …and one by LID alone, resolved through Baileys' LID mapping store.
    const afterPhoto = (await wa.send(waMessage(LID, textContent('lewati')))).join('\n');
    expect(afterPhoto).toMatch(/kerahasiaan/i);

    const conversations = await app.db.conversation.findMany({ select: { key: true } });
    expect(conversations.map((c) => c.key)).toEqual([`wa:main:${PN}`]);
    // Replies all went to the phone-number JID, the one the conversation key names.
    expect(new Set(wa.socket().sent.map((s) => s.jid))).toEqual(new Set([PN]));
  });
});
