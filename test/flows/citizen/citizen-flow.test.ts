import { describe, expect, it } from 'vitest';
import { initialCitizenState, stepCitizen } from '../../../flows/citizen/citizen-flow.ts';
import type { CitizenState, Effect, FlowContext, FlowEvent, InboundMessage, Reply } from '../../../flows/types.ts';
import { loadCityProfile } from '../../../lib/city-profile.ts';
import { KeywordClassifier } from '../../../nlp/keyword-classifier.ts';

const profile = loadCityProfile('malang');
const keyword = new KeywordClassifier(profile);
const COMPLAINT = 'Sampah menumpuk di TPS dekat pasar sudah seminggu tidak diangkut, baunya sampai ke rumah warga';

// --- fixture factories -------------------------------------------------------------------------------------
const ctx = (overrides: Partial<FlowContext> = {}): FlowContext => ({
  profile,
  maxMessageLength: 4000,
  conversationKey: 'term:test',
  now: new Date('2026-11-23T03:00:00Z'),
  ...overrides,
});
const state = (overrides: Partial<CitizenState> = {}): CitizenState => ({ ...initialCitizenState(), ...overrides });
const msg = (input: string | Partial<InboundMessage> = {}): InboundMessage => ({
  key: 'term:test',
  channel: 'term',
  messageId: Math.random().toString(36).slice(2),
  sender: { id: 'test' },
  ...(typeof input === 'string' ? { text: input } : input),
});
const photo = (path = 'attachments/x.jpg') => msg({ attachments: [{ kind: 'photo', path, size: 10 }] });

interface Turn {
  state: CitizenState;
  replies: Reply[];
  effects: Effect[];
  text: string;
}

/** Runs one message through the pure flow, simulating effect results the way the engine would. */
function send(s: CitizenState, input: string | InboundMessage, c: FlowContext = ctx()): Turn {
  let result = stepCitizen(s, { kind: 'message', message: typeof input === 'string' ? msg(input) : input }, c);
  const replies = [...result.replies];
  const effects = [...result.effects];
  for (let i = 0; i < 5 && result.effects.length > 0; i++) {
    const events: FlowEvent[] = [];
    for (const effect of result.effects) {
      if (effect.type === 'classify') events.push({ kind: 'classified', classification: keyword.classifySync({ text: effect.text }) });
      if (effect.type === 'fileCase') events.push({ kind: 'filed', trackingId: 'LPR-TEST23' });
    }
    if (events.length === 0) break;
    let next = result;
    for (const event of events) {
      next = stepCitizen(next.state, event, c);
      replies.push(...next.replies);
      effects.push(...next.effects);
    }
    result = next;
  }
  return { state: result.state, replies, effects, text: replies.map((r) => [r.text, ...(r.choices ?? []).map((x) => x.label)].join('\n')).join('\n') };
}

function run(inputs: Array<string | InboundMessage>, start: CitizenState = state()): Turn {
  let turn: Turn = { state: start, replies: [], effects: [], text: '' };
  for (const input of inputs) turn = send(turn.state, input);
  return turn;
}

const toConfirm = [COMPLAINT, 'Jl. Sumbersari No. 10, Lowokwaru', 'lewati', '1'];

describe('citizen intake flow: the happy path, step by step', () => {
  it.each([
    { name: 'a first message that is a complaint starts a report directly', inputs: [COMPLAINT], step: 'location', expect: /lokasinya/ },
    { name: 'a greeting shows the numbered menu', inputs: ['halo'], step: 'menu', expect: /1.*Buat laporan|Buat laporan/s },
    { name: 'menu 1 asks for the description', inputs: ['halo', '1'], step: 'description', expect: /ceritakan masalahnya/i },
    { name: 'menu words work too', inputs: ['halo', 'buat laporan'], step: 'description', expect: /ceritakan/i },
    { name: 'description then location', inputs: ['halo', '1', COMPLAINT], step: 'location', expect: /lokasinya/ },
    { name: 'an address recognises the kelurahan and kecamatan', inputs: [COMPLAINT, 'Jl. Sumbersari No. 10, Lowokwaru'], step: 'photo', expect: /Kel\. Sumbersari, Kec\. Lowokwaru/ },
    { name: 'photo can be skipped', inputs: [COMPLAINT, 'Jl. Bandung 5', 'lewati'], step: 'privacy', expect: /1.*Biasa|Biasa/s },
    { name: 'a photo is kept', inputs: [COMPLAINT, 'Jl. Bandung 5', photo()], step: 'privacy', expect: /Foto diterima \(1\)/ },
    { name: 'privacy then the summary with category and OPD', inputs: toConfirm, step: 'confirm', expect: /Ringkasan[\s\S]*Kategori: Sampah[\s\S]*Instansi tujuan: Dinas Lingkungan Hidup\n/ },
    { name: 'ya files the case and gives the tracking id', inputs: [...toConfirm, 'ya'], step: 'idle', expect: /LPR-TEST23[\s\S]*3 hari kerja/ },
  ])('$name', ({ inputs, step, expect: pattern }) => {
    const turn = run(inputs);
    expect(turn.state.step).toBe(step);
    expect(turn.text).toMatch(pattern);
  });

  it('files with an idempotency key per draft and clears the draft', () => {
    const turn = run([...toConfirm, 'ya']);
    const filing = turn.effects.find((e) => e.type === 'fileCase');
    expect(filing).toMatchObject({ type: 'fileCase', intakeKey: 'term:test#1' });
    expect(turn.state.draft).toBeUndefined();
    const second = run([...toConfirm, 'ya'], turn.state);
    expect(second.effects.find((e) => e.type === 'fileCase')).toMatchObject({ intakeKey: 'term:test#2' });
  });

  it('a shared location sets coordinates; with no boundary file the kelurahan is asked (and may be skipped)', () => {
    const turn = run([COMPLAINT, msg({ attachments: [{ kind: 'location', latitude: -7.95, longitude: 112.61 }] })]);
    expect(turn.state.step).toBe('location_area');
    expect(turn.state.draft).toMatchObject({ latitude: -7.95, longitude: 112.61 });
    expect(turn.text).toMatch(/Di kelurahan mana/);
    const skipped = send(turn.state, 'lewati');
    expect(skipped.state.step).toBe('photo');
    expect(skipped.state.draft).toMatchObject({ latitude: -7.95, longitude: 112.61 });
  });

  it('a photo with a caption as first message starts a report with both', () => {
    const turn = send(state(), msg({ text: COMPLAINT, attachments: [{ kind: 'photo', path: 'a.jpg' }] }));
    expect(turn.state.step).toBe('location');
    expect(turn.state.draft?.photos).toHaveLength(1);
    expect(turn.state.draft?.description).toBe(COMPLAINT);
  });

  it.each(['ini', 'halo', 'lihat ini min'])('a photo with a short caption ("%s") is kept and the flow asks what it shows', (caption) => {
    const turn = send(state(), msg({ text: caption, attachments: [{ kind: 'photo', path: 'a.jpg' }] }));
    expect(turn.state.step).toBe('description');
    expect(turn.state.draft?.photos).toHaveLength(1);
    expect(turn.text).toMatch(/Foto diterima \(1\)[\s\S]*ceritakan masalahnya/i);
  });

  it('classifies from the description and records the privacy choice', () => {
    const turn = run([COMPLAINT, 'Jl. Bandung 5', 'lewati', 'anonim']);
    expect(turn.effects).toContainEqual(expect.objectContaining({ type: 'classify', text: COMPLAINT }));
    expect(turn.state.draft?.privacy).toBe('anonim');
    expect(turn.state.draft?.classification?.opdCode).toBe('DLH');
  });
});

describe('citizen intake flow: batal, ubah and re-asks', () => {
  it.each(['description', 'location', 'photo', 'privacy', 'confirm', 'edit'] as const)('batal at %s cancels and clears the draft', (step) => {
    const path: Record<typeof step, string[]> = {
      description: ['halo', '1'],
      location: [COMPLAINT],
      photo: [COMPLAINT, 'Jl. Bandung 5'],
      privacy: [COMPLAINT, 'Jl. Bandung 5', 'lewati'],
      confirm: toConfirm,
      edit: [...toConfirm, 'ubah'],
    };
    const before = run(path[step]);
    expect(before.state.step).toBe(step);
    // A draft with content is only thrown away after a yes; an empty one at once.
    const asked = send(before.state, 'batal');
    const after = step === 'description' ? asked : send(asked.state, 'ya');
    if (step !== 'description') {
      expect(asked.state.step).toBe('confirm_cancel');
      expect(asked.text).toMatch(/Batalkan laporan ini\?/);
    }
    expect(after.state.step).toBe('idle');
    expect(after.state.draft).toBeUndefined();
    expect(after.text).toMatch(/dibatalkan/);
    expect(after.effects).toEqual([]);
  });

  it.each([
    { step: 'menu', path: ['halo'], answer: 'xyz', reask: /belum saya pahami/ },
    { step: 'description', path: ['halo', '1'], answer: 'rusak', reask: /terlalu singkat/ },
    { step: 'location', path: [COMPLAINT], answer: '!!', reask: /Lokasinya di mana/ },
    { step: 'photo', path: [COMPLAINT, 'Jl. Bandung 5'], answer: 'hmm nanti dulu', reask: /Kirim fotonya, atau ketik lewati/ },
    { step: 'privacy', path: [COMPLAINT, 'Jl. Bandung 5', 'lewati'], answer: '7', reask: /Balas 1 \(biasa\)/ },
    { step: 'confirm', path: toConfirm, answer: 'mungkin', reask: /Balas ya untuk mengirim/ },
    { step: 'edit', path: [...toConfirm, 'ubah'], answer: '9', reask: /Balas 1 \(uraian\)/ },
  ])('an answer that fits nothing at $step gets a short re-ask and keeps the state', ({ step, path, answer, reask }) => {
    const before = run(path);
    expect(before.state.step).toBe(step);
    const after = send(before.state, answer);
    expect(after.text).toMatch(reask);
    expect(after.state).toEqual(before.state);
  });

  it('ubah → uraian re-classifies with the new description and returns to the summary', () => {
    const before = run(toConfirm);
    expect(before.state.draft?.classification?.opdCode).toBe('DLH');
    const edit = run(['ubah', '1', 'Lampu penerangan jalan umum mati total di sepanjang jalan ini, gelap dan rawan'], before.state);
    expect(edit.state.step).toBe('confirm');
    expect(edit.state.draft?.classification?.opdCode).toBe('DISHUB');
    expect(edit.state.draft?.editing).toBe(false);
    expect(edit.text).toMatch(/Ringkasan/);
  });

  it('ubah → lokasi changes the location without asking the later questions again', () => {
    const before = run(toConfirm);
    const edit = run(['ubah', 'lokasi', 'Jl. Danau Toba, Sawojajar'], before.state);
    expect(edit.state.step).toBe('confirm');
    expect(edit.state.draft?.locationText).toBe('Jl. Danau Toba, Sawojajar');
    expect(edit.state.draft?.kecamatan).toBe('Kedungkandang');
    expect(edit.state.draft?.privacy).toBe('biasa');
    expect(edit.effects.filter((e) => e.type === 'classify')).toEqual([]);
  });

  it('ubah → kerahasiaan and foto', () => {
    const before = run(toConfirm);
    const privacy = run(['ubah', '4', '3'], before.state);
    expect(privacy.state.draft?.privacy).toBe('rahasia');
    expect(privacy.state.step).toBe('confirm');
    const withPhoto = run(['ubah', '3', photo('b.jpg')], privacy.state);
    expect(withPhoto.state.step).toBe('confirm');
    expect(withPhoto.state.draft?.photos.map((p) => p.path)).toEqual(['b.jpg']);
  });

  it('bantuan at any step helps and repeats the question without losing anything', () => {
    const before = run([COMPLAINT, 'Jl. Bandung 5']);
    const after = send(before.state, 'bantuan');
    expect(after.text).toMatch(/Cara pakai/);
    expect(after.text).toMatch(/foto pendukung/);
    expect(after.state).toEqual(before.state);
  });

  it('menu 2 asks for a tracking id and looks it up (with or without #)', () => {
    const turn = run(['halo', '2']);
    expect(turn.state.step).toBe('status_id');
    const lookup = send(turn.state, '#lpr-abc234');
    expect(lookup.effects).toEqual([{ type: 'lookupCase', trackingId: 'LPR-ABC234' }]);
    expect(send(turn.state, 'bukan nomor').text).toMatch(/tidak dikenali/);
  });

  it('cek <id> and /status <id> work in the middle of a report and keep the draft', () => {
    const before = run([COMPLAINT]);
    for (const command of ['cek LPR-ABC234', '/status #LPR-ABC234']) {
      const turn = stepCitizen(before.state, { kind: 'message', message: msg(command) }, ctx());
      expect(turn.effects).toEqual([{ type: 'lookupCase', trackingId: 'LPR-ABC234' }]);
      expect(turn.state).toEqual(before.state);
    }
  });

  it('"laporan saya" dates each case in the city\'s time zone, not UTC', () => {
    // 2026-11-22 18:30 UTC is already 23 November in Malang (UTC+7).
    const cases = [{ trackingId: 'LPR-ABC234', status: 'submitted', description: COMPLAINT, submittedAt: '2026-11-22T18:30:00.000Z' }];
    const turn = stepCitizen(state(), { kind: 'myCases', cases }, ctx());
    expect(turn.replies[0].text).toContain('LPR-ABC234 (23-11-2026)');
  });

  it('menu 3 and "laporan saya" list the reporter\'s cases', () => {
    expect(run(['halo', '3']).effects).toContainEqual({ type: 'listMyCases' });
    expect(send(state(), 'laporan saya').effects).toContainEqual({ type: 'listMyCases' });
  });
});

describe('citizen intake flow: English', () => {
  it.each(['english', 'bahasa inggris', '/lang en'])('"%s" switches to English and the whole intake follows', (command) => {
    const turn = run([command, COMPLAINT, 'Jl. Bandung 5', 'skip', '2']);
    expect(turn.state.lang).toBe('en');
    expect(turn.text).toMatch(/Your report:[\s\S]*Privacy: Anonymous/);
    const filed = send(turn.state, 'yes');
    expect(filed.text).toMatch(/Tracking number: LPR-TEST23/);
  });

  it('offers choices whose typed word is English, and each of them works', () => {
    const atConfirm = run(['english', COMPLAINT, 'Jl. Bandung 5', 'skip', '1']);
    const values = atConfirm.replies.at(-1)?.choices?.map((c) => c.value);
    expect(values).toEqual(['yes', 'edit', 'cancel']);
    expect(send(atConfirm.state, 'edit').state.step).toBe('edit');
    expect(run(['cancel', 'yes'], atConfirm.state).state.step).toBe('idle');
    const atPhoto = run(['english', COMPLAINT, 'Jl. Bandung 5']);
    expect(atPhoto.replies.at(-1)?.choices?.map((c) => c.value)).toEqual(['skip']);
  });

  it('switching language mid-report keeps the draft and repeats the question in the new language', () => {
    const before = run([COMPLAINT]);
    const after = send(before.state, 'english');
    expect(after.state.draft).toEqual(before.state.draft);
    expect(after.text).toMatch(/Where is it\?/);
    expect(after.effects).toEqual([{ type: 'setLanguage', lang: 'en' }]);
    expect(send(after.state, 'bahasa indonesia').state.lang).toBe('id');
  });
});

describe('citizen intake flow: bad input is answered politely and changes nothing', () => {
  const steps = {
    idle: [] as string[],
    location: [COMPLAINT],
    privacy: [COMPLAINT, 'Jl. Bandung 5', 'lewati'],
    confirm: toConfirm,
  };
  const bad = [
    { name: 'empty', message: msg(''), reply: /kosong/ },
    { name: 'whitespace', message: msg('   \n '), reply: /kosong/ },
    { name: '10,000 characters', message: msg('a'.repeat(10_000)), reply: /terlalu panjang/ },
    { name: 'unknown command', message: msg('/hapussemua'), reply: /tidak saya kenal/ },
    { name: 'a sticker', message: msg({ unsupported: 'sticker' }), reply: /stiker belum bisa/ },
  ];
  for (const [stepName, path] of Object.entries(steps)) {
    it.each(bad)(`$name at ${stepName}`, ({ message, reply }) => {
      const before = run(path);
      const after = send(before.state, message);
      expect(after.text).toMatch(reply);
      expect(after.state).toEqual(before.state);
      expect(after.effects).toEqual([]);
    });
  }

  it('only emoji as a description is re-asked', () => {
    const before = run(['halo', '1']);
    const after = send(before.state, '😡😡😡🚧🚧');
    expect(after.text).toMatch(/dengan kata-kata/);
    expect(after.state).toEqual(before.state);
  });
});

describe('citizen intake flow: QR deep links', () => {
  it('/start place-<code> opens a report with the place filled in', () => {
    const turn = run(['/start place-PKM-ARJUNO', 'Antrean di loket pendaftaran lama sekali, lebih dari tiga jam menunggu']);
    expect(turn.state.step).toBe('location');
    expect(turn.state.draft).toMatchObject({ placeCode: 'PKM-ARJUNO', kecamatan: 'Klojen' });
    expect(turn.text).toMatch(/Lokasi sudah terisi: Puskesmas Arjuno/);
    const confirmed = send(turn.state, 'ok');
    expect(confirmed.state.step).toBe('photo');
    expect(confirmed.state.draft?.locationText).toMatch(/Puskesmas Arjuno/);
  });

  it('the sentence a WhatsApp QR code types opens a report with the place filled in', () => {
    const turn = send(state(), 'Halo, saya mau melapor tentang Pasar Besar Malang (kode tempat: PASAR-BESAR)');
    expect(turn.state.step).toBe('description');
    expect(turn.state.draft).toMatchObject({ placeCode: 'PASAR-BESAR', kecamatan: 'Klojen' });
    expect(turn.text).toMatch(/ceritakan masalahnya/i);
  });

  it('an unknown place code just greets', () => {
    const turn = send(state(), '/start place-NOPE');
    expect(turn.state.step).toBe('menu');
    expect(turn.state.draft).toBeUndefined();
  });
});

describe('citizen intake flow: texts of the summary and the photo limit', () => {
  it('the summary counts photos as "1 terlampir" and names the agency without its code', () => {
    const turn = run([COMPLAINT, 'Jl. Bandung 5', photo(), '1']);
    expect(turn.text).toMatch(/Foto: 1 terlampir/);
    expect(turn.text).toMatch(/Instansi tujuan: Dinas Lingkungan Hidup\n/);
    expect(turn.text).not.toMatch(/\(DLH\)/);
  });

  it('past the photo limit the bot says so in one sentence', () => {
    const five = msg({ attachments: Array.from({ length: 5 }, (_, i) => ({ kind: 'photo' as const, path: `p${i}.jpg` })) });
    const atPrivacy = run([COMPLAINT, 'Jl. Bandung 5', five]);
    expect(atPrivacy.state.draft?.photos).toHaveLength(5);
    const extra = send(atPrivacy.state, photo('p6.jpg'));
    expect(extra.replies[0].text).toBe('Sudah ada 5 foto, batas per laporan, jadi foto ini tidak disimpan.');
    expect(extra.state.draft?.photos).toHaveLength(5);
    const over = run([COMPLAINT, 'Jl. Bandung 5', msg({ attachments: Array.from({ length: 7 }, (_, i) => ({ kind: 'photo' as const, path: `q${i}.jpg` })) })]);
    expect(over.replies[0].text).toBe('Foto diterima; batasnya 5 foto per laporan, jadi sisanya tidak disimpan.');
    expect(over.state.draft?.photos).toHaveLength(5);
  });
});
