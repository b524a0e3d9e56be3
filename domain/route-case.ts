import type { CityProfile, Unit } from '../lib/city-profile.ts';
import { AppError } from '../lib/errors.ts';
import { findUnit, recognizeUnits, unitsOfOpd, unitsServingArea } from '../lib/city-units.ts';

/** What is known about a new case when it is filed. */
export interface RouteInput {
  /** The classifier's OPD (or the admin's choice). */
  opdCode: string | null;
  /** The case's area, already resolved from the text, a landmark, the QR place or a shared pin. */
  kelurahan?: string | null;
  kecamatan?: string | null;
  /** The service point of the QR code / deep link the report started from. */
  placeCode?: string | null;
  /** The complaint text, for a service point named in it ("Puskesmas Arjuno"). */
  text?: string | null;
  /** nlp/detect-integrity-complaint's verdict: the complaint accuses an officer (pungli, refused service…). */
  integrityComplaint?: boolean;
}

export type RouteReason = 'place' | 'named' | 'kelurahan' | 'kecamatan' | 'opd' | 'integrity' | 'none';

export interface Routing {
  opdCode: string | null;
  /** The unit under opdCode that acts; null when the OPD itself does (or must dispose it by hand). */
  unitCode: string | null;
  /** For an integrity complaint: who is accused, so the case is kept from them. */
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  reason: RouteReason;
}

interface UnitPick {
  unit: Unit;
  reason: 'place' | 'named' | 'kelurahan' | 'kecamatan';
}

/** The one unit a list allows; several equally good candidates mean a person must choose. */
const only = (units: Unit[]): Unit | undefined => (units.length === 1 ? units[0] : undefined);

/** The one unit named most specifically in the text; a tie between different units picks none. */
function namedUnit(profile: CityProfile, text: string | null | undefined, filter: (u: Unit) => boolean): Unit | undefined {
  if (!text) return undefined;
  const mentions = recognizeUnits(profile, text, filter);
  if (mentions.length === 0) return undefined;
  if (mentions.length > 1 && mentions[1].length === mentions[0].length) return undefined;
  return mentions[0].unit;
}

/**
 * The unit of an OPD that acts on the case, in order of evidence: the QR place is that unit, the unit is named
 * in the complaint, the unit serves the case's kelurahan, or it is the only unit serving its kecamatan.
 */
export function pickUnit(profile: CityProfile, opdCode: string, input: RouteInput): UnitPick | undefined {
  const ofOpd = (u: Unit) => u.opdCode === opdCode;
  const place = input.placeCode ? findUnit(profile, input.placeCode) : undefined;
  if (place && ofOpd(place)) return { unit: place, reason: 'place' };
  const named = namedUnit(profile, input.text, ofOpd);
  if (named) return { unit: named, reason: 'named' };
  const area = unitsServingArea(profile, opdCode, { kelurahan: input.kelurahan ?? undefined, kecamatan: input.kecamatan ?? undefined });
  const byKelurahan = only(area.byKelurahan);
  if (byKelurahan) return { unit: byKelurahan, reason: 'kelurahan' };
  if (area.byKelurahan.length > 1) return undefined;
  const byKecamatan = only(area.byKecamatan);
  return byKecamatan ? { unit: byKecamatan, reason: 'kecamatan' } : undefined;
}

/**
 * Decides the OPD and unit of a new case. An integrity complaint goes to the profile's integrity OPD (the
 * Inspektorat) and records the accused unit and OPD, so neither ever receives it; with no integrity OPD in the
 * profile it stays with the admin instansi (opdCode null).
 */
export function routeCase(profile: CityProfile, input: RouteInput): Routing {
  const integrityOpd = profile.integrityOpdCode ?? null;
  if (input.integrityComplaint) {
    const classified = input.opdCode && input.opdCode !== integrityOpd ? input.opdCode : null;
    const anyUnit = (u: Unit) => u.opdCode !== integrityOpd;
    const place = input.placeCode ? findUnit(profile, input.placeCode) : undefined;
    const accusedUnit =
      (classified ? pickUnit(profile, classified, input)?.unit : undefined) ??
      namedUnit(profile, input.text, anyUnit) ??
      (place && anyUnit(place) ? place : undefined);
    const accusedOpdCode = accusedUnit?.opdCode ?? classified;
    return { opdCode: integrityOpd, unitCode: null, accusedOpdCode, accusedUnitCode: accusedUnit?.code ?? null, reason: 'integrity' };
  }
  if (!input.opdCode) return { opdCode: null, unitCode: null, accusedOpdCode: null, accusedUnitCode: null, reason: 'none' };
  const pick = pickUnit(profile, input.opdCode, input);
  return {
    opdCode: input.opdCode,
    unitCode: pick?.unit.code ?? null,
    accusedOpdCode: null,
    accusedUnitCode: null,
    reason: pick?.reason ?? 'opd',
  };
}

export type DispositionErrorCode = 'UNIT_UNKNOWN' | 'UNIT_NOT_UNDER_OPD' | 'UNIT_ACCUSED';

export class DispositionError extends AppError {
  declare readonly code: DispositionErrorCode;
  constructor(code: DispositionErrorCode, message: string) {
    super(code, message);
    this.name = 'DispositionError';
  }
}

/**
 * Checks a disposition (/disposisi <id> <unit>, or an admin adding a unit admin): the unit exists, belongs to
 * the case's OPD, and is not the one the case accuses. Returns the unit.
 */
export function checkDisposition(profile: CityProfile, opdCode: string, unitCode: string, accusedUnitCode?: string | null): Unit {
  const unit = findUnit(profile, unitCode);
  if (!unit) throw new DispositionError('UNIT_UNKNOWN', `unknown unit "${unitCode}"`);
  if (unit.opdCode !== opdCode) throw new DispositionError('UNIT_NOT_UNDER_OPD', `unit ${unit.code} belongs to ${unit.opdCode}, not ${opdCode}`);
  if (accusedUnitCode && unit.code === accusedUnitCode) throw new DispositionError('UNIT_ACCUSED', `the case accuses unit ${unit.code}`);
  return unit;
}

/** Units an OPD admin can dispose a case to (for the Disposisi buttons), accused unit left out. */
export function disposableUnits(profile: CityProfile, opdCode: string, accusedUnitCode?: string | null): Unit[] {
  return unitsOfOpd(profile, opdCode).filter((u) => u.code !== accusedUnitCode);
}
