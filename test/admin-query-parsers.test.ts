import { describe, expect, it } from 'vitest';
import { loadCityProfile } from '../lib/city-profile.ts';
import { formatAxisTick, formatNumber, formatPercent } from '../lib/format-number.ts';
import { MAX_INBOX_PAGE, parseInboxQuery, type InboxFilter } from '../domain/inbox-query.ts';
import { MAX_SEARCH_WORDS, parseSearchQuery } from '../domain/search-query.ts';
import { parseTrackingId } from '../domain/tracking-id.ts';

const profile = loadCityProfile('malang');

describe('Indonesian number format', () => {
  it.each([
    [1234, {}, '1.234'],
    [1234567.891, {}, '1.234.567,89'],
    [0.01, {}, '0,01'],
    [0.01, { minDecimals: 3, maxDecimals: 3 }, '0,010'],
    [2.5, { minDecimals: 1 }, '2,5'],
    [-0.001, {}, '0'],
    [1234.5, { language: 'en' as const }, '1,234.5'],
    [Number.NaN, {}, '-'],
  ])('formatNumber(%s, %o) = %s', (value, options, expected) => {
    expect(formatNumber(value, options)).toBe(expected);
  });

  it('writes ratios as percentages with fixed decimals', () => {
    expect(formatPercent(1)).toBe('100,0%');
    expect(formatPercent(2 / 3)).toBe('66,7%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(0 / 0)).toBe('-');
  });

  it('labels chart ticks with the decimals of the step, as the text does', () => {
    expect([0, 0.01, 0.02].map((v) => formatAxisTick(v, 0.01))).toEqual(['0', '0,01', '0,02']);
    expect([0, 0.25, 0.5].map((v) => formatAxisTick(v, 0.25))).toEqual(['0', '0,25', '0,5']);
    expect([0, 5, 1000].map((v) => formatAxisTick(v, 5))).toEqual(['0', '5', '1.000']);
    expect(formatAxisTick(0.30000000000000004, 0.1)).toBe('0,3');
  });
});

describe('/inbox query', () => {
  const ok = (args: string): InboxFilter => {
    const result = parseInboxQuery(profile, args);
    if (!result.ok) throw new Error(`${args}: ${result.code} ${result.word}`);
    return result.filter;
  };
  const error = (args: string) => {
    const result = parseInboxQuery(profile, args);
    return result.ok ? 'ok' : `${result.code}:${result.word}`;
  };

  it.each<[string, InboxFilter]>([
    ['', { page: 1 }],
    ['2', { page: 2 }],
    ['hal 3', { page: 3 }],
    ['dlh', { page: 1, opdCode: 'DLH' }],
    ['DLH 2', { page: 2, opdCode: 'DLH' }],
    ['2 dlh', { page: 2, opdCode: 'DLH' }],
    ['semua', { page: 1, all: true }],
    ['terlambat', { page: 1, overdue: true }],
    ['darurat', { page: 1, urgent: true }],
    ['dinsos terlambat', { page: 1, opdCode: 'DINSOS-P3AP2KB', overdue: true }],
    ['perumda', { page: 1, opdCode: 'PERUMDA-TUGU-TIRTA' }],
    ['baru', { page: 1, status: 'submitted' }],
    ['diteruskan dpuprpkp', { page: 1, status: 'forwarded', opdCode: 'DPUPRPKP' }],
    ['PKM-ARJUNO', { page: 1, unitCode: 'PKM-ARJUNO', opdCode: 'DINKES' }],
    ['kel-sumbersari 2', { page: 2, unitCode: 'KEL-SUMBERSARI', opdCode: 'KELURAHAN' }],
    ['dinkes pkm-janti terlambat', { page: 1, unitCode: 'PKM-JANTI', opdCode: 'DINKES', overdue: true }],
    ['puskesmas arjuno', { page: 1, unitCode: 'PKM-ARJUNO', opdCode: 'DINKES' }],
    ['kelurahan sumbersari', { page: 1, unitCode: 'KEL-SUMBERSARI', opdCode: 'KELURAHAN' }],
    ['kel sumbersari darurat', { page: 1, unitCode: 'KEL-SUMBERSARI', opdCode: 'KELURAHAN', urgent: true }],
    ['kelurahan', { page: 1, opdCode: 'KELURAHAN' }],
  ])('/inbox %s', (args, expected) => {
    expect(ok(args)).toEqual(expected);
  });

  it('refuses unknown and contradictory words, naming the word', () => {
    expect(error('sampah')).toBe('INBOX_UNKNOWN_WORD:sampah');
    expect(error('0')).toBe('INBOX_PAGE_INVALID:0');
    expect(error(String(MAX_INBOX_PAGE + 1))).toBe(`INBOX_PAGE_INVALID:${MAX_INBOX_PAGE + 1}`);
    expect(error('2 3')).toBe('INBOX_TWO_PAGES:3');
    expect(error('dlh dishub')).toBe('INBOX_TWO_OPDS:dishub');
    expect(error('baru selesai')).toBe('INBOX_TWO_STATUSES:selesai');
    expect(error('dlh pkm-arjuno')).toBe('INBOX_UNIT_NOT_UNDER_OPD:PKM-ARJUNO');
    expect(error('puskesmas atlantis')).toBe('INBOX_UNKNOWN_WORD:puskesmas');
    // "di" is two letters: too short to stand for an OPD code prefix.
    expect(error('di')).toBe('INBOX_UNKNOWN_WORD:di');
  });
});

describe('/cari query', () => {
  const parse = (args: string) => parseSearchQuery(args, parseTrackingId);

  it('reads a tracking id with its prefix or a #', () => {
    expect(parse('LPR-K7Q2MX')).toEqual({ ok: true, query: { kind: 'tracking', trackingId: 'LPR-K7Q2MX' } });
    expect(parse('  lpr-k7q2mx ')).toEqual({ ok: true, query: { kind: 'tracking', trackingId: 'LPR-K7Q2MX' } });
    expect(parse('#k7q2mx')).toEqual({ ok: true, query: { kind: 'tracking', trackingId: 'LPR-K7Q2MX' } });
  });

  it('reads anything else as words, a six-letter word included', () => {
    expect(parse('SAMPAH')).toEqual({ ok: true, query: { kind: 'words', words: ['sampah'], page: 1 } });
    expect(parse('jalan Sumbersari, di depan SDN')).toEqual({ ok: true, query: { kind: 'words', words: ['jalan', 'sumbersari', 'depan', 'sdn'], page: 1 } });
    expect(parse('rt 5 hal 2')).toEqual({ ok: true, query: { kind: 'words', words: ['rt', '5'], page: 2 } });
    const many = parse('a1 b2 c3 d4 e5 f6 g7 h8 i9 j10');
    expect(many.ok && many.query.kind === 'words' && many.query.words).toHaveLength(MAX_SEARCH_WORDS);
  });

  it('refuses an empty search and a bad page', () => {
    expect(parse('   ')).toEqual({ ok: false, code: 'SEARCH_EMPTY' });
    expect(parse('di yang')).toEqual({ ok: false, code: 'SEARCH_TOO_SHORT' });
    expect(parse('sampah hal 0')).toEqual({ ok: false, code: 'SEARCH_PAGE_INVALID', word: '0' });
  });
});
