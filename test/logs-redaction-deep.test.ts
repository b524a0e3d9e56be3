import { describe, expect, it } from 'vitest';
import { createLogger, redactLogText } from '../lib/logger.ts';
import { memoryLog } from './helpers/memory-log.ts';

// Issue 12 #9: Baileys' own warn logs carry phone numbers and LIDs at any depth (from, participant, sender,
// senderAlt, lid, pn, attrs.from); our logger masks them wherever they are, and in message strings too.
const PHONE = '6281234567890';
const LID = '98765432109876';
const PN_JID = `${PHONE}@s.whatsapp.net`;
const LID_JID = `${LID}@lid`;
const SECRETS = [PHONE, LID, '812-3456-7890', '0812 3456 7891', 'budi.santoso', '987654321'];

function logged(write: (log: ReturnType<typeof createLogger>) => void): { text: string; entries: Array<Record<string, unknown>> } {
  const mem = memoryLog();
  write(createLogger('info', mem.stream));
  return { text: mem.text(), entries: mem.entries() };
}

function expectClean(text: string) {
  for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
}

describe('deep log redaction (Baileys-shaped objects)', () => {
  it('masks identities in Baileys receive/decrypt/retry warnings at any depth, keeping the rest', () => {
    const { text, entries } = logged((log) => {
      log.warn(
        { attrs: { from: PN_JID, id: '3EB0A1B2C3D4', participant: LID_JID, type: 'text' }, tag: 'message' },
        'failed to decrypt message',
      );
      log.warn(
        {
          key: { remoteJid: PN_JID, remoteJidAlt: LID_JID, fromMe: false, id: '3EB0FFEE', participant: `${LID}:3@lid` },
          msgAttrs: { sender: `${PHONE}:12@s.whatsapp.net`, senderAlt: `${LID}:12@lid`, notify: 'Budi' },
        },
        'retry receipt',
      );
      log.info({ mapping: [{ lid: LID_JID, pn: PN_JID }, { lid: LID, pn: PHONE }] }, 'stored LID mapping');
      log.warn({ node: { tag: 'ack', attrs: { from: PN_JID }, content: [{ tag: 'participant', attrs: { jid: PN_JID, count: 2 } }] } }, 'ack');
      log.warn({ a: { b: { c: { d: { e: { f: { g: { who: `kontak ${PHONE}` } } } } } } } }, 'deep');
    });
    expectClean(text);
    expect(entries).toHaveLength(5);
    const [decrypt, retry, mapping, ack, deep] = entries as Array<Record<string, any>>;
    // What helps debugging stays: message ids, tags, types, flags, counts.
    expect(decrypt.attrs).toEqual({ from: '[redacted]', id: '3EB0A1B2C3D4', participant: '[redacted]', type: 'text' });
    expect(decrypt.msg).toBe('failed to decrypt message');
    expect(retry.msg).toBe('retry receipt');
    expect(retry.msgAttrs.sender).toBe('[redacted]');
    expect(mapping.mapping[1]).toEqual({ lid: '[redacted]', pn: '[redacted]' });
    expect(ack.node.content[0].attrs).toEqual({ jid: '[redacted]', count: 2 });
    expect(deep.a.b.c.d.e.f.g.who).toBe('kontak [phone]');
  });

  it('masks phone numbers, JIDs and e-mail addresses in message strings and format arguments', () => {
    const { text, entries } = logged((log) => {
      log.info(`sending to ${PN_JID} via wa:main:${LID_JID}`);
      log.warn('warga minta dihubungi di +62 812-3456-7890 atau 0812 3456 7891, email budi.santoso@example.com');
      log.info('session %s open for %s', PN_JID, 'tg:987654321');
      log.info({ note: 'laporan 2026-11-30 jam 08.30, RT 03 RW 05, LPR-7KQ2MX' }, 'dates stay');
    });
    expectClean(text);
    expect(entries[0].msg).toBe('sending to [jid] via [jid]');
    expect(entries[2].msg).toBe('session [jid] open for tg:[phone]');
    expect(entries[3].note).toBe('laporan 2026-11-30 jam 08.30, RT 03 RW 05, LPR-7KQ2MX');
  });

  it('masks errors (message and stack), an error logged alone, and child-logger bindings', () => {
    const { text, entries } = logged((log) => {
      log.error(new Error(`Bad MAC for ${PN_JID}`));
      log.warn({ err: Object.assign(new Error(`No session for ${PHONE}.0`), { code: 'NO_SESSION' }) }, 'decrypt failed');
      log.child({ jid: PN_JID, class: 'baileys', peer: LID_JID }).warn('child warning');
    });
    expectClean(text);
    expect(entries[0].msg).toBe('Bad MAC for [jid]');
    expect((entries[1].err as { code: string }).code).toBe('NO_SESSION');
    expect(entries[2]).toMatchObject({ class: 'baileys', jid: '[redacted]', peer: '[jid]', msg: 'child warning' });
  });

  it('is cycle-safe and leaves binary data alone', () => {
    const cyclic: Record<string, unknown> = { from: PN_JID };
    cyclic.self = cyclic;
    const { text } = logged((log) => log.warn({ cyclic, buf: Buffer.from('abc') }, 'odd object'));
    expectClean(text);
    expect(text).toContain('odd object');
  });

  it.each([
    [`${PHONE}:7@s.whatsapp.net`, '[jid]'],
    [`status@broadcast`, '[jid]'],
    [`120363000000000000@g.us`, '[jid]'],
    [`0@s.whatsapp.net`, '[jid]'],
    ['+6281234567890', '[phone]'],
    ['lapor.bot@kota.go.id', '[email]'],
  ])('redactLogText(%j)', (input, expected) => expect(redactLogText(input)).toBe(expected));
});
