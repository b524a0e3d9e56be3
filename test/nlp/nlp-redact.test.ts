import { describe, expect, it } from 'vitest';
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
