import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redact } from '../../nlp/redact.ts';

describe('redact', () => {
  it.each([
    ['NIK 3573012345678901 ya', 'NIK [NIK] ya', 'nik'],
    ['KK: 3573 0123 4567 8901', 'KK: [NIK]', 'nik'],
    ['kk 3573.0123.4567.8901.', 'kk [NIK].', 'nik'],
    ['wa 081234567890', 'wa [TELEPON]', 'phone'],
    ['hp +62 812-3456-7890 ok', 'hp [TELEPON] ok', 'phone'],
    ['62812345678', '[TELEPON]', 'phone'],
    ['kantor (0341) 551234', 'kantor [TELEPON]', 'phone'],
    ['mail Budi.S+lapor@mail.co.id', 'mail [EMAIL]', 'email'],
  ])('%s', (input, expected, kind) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts[kind as 'nik' | 'phone' | 'email']).toBe(1);
  });

  it('leaves ordinary numbers alone', () => {
    for (const text of ['rt 03 rw 05 no 12', 'tahun 2023 biaya 150000', 'tanggal 12-05-2023 jam 08.30', 'sudah 3 bulan', 'nomor tiket LPR-2024-000123']) {
      expect(redact(text).text).toBe(text);
    }
  });
});

// Issue 12 #13: what the independent probe typed, and every way of writing a number a citizen might use.
describe('redact: numbers and addresses written every which way', () => {
  it.each([
    ['wa 0812–3456–7890 ya', 'wa [TELEPON] ya', 'phone'],
    ['wa 0812—3456—7890', 'wa [TELEPON]', 'phone'],
    ['hp +62 (812) 3456 7890', 'hp [TELEPON]', 'phone'],
    ['hubungi 0 8 1 2 3 4 5 6 7 8 9 0 ya', 'hubungi [TELEPON] ya', 'phone'],
    ['hubungi 08 12 34 56 78 90', 'hubungi [TELEPON]', 'phone'],
    ['nomor ０８１２３４５６７８９０', 'nomor [TELEPON]', 'phone'],
    ['nomor ＋６２ ８１２-３４５６-７８９０', 'nomor [TELEPON]', 'phone'],
    ['NIK 3573O12345678901', 'NIK [NIK]', 'nik'],
    ['nik 35730l2345678901'.replace('l', 'o'), 'nik [NIK]', 'nik'],
    ['NIK 3573 O123 4567 89O1', 'NIK [NIK]', 'nik'],
    ['email budi(at)gmail.com', 'email [EMAIL]', 'email'],
    ['email budi [at] gmail [dot] com', 'email [EMAIL]', 'email'],
    ['email budi＠gmail．com', 'email [EMAIL]', 'email'],
  ])('%s', (input, expected, kind) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.counts[kind as 'nik' | 'phone' | 'email']).toBe(1);
  });

  it('leaves words with o, dates, times and ordinary counts alone', () => {
    for (const text of ['Oke, sudah 3 bulan tidak diangkut', 'tanggal 12–05–2023 jam 08.30', 'rt 03 rw 05 no 12', 'ooo jalan rusak (at) depan sekolah']) {
      const r = redact(text);
      expect(r.counts).toEqual({ nik: 0, phone: 0, email: 0 });
    }
  });
});

const WORDS = ['jalan', 'rusak', 'tolong', 'hubungi', 'saya', 'di', 'nomor', 'ini', 'ya', 'pak', 'bu', 'lampu', 'mati'];
const FULL_WIDTH = (d: string) => String.fromCodePoint(0xff10 + Number(d));

describe('redact: property test over generated Indonesian mobile numbers and NIKs', () => {
  const separator = fc.constantFrom(' ', '-', '.', '\u2013', '\u2014', '\u2212', '');
  const mobile = fc.record({
    prefix: fc.constantFrom('0', '62', '+62'),
    operator: fc.stringMatching(/^8[1-9]\d$/),
    rest: fc.stringMatching(/^\d{7,8}$/),
    sep: separator,
    parens: fc.boolean(),
    fullWidth: fc.boolean(),
    spaced: fc.boolean(),
  });
  const text = (words: string[]) => words.join(' ');

  it('no generated phone number survives: its digits are gone from the text sent to the LLM', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }), mobile, fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }), (before, m, after) => {
        const groups = [m.rest.slice(0, 4), m.rest.slice(4)];
        let number = m.spaced
          ? `${m.prefix}${m.operator}${m.rest}`.split('').join(' ')
          : `${m.prefix}${m.prefix === '0' ? '' : ' '}${m.parens ? `(${m.operator})` : m.operator}${m.sep || ' '}${groups.join(m.sep)}`;
        if (m.fullWidth) number = number.replace(/\d/g, FULL_WIDTH);
        const input = `${text(before)} ${number} ${text(after)}`;
        const out = redact(input);
        expect(out.counts.phone, input).toBe(1);
        expect(out.text.replace(/\D/g, ''), input).not.toContain(m.rest.slice(-4));
      }),
      { numRuns: 400 },
    );
  });

  it('no generated NIK survives, with groups, O for zero or full-width digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^35\d{14}$/).filter((n) => n.slice(2).includes('0')),
        fc.constantFrom(' ', '.', '-', ''),
        fc.constantFrom('O', 'o', '0'),
        fc.boolean(),
        (nik, sep, zero, fullWidth) => {
          let written = [nik.slice(0, 4), nik.slice(4, 8), nik.slice(8, 12), nik.slice(12)].join(sep).replace(/0/g, zero);
          if (fullWidth) written = written.replace(/\d/g, FULL_WIDTH);
          const input = `NIK saya ${written} mohon dibantu`;
          const out = redact(input);
          expect(out.counts.nik, input).toBe(1);
          expect(out.text, input).toBe('NIK saya [NIK] mohon dibantu');
        },
      ),
      { numRuns: 300 },
    );
  });
});
