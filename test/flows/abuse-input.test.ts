import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../flows/clean-text.ts';
import { citizenStateSchema } from '../../flows/citizen/citizen-state-schema.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import type { InboundMessage } from '../../flows/types.ts';

// No place in it, so the flow asks for the location (a place named in the complaint is used without asking).
const COMPLAINT = 'Jalan berlubang besar, sudah dua minggu, bahaya untuk motor yang lewat';
const UNKNOWN_COMMAND = 'Perintah itu tidak saya kenal';

let app: TestApp;
let seq = 0;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.cleanup();
});

const freshKey = () => `tg:${900000 + ++seq}`;

async function stateOf(key: string) {
  const row = await app.db.conversation.findUnique({ where: { key } });
  return row?.state as { step: string; draft?: { description?: string; locationText?: string } } | undefined;
}

async function expectValidState(key: string) {
  const state = await stateOf(key);
  if (state) expect(citizenStateSchema.safeParse(state).error?.issues ?? []).toEqual([]);
}

/** A citizen at the location step, with the complaint taken. */
async function atLocationStep(): Promise<string> {
  const key = freshKey();
  await app.say(key, COMPLAINT);
  expect((await stateOf(key))?.step).toBe('location');
  return key;
}

async function fileWith(key: string, description: string, location = 'Jl. Sumbersari 10'): Promise<string> {
  await app.say(key, '1'); // menu: "Buat laporan"
  await app.say(key, description);
  await app.say(key, location);
  await app.say(key, 'lewati');
  await app.say(key, '1');
  const filed = await app.sayText(key, 'ya');
  const trackingId = /LPR-[2-9A-Z]{6}/.exec(filed)?.[0];
  expect(trackingId, filed).toBeDefined();
  return trackingId!;
}

describe('hostile text is stored verbatim (or cleaned), never executed, never crashes the flow', () => {
  const cases: Array<{ name: string; description: string; stored: string }> = [
    {
      name: 'SQL injection in the description',
      description: `Robert'); DROP TABLE "Case"; -- jalan rusak parah sekali di sini`,
      stored: `Robert'); DROP TABLE "Case"; -- jalan rusak parah sekali di sini`,
    },
    {
      name: 'SQL-looking quotes and comments',
      description: `' OR '1'='1' /* jalan */ UNION SELECT * FROM "Citizen" -- rusak parah`,
      stored: `' OR '1'='1' /* jalan */ UNION SELECT * FROM "Citizen" -- rusak parah`,
    },
    {
      name: 'NUL bytes and terminal escapes (removed)',
      description: 'Jalan\u0000 rusak\u0007 parah \u001b[31mdi depan\u001b[0m rumah saya',
      stored: 'Jalan rusak parah [31mdi depan[0m rumah saya',
    },
    {
      name: 'lone surrogates (invalid UTF-16 from a broken client) become U+FFFD',
      description: 'Jalan rusak \uD800 parah sekali \uDFFF di depan rumah',
      stored: 'Jalan rusak \uFFFD parah sekali \uFFFD di depan rumah',
    },
    {
      name: 'U+FFFD sent as is (a client that already replaced bad bytes) is kept',
      description: 'Jalan rusak \uFFFD\uFFFD parah sekali di depan rumah',
      stored: 'Jalan rusak \uFFFD\uFFFD parah sekali di depan rumah',
    },
    {
      name: 'bidi override (text that displays reversed) removed',
      description: 'Jalan rusak parah \u202Eadanib\u202C di depan rumah saya',
      stored: 'Jalan rusak parah adanib di depan rumah saya',
    },
    {
      name: 'invisible characters (zero-width, LRM/RLM, ALM, BOM, word joiner, invisible operators, tags) removed',
      description:
        'Ja\u200Blan\u200C ru\u200Dsak\u200E pa\u200Frah\u061C di\uFEFF de\u2060pan\u2061 ru\u2062mah\u2063 sa\u2064ya' +
        '\u{E0001}\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}\u{E007F} ok',
      stored: 'Jalan rusak parah di depan rumah saya ok',
    },
    {
      name: 'emoji, combining marks and Javanese script survive',
      description: 'Dalan rusak 🚧🕳️ parah, ꦗꦭꦤ꧀ ꦫꦸꦱꦏ꧀, café e\u0301 ok',
      stored: 'Dalan rusak 🚧🕳️ parah, ꦗꦭꦤ꧀ ꦫꦸꦱꦏ꧀, café e\u0301 ok',
    },
  ];

  it.each(cases)('$name', async ({ description, stored }) => {
    const key = freshKey();
    const trackingId = await fileWith(key, description);
    const saved = await app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect(saved.description).toBe(stored);
    await expectValidState(key);
    // The tables are all still there and queryable.
    expect(await app.db.citizen.count()).toBeGreaterThan(0);
    expect(await app.db.case.count()).toBeGreaterThan(0);
  });

  it('a SQL-looking tracking id is just an invalid id', async () => {
    const key = freshKey();
    const reply = await app.sayText(key, `cek '||'1'='1`);
    expect(reply).toContain('Nomor laporan itu tidak dikenali');
    const other = await app.sayText(key, `cek LPR-'||'`);
    expect(other).toContain('Nomor laporan itu tidak dikenali');
  });

  it('cleanText strips every invisible character of U+200B–U+200F, U+061C, U+FEFF, U+2060–U+2064 and U+E0000–U+E007F', () => {
    const invisible = [
      ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
      0x061c,
      0xfeff,
      ...Array.from({ length: 5 }, (_, i) => 0x2060 + i),
      ...Array.from({ length: 0x80 }, (_, i) => 0xe0000 + i),
    ];
    for (const cp of invisible) expect(cleanText(`a${String.fromCodePoint(cp)}b`), cp.toString(16)).toBe('ab');
    // Neighbours outside the ranges stay (a non-breaking hyphen, a private-use character next to the tags).
    expect(cleanText('a\u2011b\u{E0080}c')).toBe('a\u2011b\u{E0080}c');
  });

  it('cleanText leaves ordinary text (newlines, tabs, Indonesian punctuation) alone', () => {
    const text = 'Baris satu\nBaris dua\tdengan tab, “kutipan” — dan Rp10.000,-';
    expect(cleanText(text)).toBe(text);
  });
});

describe('size limits', () => {
  it('a very long single word under the cap is taken and survives the round trip', async () => {
    const key = freshKey();
    const word = `Jalan${'rusak'.repeat(790)}`; // 3955 characters, no spaces
    const trackingId = await fileWith(key, word, `Jl.${'x'.repeat(3000)}`);
    const saved = await app.db.case.findUniqueOrThrow({ where: { trackingId } });
    expect(saved.description).toBe(word);
    await expectValidState(key);
  });

  it.each([
    { name: 'a long word', text: 'a'.repeat(4001) },
    { name: 'a long sentence', text: 'jalan rusak '.repeat(400) },
    { name: 'a long word of emoji', text: '🕳️'.repeat(2000) },
  ])('over MAX_MESSAGE_LENGTH ($name): polite reply, nothing changes', async ({ text }) => {
    const key = await atLocationStep();
    const before = await app.db.conversation.findUniqueOrThrow({ where: { key } });
    const reply = await app.sayText(key, text);
    expect(reply).toMatch(/terlalu panjang/);
    const after = await app.db.conversation.findUniqueOrThrow({ where: { key } });
    expect(after.state).toEqual(before.state);
  });

  it('a huge tracking id after "cek" is rejected without a lookup', async () => {
    const reply = await app.sayText(freshKey(), `cek ${'A'.repeat(3000)}`);
    expect(reply).toContain('Nomor laporan itu tidak dikenali');
    expect(reply).not.toContain('AAAAAAA');
  });
});

describe('unsupported media', () => {
  it.each(['sticker', 'voice', 'video', 'document', 'poll', 'contact', 'something-new'])(
    '%s: answered politely, the question is asked again, the report is kept',
    async (unsupported) => {
      const key = await atLocationStep();
      const reply = await app.sayText(key, { unsupported } as Partial<InboundMessage>);
      expect(reply).toMatch(/Maaf, .* belum bisa saya proses/);
      expect(reply).toMatch(/lokasi|alamat/i);
      const state = await stateOf(key);
      expect(state?.step).toBe('location');
      expect(state?.draft?.description).toBe(COMPLAINT);
    },
  );
});

describe('admin command spoofing by a citizen', () => {
  const commands = (id: string) => [
    `/verifikasi ${id}`,
    `/teruskan ${id} DPUPRPKP`,
    `/tolak ${id} spam`,
    `/jawab ${id} sudah diperbaiki`,
    `/tutup ${id}`,
    `/alihkan ${id} DLH`,
    `/admin`,
    `/admin tambah 628111`,
    `/kasus`,
    `/tugas`,
    `/laporan_masuk`,
    `/verifikasi@lapor_bot ${id}`,
  ];

  it('every admin command gets the unknown-command reply and changes nothing', async () => {
    const reporter = freshKey();
    const trackingId = await fileWith(reporter, COMPLAINT);
    const before = await app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { events: true } });
    const outboxBefore = await app.db.outboxMessage.count();
    for (const spoofer of [reporter, freshKey()]) {
      for (const command of commands(trackingId)) {
        const reply = await app.sayText(spoofer, command);
        expect(reply, command).toContain(UNKNOWN_COMMAND);
      }
    }
    const after = await app.db.case.findUniqueOrThrow({ where: { trackingId }, include: { events: true } });
    expect(after.status).toBe(before.status);
    expect(after.opdCode).toBe(before.opdCode);
    expect(after.events).toHaveLength(before.events.length);
    expect(await app.db.outboxMessage.count()).toBe(outboxBefore);
    expect(await app.db.admin.count()).toBe(0);
  });

  it('a spoofed command in the middle of a report leaves the report where it was', async () => {
    const key = await atLocationStep();
    const reply = await app.sayText(key, '/verifikasi LPR-ABCDEF');
    expect(reply).toContain(UNKNOWN_COMMAND);
    expect((await stateOf(key))?.step).toBe('location');
  });
});

describe('empty-looking input', () => {
  it.each([
    { name: 'whitespace only', text: '   \n\t  ' },
    { name: 'zero-width characters only', text: '\u200B\u200C\u200D\uFEFF' },
    { name: 'control characters only', text: '\u0000\u0001\u0002' },
    { name: 'punctuation only', text: '?!?!...' },
  ])('$name at the location step: re-asked, report kept', async ({ text }) => {
    const key = await atLocationStep();
    const reply = await app.sayText(key, text);
    expect(reply.length).toBeGreaterThan(0);
    const state = await stateOf(key);
    expect(state?.step).toBe('location');
    expect(state?.draft?.description).toBe(COMPLAINT);
  });

  it('a hostile sender name (controls, huge) does not break filing', async () => {
    const key = freshKey();
    const sender = { id: key, name: `Budi\u0000\u001b[2J${'x'.repeat(5000)}`, phone: "'; DELETE FROM \"Case\"; --" };
    for (const text of [COMPLAINT, 'Jl. Sumbersari 10', 'lewati', '1']) await app.say(key, { text, sender });
    expect(await app.sayText(key, { text: 'ya', sender })).toMatch(/LPR-/);
    const identity = await app.db.channelIdentity.findUniqueOrThrow({ where: { conversationKey: key } });
    expect(identity.displayName).not.toContain('\u0000');
    expect(identity.phone).toBe(sender.phone);
  });
});
