import { describe, expect, it } from 'vitest';
import { nextStatus, TRANSITIONS, type CaseAction } from '../../domain/case-lifecycle.ts';
import { CASE_STATUSES, type CaseStatus } from '../../domain/case-status.ts';
import { parseAdminCommand } from '../../flows/admin/admin-commands.ts';
import { renderInbox } from '../../flows/admin/admin-views.ts';
import type { InboxItem } from '../../cases/admin-inbox.ts';
import { unsatisfiedWords } from '../../flows/citizen/citizen-follow-up.ts';

/** The legal moves, written out independently of the table (DESIGN.md, "Case lifecycle"). */
const LEGAL: Array<[CaseAction, CaseStatus, CaseStatus]> = [
  ['verify', 'submitted', 'verified'],
  // Again after a hand-back, to correct the category (issue 15).
  ['verify', 'rerouted', 'verified'],
  ['forward', 'submitted', 'forwarded'],
  ['forward', 'verified', 'forwarded'],
  ['forward', 'rerouted', 'forwarded'],
  ['reject', 'submitted', 'rejected'],
  ['reject', 'verified', 'rejected'],
  ['reject', 'rerouted', 'rejected'],
  ['answer', 'forwarded', 'answered'],
  ['answer', 'reopened', 'answered'],
  ['return', 'forwarded', 'rerouted'],
  ['return', 'reopened', 'rerouted'],
  ['close', 'answered', 'closed'],
  ['close', 'reopened', 'closed'],
  ['satisfied', 'answered', 'closed'],
  ['unsatisfied', 'answered', 'reopened'],
  ['autoClose', 'answered', 'closed'],
  // /gabung closes a duplicate from any open status.
  ...(['submitted', 'verified', 'forwarded', 'rerouted', 'answered', 'reopened'] as const).map((s) => ['merge', s, 'closed'] as [CaseAction, CaseStatus, CaseStatus]),
];

describe('case lifecycle table', () => {
  const statusActions = (Object.keys(TRANSITIONS) as CaseAction[]).filter((a) => TRANSITIONS[a].to !== 'same');
  for (const action of statusActions) {
    for (const from of CASE_STATUSES) {
      const legal = LEGAL.find(([a, f]) => a === action && f === from);
      it(`${action} from ${from}: ${legal ? `→ ${legal[2]}` : 'refused'}`, () => {
        const result = nextStatus(action, from);
        if (legal) expect(result).toEqual({ ok: true, from, to: legal[2] });
        else expect(result.ok).toBe(false);
      });
    }
  }

  it('names the reason of common illegal moves', () => {
    expect(nextStatus('answer', 'verified')).toMatchObject({ ok: false, refusal: { code: 'NOT_FORWARDED_YET' } });
    expect(nextStatus('forward', 'closed')).toMatchObject({ ok: false, refusal: { code: 'ALREADY_FINISHED' } });
    expect(nextStatus('forward', 'forwarded')).toMatchObject({ ok: false, refusal: { code: 'ALREADY_DONE' } });
    expect(nextStatus('close', 'submitted')).toMatchObject({ ok: false, refusal: { code: 'WRONG_STATUS' } });
  });

  it('reopens once: a second "belum" closes the case', () => {
    expect(nextStatus('unsatisfied', 'answered', { reopenCount: 0 })).toMatchObject({ to: 'reopened' });
    expect(nextStatus('unsatisfied', 'answered', { reopenCount: 1 })).toMatchObject({ to: 'closed' });
  });

  it('notes are allowed on every case, added information only on open ones, ratings only on closed ones', () => {
    for (const s of CASE_STATUSES) expect(nextStatus('note', s)).toMatchObject({ ok: true, to: s });
    expect(nextStatus('addInfo', 'closed').ok).toBe(false);
    expect(nextStatus('addInfo', 'forwarded').ok).toBe(true);
    expect(nextStatus('rate', 'closed').ok).toBe(true);
    expect(nextStatus('rate', 'answered').ok).toBe(false);
  });
});

describe('admin command parsing', () => {
  const table: Array<[string, unknown]> = [
    ['/kasus LPR-ABC234', { ok: true, command: { name: 'kasus', trackingId: 'LPR-ABC234' } }],
    ['/kasus #lpr-abc234', { ok: true, command: { name: 'kasus', trackingId: 'LPR-ABC234' } }],
    ['/KASUS abc234', { ok: true, command: { name: 'kasus', trackingId: 'LPR-ABC234' } }],
    ['/kasus@LaporMalangBot abc234', { ok: true, command: { name: 'kasus', trackingId: 'LPR-ABC234' } }],
    ['/kasus LPR-ABC10', { ok: false, name: 'kasus', problem: 'badId', value: 'LPR-ABC10' }],
    ['/kasus', { ok: false, name: 'kasus', problem: 'usage' }],
    ['/balas abc234', { ok: false, name: 'balas', problem: 'usage' }],
    ['/balas abc234 Sudah\ndiperbaiki', { ok: true, command: { name: 'balas', trackingId: 'LPR-ABC234', text: 'Sudah\ndiperbaiki' } }],
    ['/verifikasi abc234 sampah dlh', { ok: true, command: { name: 'verifikasi', trackingId: 'LPR-ABC234', codes: ['sampah', 'dlh'] } }],
    ['/teruskan abc234', { ok: true, command: { name: 'teruskan', trackingId: 'LPR-ABC234', codes: [] } }],
    ['/teruskan abc234 dpuprpkp jalan', { ok: true, command: { name: 'teruskan', trackingId: 'LPR-ABC234', codes: ['dpuprpkp', 'jalan'] } }],
    ['/disposisi abc234 kel-sumbersari', { ok: true, command: { name: 'disposisi', trackingId: 'LPR-ABC234', unit: 'kel-sumbersari' } }],
    ['/inbox terlambat 2', { ok: true, command: { name: 'inbox', args: 'terlambat 2' } }],
    ['/cari jalan sumbersari', { ok: true, command: { name: 'cari', args: 'jalan sumbersari' } }],
    ['/tutup abc234', { ok: true, command: { name: 'tutup', trackingId: 'LPR-ABC234', text: undefined } }],
    ['/admin tambah penghubung dlh tg:42 Dewi Lestari', { ok: true, command: { name: 'admin', sub: 'tambah', role: 'penghubung', opdCode: 'DLH', key: 'tg:42', adminName: 'Dewi Lestari' } }],
    ['/admin tambah penghubung tg:42', { ok: false, name: 'admin', problem: 'usage' }],
    ['/admin hapus tg:42', { ok: true, command: { name: 'admin', sub: 'hapus', key: 'tg:42' } }],
    ['/help', { ok: true, command: { name: 'bantuan', topic: undefined } }],
    ['/bantuan teruskan', { ok: true, command: { name: 'bantuan', topic: 'teruskan' } }],
    ['/bantuan statistik', { ok: true, command: { name: 'bantuan', topic: 'statistik' } }],
    ['/statistik november 2026', { ok: true, command: { name: 'statistik', month: 'november 2026' } }],
    ['/statistik', { ok: true, command: { name: 'statistik', month: undefined } }],
    ['/start', undefined],
    ['kasus abc234', undefined],
    ['/gabung abc234 def567', { ok: true, command: { name: 'gabung', trackingId: 'LPR-ABC234', mainTrackingId: 'LPR-DEF567' } }],
    ['/gabung abc234', { ok: false, name: 'gabung', problem: 'usage' }],
    ['/gabung abc234 xx', { ok: false, name: 'gabung', problem: 'badId', value: 'xx' }],
    ['/gabung zz def567', { ok: false, name: 'gabung', problem: 'badId', value: 'zz' }],
    ['/bukandarurat abc234', { ok: true, command: { name: 'bukandarurat', trackingId: 'LPR-ABC234', text: undefined } }],
    ['/bukandarurat abc234 pohon sudah dipotong', { ok: true, command: { name: 'bukandarurat', trackingId: 'LPR-ABC234', text: 'pohon sudah dipotong' } }],
    ['/inbox darurat', { ok: true, command: { name: 'inbox', args: 'darurat' } }],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input), () => expect(parseAdminCommand(input)).toEqual(expected));
  }
});

describe('inbox rendering', () => {
  const item = (overrides: Partial<InboxItem>): InboxItem => ({
    trackingId: 'LPR-AAAAAA',
    status: 'submitted',
    description: 'Sampah menumpuk',
    categoryName: 'Sampah',
    opdCode: 'DLH',
    unitCode: null,
    dueAt: new Date('2026-03-02T16:59:59Z'),
    overdue: false,
    urgent: false,
    supporterCount: 0,
    lowConfidence: false,
    privacy: 'biasa',
    ...overrides,
  });
  it('marks overdue and low-confidence cases, says the page, and offers the next page', () => {
    const page = { items: [item({ overdue: true, trackingId: 'LPR-BBBBBB' }), item({ lowConfidence: true, unitCode: 'KEL-SUMBERSARI' })], page: 1, pages: 3, total: 25 };
    const [reply] = renderInbox(page, 'terlambat', 'tg', (d) => d.toISOString().slice(0, 10));
    expect(reply.text).toMatch(/1\. ⏰ LPR-BBBBBB .*\(LEWAT\)/);
    expect(reply.text).toMatch(/2\. LPR-AAAAAA .*DLH\/KEL-SUMBERSARI.*⚠️klasifikasi ragu/);
    expect(reply.text).toContain('25 laporan · halaman 1/3');
    expect(reply.choices).toEqual([{ label: 'Berikutnya ▶', value: '/inbox terlambat 2' }]);
    const [wa] = renderInbox({ ...page, page: 2 }, '', 'wa', (d) => d.toISOString().slice(0, 10));
    expect(wa.choices).toBeUndefined();
    expect(wa.text).toContain('Halaman berikutnya: /inbox 3');
    expect(wa.text).toContain('Halaman sebelumnya: /inbox 1');
    expect(wa.text).toMatch(/^11\. /m);
  });
});

describe('recognising "belum"', () => {
  const table: Array<[string, boolean, string | undefined]> = [
    ['belum', false, ''],
    ['Belum selesai', false, ''],
    ['belum, airnya masih mati', false, 'airnya masih mati'],
    ['belum selesai: masih bocor', false, 'masih bocor'],
    ['tidak puas. lubangnya masih ada', false, 'lubangnya masih ada'],
    // A new complaint that happens to start with "belum" is not an answer…
    ['Belum ada lampu jalan di gang saya sejak bulan lalu', false, undefined],
    // …unless it is a reply to the bot's message about the answered case.
    ['belum masih bocor', true, 'masih bocor'],
    ['belumlah', true, undefined],
    ['puas', false, undefined],
  ];
  for (const [input, lenient, expected] of table) {
    it(`${JSON.stringify(input)}${lenient ? ' (reply)' : ''} → ${JSON.stringify(expected)}`, () => expect(unsatisfiedWords(input, lenient)).toBe(expected));
  }
});
