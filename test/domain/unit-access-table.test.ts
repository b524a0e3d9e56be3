import { describe, expect, it } from 'vitest';
import { adminMaySee, isAccused, mayRouteTo, statisticsScope, type AdminViewer } from '../../domain/case-access.ts';
import {
  ACTION_NUMBER,
  BUTTON_ACTIONS,
  actionMenu,
  availableActions,
  caseVersion,
  decodeActionToken,
  encodeActionToken,
  isKeptChoice,
  parseNumberedAction,
  type ActionCase,
  type ButtonAction,
} from '../../domain/admin-actions.ts';

/**
 * The authorization table for units and buttons: admin kind × case state → the actions offered (and so allowed)
 * on that case, written out by hand from issue 15's rules. "-" means the admin does not see the case at all.
 * Letters: v verify, f forward, d dispose (Disposisi), t reject (Tolak), b answer (Balas), r return (Kembalikan),
 * c note (Catatan).
 */
const FORWARDED_AT = new Date('2026-03-02T03:00:00Z');
const base: ActionCase = { status: 'forwarded', opdCode: 'DINKES', unitCode: null, forwardedAt: FORWARDED_AT, reopenCount: 0, accusedOpdCode: null, accusedUnitCode: null };

const CASES: Record<string, ActionCase> = {
  'forwarded to DINKES, disposed to PKM-ARJUNO': { ...base, unitCode: 'PKM-ARJUNO' },
  'forwarded to DINKES, no unit': base,
  'new, routed to PKM-ARJUNO at filing': { ...base, status: 'submitted', unitCode: 'PKM-ARJUNO', forwardedAt: null },
  'answered by PKM-ARJUNO': { ...base, status: 'answered', unitCode: 'PKM-ARJUNO' },
  'reopened at PKM-ARJUNO': { ...base, status: 'reopened', unitCode: 'PKM-ARJUNO', reopenCount: 1 },
  'handed back by DINKES': { ...base, status: 'rerouted' },
  'closed at PKM-ARJUNO': { ...base, status: 'closed', unitCode: 'PKM-ARJUNO' },
  'integrity: at INSPEKTORAT, accusing DINKES/PKM-ARJUNO': { ...base, opdCode: 'INSPEKTORAT', accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-ARJUNO' },
  'integrity: at DINKES itself, accusing PKM-ARJUNO': { ...base, accusedUnitCode: 'PKM-ARJUNO' },
  'inconsistent: disposed to the unit it accuses': { ...base, unitCode: 'PKM-ARJUNO', accusedUnitCode: 'PKM-ARJUNO' },
};

const ADMINS: Record<string, AdminViewer> = {
  instansi: { role: 'instansi', opdCode: null },
  'DINKES admin': { role: 'penghubung', opdCode: 'DINKES' },
  'PKM-ARJUNO admin': { role: 'penghubung', opdCode: 'DINKES', unitCode: 'PKM-ARJUNO' },
  'PKM-DINOYO admin': { role: 'penghubung', opdCode: 'DINKES', unitCode: 'PKM-DINOYO' },
  'INSPEKTORAT admin': { role: 'penghubung', opdCode: 'INSPEKTORAT' },
  'DLH admin': { role: 'penghubung', opdCode: 'DLH' },
};

/** Which OPDs have units (the profile: DINKES has puskesmas, the Inspektorat none). */
const HAS_UNITS: Record<string, boolean> = { DINKES: true, INSPEKTORAT: false, DLH: false };

// prettier-ignore
const TABLE: Record<string, Record<string, string>> = {
  'forwarded to DINKES, disposed to PKM-ARJUNO':           { instansi: 'dbrc', 'DINKES admin': 'dbrc', 'PKM-ARJUNO admin': 'brc', 'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'forwarded to DINKES, no unit':                          { instansi: 'dbrc', 'DINKES admin': 'dbrc', 'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'new, routed to PKM-ARJUNO at filing':                   { instansi: 'vftc', 'DINKES admin': '-',    'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'answered by PKM-ARJUNO':                                { instansi: 'c',    'DINKES admin': 'c',    'PKM-ARJUNO admin': 'c',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'reopened at PKM-ARJUNO':                                { instansi: 'dbrc', 'DINKES admin': 'dbrc', 'PKM-ARJUNO admin': 'brc', 'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'handed back by DINKES':                                 { instansi: 'vftc', 'DINKES admin': '-',    'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'closed at PKM-ARJUNO':                                  { instansi: 'c',    'DINKES admin': 'c',    'PKM-ARJUNO admin': 'c',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'integrity: at INSPEKTORAT, accusing DINKES/PKM-ARJUNO': { instansi: 'brc',  'DINKES admin': '-',    'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': 'brc', 'DLH admin': '-' },
  'integrity: at DINKES itself, accusing PKM-ARJUNO':      { instansi: 'dbrc', 'DINKES admin': 'dbrc', 'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
  'inconsistent: disposed to the unit it accuses':         { instansi: 'dbrc', 'DINKES admin': 'dbrc', 'PKM-ARJUNO admin': '-',   'PKM-DINOYO admin': '-', 'INSPEKTORAT admin': '-',   'DLH admin': '-' },
};

const LETTER: Record<ButtonAction, string> = { verify: 'v', forward: 'f', dispose: 'd', reject: 't', answer: 'b', return: 'r', note: 'c' };

describe('authorization table: admin kind × case state → actions (buttons and commands alike)', () => {
  const rows = Object.keys(CASES).flatMap((c) => Object.keys(ADMINS).map((a) => [c, a, TABLE[c][a]] as const));
  it.each(rows)('%s — %s: "%s"', (caseName, adminName, expected) => {
    const c = CASES[caseName];
    const admin = ADMINS[adminName];
    const sees = adminMaySee(admin, c);
    const actions = availableActions(admin, c, { opdHasUnits: HAS_UNITS[c.opdCode ?? ''] ?? false });
    expect(sees ? actions.map((a) => LETTER[a]).join('') : '-').toBe(expected);
    // Nobody is offered an action on a case they may not see.
    if (!sees) expect(actions).toEqual([]);
  });

  it('covers every case and admin', () => {
    for (const c of Object.keys(CASES)) expect(Object.keys(TABLE[c]).sort()).toEqual(Object.keys(ADMINS).sort());
  });
});

describe('the accused', () => {
  it('never receive the case, and a case is never routed to the accused OPD', () => {
    const c = CASES['integrity: at INSPEKTORAT, accusing DINKES/PKM-ARJUNO'];
    expect(isAccused(ADMINS['DINKES admin'], c)).toBe(true);
    expect(isAccused(ADMINS['PKM-ARJUNO admin'], c)).toBe(true);
    expect(isAccused(ADMINS.instansi, c)).toBe(false);
    expect(mayRouteTo(c, 'DINKES')).toBe(false);
    expect(mayRouteTo(c, 'DLH')).toBe(true);
    expect(mayRouteTo(base, 'DINKES')).toBe(true);
  });

  it('statistics of a unit are scoped to the unit and leave out complaints accusing it', () => {
    expect(statisticsScope(ADMINS['PKM-ARJUNO admin'])).toEqual({ opdCode: 'DINKES', unitCode: 'PKM-ARJUNO', excludeAccusedOf: { opdCode: 'DINKES', unitCode: 'PKM-ARJUNO' } });
    expect(statisticsScope(ADMINS['DINKES admin'])).toEqual({ opdCode: 'DINKES', excludeAccusedOf: { opdCode: 'DINKES' } });
    expect(statisticsScope(ADMINS.instansi)).toEqual({ opdCode: null });
  });
});

describe('action tokens', () => {
  it('round-trip and fit Telegram callback data', () => {
    for (const action of BUTTON_ACTIONS) {
      const token = { action, code: 'ABC234', version: caseVersion(base), arg: 'KEL-KEDUNGKANDANG' };
      const value = encodeActionToken(token);
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(64);
      expect(decodeActionToken(value)).toEqual(token);
      expect(isKeptChoice(value)).toBe(true);
    }
    expect(decodeActionToken('k:z:ABC234:1')).toBeUndefined();
    expect(decodeActionToken('puas')).toBeUndefined();
    expect(isKeptChoice('/lang id')).toBe(false);
    expect(isKeptChoice('/inbox 2')).toBe(true);
  });

  it('the version changes whenever the case moves (status, OPD, unit, reopen)', () => {
    const v = caseVersion(base);
    expect(caseVersion({ ...base })).toBe(v);
    expect(caseVersion({ ...base, status: 'answered' })).not.toBe(v);
    expect(caseVersion({ ...base, opdCode: 'DLH' })).not.toBe(v);
    expect(caseVersion({ ...base, unitCode: 'PKM-ARJUNO' })).not.toBe(v);
    expect(caseVersion({ ...base, reopenCount: 1 })).not.toBe(v);
  });

  it('numbers are fixed per action and parsed with or without a case id', () => {
    expect(parseNumberedAction('1')).toEqual({ action: 'verify' });
    expect(parseNumberedAction(' 5 abc234 ')).toEqual({ action: 'answer', idText: 'abc234' });
    expect(parseNumberedAction('8')).toBeUndefined();
    expect(parseNumberedAction('12')).toBeUndefined();
    expect(new Set(Object.values(ACTION_NUMBER)).size).toBe(BUTTON_ACTIONS.length);
  });

  it('Telegram gets buttons; WhatsApp and the terminal a numbered list with the fixed numbers', () => {
    const tg = actionMenu('tg', 'LPR-ABC234', 'x1', ['answer', 'return', 'note']);
    expect(tg.choices?.map((c) => decodeActionToken(c.value)?.action)).toEqual(['answer', 'return', 'note']);
    const wa = actionMenu('wa', 'LPR-ABC234', 'x1', ['answer', 'return', 'note']);
    expect(wa.choices).toBeUndefined();
    expect(wa.text).toContain('5 balas · 6 kembalikan · 7 catatan');
    expect(actionMenu('wa', 'LPR-ABC234', 'x1', [])).toEqual({});
  });
});
