import { describe, expect, it } from 'vitest';
import {
  AUDIENCES,
  adminMayAct,
  adminMaySee,
  adminVisibility,
  PUBLIC_COORDINATE_DECIMALS,
  PUBLIC_FIELDS,
  PUBLIC_LISTING,
  PUBLIC_RAHASIA_GROUP,
  publicGroupKey,
  publicStanding,
  publicView,
  reporterView,
  visibleTo,
  type AdminViewer,
  type Audience,
  type CaseScope,
  type StoredCaseForPublic,
  type StoredCaseForReporter,
  type Visibility,
} from '../../domain/case-access.ts';
import { CASE_STATUSES, type CaseStatus } from '../../domain/case-status.ts';
import type { CaseAction } from '../../domain/case-lifecycle.ts';

// ---- fixture factories ------------------------------------------------------------------------------------

const FORWARDED_AT = new Date('2026-03-02T03:00:00Z');

function aCase(overrides: Partial<CaseScope> = {}): CaseScope {
  return { status: 'forwarded', privacy: 'biasa', opdCode: 'DPUPRPKP', forwardedAt: FORWARDED_AT, unitCode: null, ...overrides };
}

function anAdmin(overrides: Partial<AdminViewer> = {}): AdminViewer {
  return { role: 'penghubung', opdCode: 'DPUPRPKP', ...overrides };
}

const instansi = anAdmin({ role: 'instansi', opdCode: null });
const ownOpd = anAdmin();
const otherOpd = anAdmin({ opdCode: 'DLH' });
const PRIVACY = ['biasa', 'anonim', 'rahasia'] as const;

// ---- what each audience sees ------------------------------------------------------------------------------

/** The table: audience × privacy → visible fields (E = exists, C = content, N = reporter name, P = phone/chat, I = internal notes). */
const SEES: Record<Audience, Record<(typeof PRIVACY)[number], string>> = {
  reporter: { biasa: 'ECNP', anonim: 'ECNP', rahasia: 'ECNP' },
  'other-citizen': { biasa: '', anonim: '', rahasia: '' },
  'instansi-admin': { biasa: 'ECNPI', anonim: 'ECNPI', rahasia: 'ECNPI' },
  'opd-admin': { biasa: 'ECNI', anonim: 'ECI', rahasia: 'ECNI' },
  'daily-summary': { biasa: 'E', anonim: 'E', rahasia: 'E' },
  export: { biasa: 'ECN', anonim: 'EC', rahasia: 'EN' },
  public: { biasa: 'EC', anonim: 'EC', rahasia: '' },
  'llm-provider': { biasa: 'EC', anonim: 'EC', rahasia: 'E' },
};

function letters(v: Visibility): string {
  return [v.exists && 'E', v.content && 'C', v.reporterName && 'N', v.reporterContact && 'P', v.internalNotes && 'I'].filter(Boolean).join('');
}

describe('case access: audience × privacy → what is visible', () => {
  const rows = AUDIENCES.flatMap((audience) => PRIVACY.map((privacy) => [audience, privacy, SEES[audience][privacy]] as const));
  it.each(rows)('%s on a %s case sees "%s"', (audience, privacy, expected) => {
    expect(letters(visibleTo(audience, aCase({ privacy })))).toBe(expected);
  });

  it('the table covers every audience', () => {
    expect(Object.keys(SEES).sort()).toEqual([...AUDIENCES].sort());
  });

  it.each(AUDIENCES)('the rahasia rule holds for %s: content only for the reporter and the admins who handle it', (audience) => {
    const handles = ['reporter', 'instansi-admin', 'opd-admin'].includes(audience);
    expect(visibleTo(audience, aCase({ privacy: 'rahasia' })).content).toBe(handles);
  });
});

// ---- which admin may see and act, by status -----------------------------------------------------------------

const ADMIN_ACTIONS: CaseAction[] = ['verify', 'forward', 'reject', 'answer', 'return', 'note', 'close'];
const NOT_ADMIN_ACTIONS: CaseAction[] = ['satisfied', 'unsatisfied', 'addInfo', 'rate', 'autoClose'];

/** Statuses in which the OPD a case was forwarded to still sees it. */
const OPD_SEES: Record<CaseStatus, boolean> = {
  submitted: false,
  verified: false,
  forwarded: true,
  rerouted: false,
  answered: true,
  reopened: true,
  rejected: false,
  closed: true,
};

describe('case access: admin × status × privacy → may see, may act', () => {
  const rows = CASE_STATUSES.flatMap((status) => PRIVACY.map((privacy) => [status, privacy] as const));

  it.each(rows)('%s, %s: the admin instansi sees it and may take every admin action', (status, privacy) => {
    const c = aCase({ status, privacy, forwardedAt: null });
    expect(adminMaySee(instansi, c)).toBe(true);
    for (const action of ADMIN_ACTIONS) expect(adminMayAct(instansi, c, action), action).toBe(true);
    for (const action of NOT_ADMIN_ACTIONS) expect(adminMayAct(instansi, c, action), action).toBe(false);
  });

  it.each(rows)('%s, %s: the OPD it was forwarded to sees it only while it is theirs, and never verifies, forwards, rejects or closes', (status, privacy) => {
    const c = aCase({ status, privacy });
    expect(adminMaySee(ownOpd, c)).toBe(OPD_SEES[status]);
    for (const action of ['answer', 'return', 'note'] as const) expect(adminMayAct(ownOpd, c, action), action).toBe(OPD_SEES[status]);
    for (const action of ['verify', 'forward', 'reject', 'close'] as const) expect(adminMayAct(ownOpd, c, action), action).toBe(false);
    expect(letters(adminVisibility(ownOpd, c))).toBe(OPD_SEES[status] ? SEES['opd-admin'][privacy] : '');
  });

  it.each(rows)('%s, %s: another OPD never sees it', (status, privacy) => {
    const c = aCase({ status, privacy });
    expect(adminMaySee(otherOpd, c)).toBe(false);
    expect(letters(adminVisibility(otherOpd, c))).toBe('');
  });

  it('a case that only names an OPD (suggested, not forwarded) is not that OPD\'s', () => {
    expect(adminMaySee(ownOpd, aCase({ status: 'forwarded', forwardedAt: null }))).toBe(false);
  });

  it('an admin penghubung with no OPD sees nothing', () => {
    expect(adminMaySee(anAdmin({ opdCode: null }), aCase({ opdCode: null }))).toBe(false);
  });

  it('a unit admin sees only its own unit\'s cases of its OPD', () => {
    const unit = anAdmin({ unitCode: 'PKM-DINOYO' });
    expect(adminMaySee(unit, aCase({ unitCode: 'PKM-DINOYO' }))).toBe(true);
    expect(adminMaySee(unit, aCase({ unitCode: 'PKM-ARJUNO' }))).toBe(false);
    expect(adminMaySee(unit, aCase({ unitCode: null }))).toBe(false);
    // The OPD-wide admin still sees its units' cases.
    expect(adminMaySee(ownOpd, aCase({ unitCode: 'PKM-DINOYO' }))).toBe(true);
  });
});

// ---- the reporter's own view ---------------------------------------------------------------------------------

function aStoredCase(overrides: Partial<StoredCaseForReporter> = {}): StoredCaseForReporter {
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 3, minute));
  return {
    trackingId: 'LPR-ABC234',
    status: 'rerouted',
    reportKind: 'pengaduan',
    description: 'Jalan berlubang',
    locationText: 'Jl. Sumbersari',
    submittedAt: at(0),
    forwardedAt: at(2),
    categoryName: 'Jalan',
    opdName: 'Dinas PU',
    events: [
      { at: at(0), action: 'submitted', toStatus: 'submitted', note: null, internal: false },
      { at: at(1), action: 'noted', toStatus: null, note: 'pelapor ini sering komplain', internal: true },
      { at: at(2), action: 'forwarded', toStatus: 'forwarded', note: 'Dinas PU', internal: false },
      { at: at(3), action: 'returned', toStatus: 'rerouted', note: 'bukan wewenang kami, itu jalan provinsi', internal: false },
      { at: at(4), action: 'rejected', toStatus: 'rejected', note: 'bukan layanan publik kota', internal: false },
      { at: at(5), action: 'answered', toStatus: 'answered', note: 'sudah ditambal', internal: false },
      { at: at(6), action: 'closed', toStatus: 'closed', note: 'tutup saja', internal: false },
      { at: at(7), action: 'auto_closed', toStatus: 'closed', note: 'no reply from the citizen for 10 working days', internal: false },
    ],
    ...overrides,
  };
}

describe('case access: the reporter sees their case, not the admins\' notes', () => {
  const view = reporterView(aStoredCase());
  const notes = Object.fromEntries(view.events.map((e) => [e.action, e.note]));

  it('shows the answer, the rejection reason and the OPD it went to', () => {
    expect(notes).toMatchObject({ answered: 'sudah ditambal', rejected: 'bukan layanan publik kota', forwarded: 'Dinas PU' });
  });

  it('hides internal notes entirely, and the hand-back reason, an admin\'s closing remark and system notes', () => {
    expect(view.events.map((e) => e.action)).not.toContain('noted');
    expect(notes).toMatchObject({ returned: null, closed: null, auto_closed: null });
    expect(JSON.stringify(view)).not.toContain('jalan provinsi');
  });

  it('explains the hand-back by the status it led to (rerouted: "being moved to another agency")', () => {
    expect(view.events.find((e) => e.action === 'returned')?.toStatus).toBe('rerouted');
  });

  it('names the OPD only once the case was forwarded', () => {
    expect(reporterView(aStoredCase({ status: 'submitted', forwardedAt: null })).opdName).toBeUndefined();
    expect(reporterView(aStoredCase({ status: 'forwarded' })).opdName).toBe('Dinas PU');
  });
});

// ---- the public (Open311 API, case pages, dashboard) -----------------------------------------------------------

const VERIFIED_AT = new Date('2026-03-02T02:00:00Z');

/** The table: privacy × verified → where the case stands for the public. */
const PUBLIC_STANDS: Record<(typeof PRIVACY)[number], { verified: string; unverified: string }> = {
  biasa: { verified: 'listed', unverified: 'received' },
  anonim: { verified: 'listed', unverified: 'received' },
  rahasia: { verified: 'hidden', unverified: 'hidden' },
};

function aPublicCase(overrides: Partial<StoredCaseForPublic> = {}): StoredCaseForPublic {
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 3, minute));
  return {
    trackingId: 'LPR-ABC234',
    status: 'answered',
    privacy: 'biasa',
    verifiedAt: VERIFIED_AT,
    reportKind: 'pengaduan',
    categoryCode: 'JALAN',
    categoryName: 'Jalan',
    description: 'Jalan berlubang, hubungi 0812-1111-2222',
    locationText: 'Depan rumah saya, Jl. Sumbersari 10',
    kelurahan: 'Sumbersari',
    kecamatan: 'Lowokwaru',
    latitude: -7.955312,
    longitude: 112.614487,
    forwardedAt: at(2),
    submittedAt: at(0),
    answeredAt: at(5),
    opdName: 'Dinas PU',
    unitName: null,
    photoIds: ['photo-1'],
    events: [
      { at: at(0), action: 'submitted', note: null },
      { at: at(1), action: 'verified', note: 'cek dulu ke lapangan' },
      { at: at(2), action: 'forwarded', note: 'Dinas PU' },
      { at: at(3), action: 'info_added', note: 'nomor saya 0812-1111-2222' },
      { at: at(4), action: 'returned', note: 'bukan wewenang kami' },
      { at: at(5), action: 'answered', note: 'Sudah ditambal, info 0812-1111-2222' },
    ],
    ...overrides,
  };
}

/** A stand-in for nlp/redact: the domain is given the masking, it does not do it. */
const mask = (text: string) => text.replace(/0812-1111-2222/g, '[TELEPON]');

describe('case access: the public', () => {
  const rows = PRIVACY.flatMap((privacy) => (['verified', 'unverified'] as const).map((v) => [privacy, v, PUBLIC_STANDS[privacy][v]] as const));

  it.each(rows)('a %s case, %s, stands "%s" for the public', (privacy, verified, expected) => {
    const c = { privacy, verifiedAt: verified === 'verified' ? VERIFIED_AT : null };
    expect(publicStanding(c)).toBe(expected);
    // The listing rule as data (the database filter) says the same.
    const listedByRule = !PUBLIC_LISTING.hiddenPrivacy.includes(privacy) && (!PUBLIC_LISTING.requiresVerification || c.verifiedAt !== null);
    expect(listedByRule).toBe(expected === 'listed');
    // Only a listed case has a public view at all.
    expect(publicView(aPublicCase(c), mask) === null).toBe(expected !== 'listed');
  });

  it('shows exactly the public field set: no reporter, no chat, no internal note, free text masked', () => {
    const view = publicView(aPublicCase(), mask)!;
    expect(Object.keys(view).sort()).toEqual([...PUBLIC_FIELDS].sort());
    const json = JSON.stringify(view);
    for (const secret of ['0812-1111-2222', 'cek dulu ke lapangan', 'bukan wewenang kami', 'nomor saya']) expect(json, secret).not.toContain(secret);
    expect(view.events.map((e) => [e.action, e.note])).toEqual([
      ['submitted', null],
      ['verified', null],
      ['forwarded', 'Dinas PU'],
      ['returned', null],
      ['answered', 'Sudah ditambal, info [TELEPON]'],
    ]);
    expect(view).toMatchObject({ description: 'Jalan berlubang, hubungi [TELEPON]', statusNotes: 'Sudah ditambal, info [TELEPON]', photoIds: ['photo-1'] });
  });

  it('gives a biasa case its place as reported, an anonim case only its kelurahan and coordinates to 3 decimals', () => {
    expect(publicView(aPublicCase(), mask)).toMatchObject({ address: 'Depan rumah saya, Jl. Sumbersari 10', latitude: -7.955312, longitude: 112.614487 });
    const anonim = publicView(aPublicCase({ privacy: 'anonim' }), mask)!;
    expect(PUBLIC_COORDINATE_DECIMALS).toBe(3);
    expect(anonim).toMatchObject({ address: 'Sumbersari, Lowokwaru', latitude: -7.955, longitude: 112.614 });
    expect(publicView(aPublicCase({ privacy: 'anonim', kelurahan: null, kecamatan: null, latitude: null, longitude: null }), mask)).toMatchObject({ address: null, latitude: null, longitude: null });
  });

  it.each([
    ['answered', 'a unit', { unitName: 'Puskesmas Dinoyo' }, 'Puskesmas Dinoyo'],
    ['answered', 'the OPD', {}, 'Dinas PU'],
    ['closed', 'the OPD', {}, 'Dinas PU'],
    ['rerouted', 'nobody (handed back to the city)', { unitName: 'Puskesmas Dinoyo' }, null],
    ['verified', 'nobody (the city holds it)', { forwardedAt: null, answeredAt: null }, null],
    ['rejected', 'nobody (rejected)', { answeredAt: null }, null],
  ] as const)('a %s case sent to %s names that agency', (status, _who, overrides, agency) => {
    const view = publicView(aPublicCase({ status, ...overrides }), mask)!;
    expect(view.agency).toBe(agency);
    expect(view.unitName).toBe(agency && 'unitName' in overrides ? overrides.unitName : null);
  });

  it('counts a rahasia case on the dashboard only under its own row, never under its OPD, unit or category', () => {
    expect(publicGroupKey({ privacy: 'rahasia' }, 'PKM-DINOYO')).toBe(PUBLIC_RAHASIA_GROUP);
    expect(publicGroupKey({ privacy: 'anonim' }, 'PKM-DINOYO')).toBe('PKM-DINOYO');
    expect(publicGroupKey({ privacy: 'biasa' }, 'DLH')).toBe('DLH');
  });
});
