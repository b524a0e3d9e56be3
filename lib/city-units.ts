import { normalizeForMatch, normalizedName, type CityProfile, type Unit } from './city-profile.ts';

/** A unit by code (case and surrounding spaces forgiven). */
export function findUnit(profile: CityProfile, unitCode: string): Unit | undefined {
  const wanted = unitCode.trim().toUpperCase();
  return profile.units.find((u) => u.code === wanted);
}

export function unitsOfOpd(profile: CityProfile, opdCode: string): Unit[] {
  return profile.units.filter((u) => u.opdCode === opdCode);
}

// Citizens abbreviate the office words: "kel. Sumbersari", "kec Klojen", "pusk. Dinoyo".
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/^kelurahan /, 'kel '],
  [/^kecamatan /, 'kec '],
  [/^puskesmas /, 'pusk '],
];

// Units are matched against every filed case: their names are normalised and padded once per unit object
// (" puskesmas arjuno ", and " puskesmasarjuno " for text that runs the words together).
interface Needle {
  length: number;
  /** A word the text must contain for the name to match at all: a cheap test before the substring search. */
  lastWord: string;
  padded: string;
  compact?: string;
}
const needleCache = new WeakMap<Unit, Needle[]>();

function needlesOf(unit: Unit): Needle[] {
  const cached = needleCache.get(unit);
  if (cached) return cached;
  const names = [unit.name, ...unit.aliases].map(normalizeForMatch).filter(Boolean);
  const extra = names.flatMap((n) => ABBREVIATIONS.filter(([re]) => re.test(n)).map(([re, short]) => n.replace(re, short)));
  const needles = [...new Set([...names, ...extra])].map((n) => ({
    length: n.length,
    lastWord: n.slice(n.lastIndexOf(' ') + 1),
    padded: ` ${n} `,
    compact: n.includes(' ') ? ` ${n.replace(/ /g, '')} ` : undefined,
  }));
  needleCache.set(unit, needles);
  return needles;
}

export interface UnitMention {
  unit: Unit;
  /** Length of the matched name: longer names are more specific ("Kantor Kecamatan Sukun" over "Sukun"). */
  length: number;
}

/** Units named in free text ("pelayanan di Puskesmas Arjuno lama"), most specific first. */
export function recognizeUnits(profile: CityProfile, text: string, filter: (unit: Unit) => boolean = () => true): UnitMention[] {
  const normalized = normalizeForMatch(text);
  const haystack = ` ${normalized} `;
  const words = new Set(normalized.split(' '));
  const mentions: UnitMention[] = [];
  for (const unit of profile.units) {
    if (!filter(unit)) continue;
    let best = 0;
    for (const needle of needlesOf(unit)) {
      if (needle.length <= best) continue;
      // Run-together text ("puskesmasarjuno") has no separate last word: only then is the compact form tried.
      if (words.has(needle.lastWord) ? haystack.includes(needle.padded) : needle.compact !== undefined && haystack.includes(needle.compact)) best = needle.length;
    }
    if (best > 0) mentions.push({ unit, length: best });
  }
  return mentions.sort((a, b) => b.length - a.length);
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && normalizedName(a) === normalizedName(b);

/**
 * Units of an OPD that act for an area: those naming the kelurahan itself first, then those serving its whole
 * kecamatan. Units without `serves` (schools) never come from an area.
 */
export function unitsServingArea(profile: CityProfile, opdCode: string, area: { kelurahan?: string; kecamatan?: string }): { byKelurahan: Unit[]; byKecamatan: Unit[] } {
  const kecamatan = area.kecamatan ?? profile.kecamatan.find((k) => k.kelurahan.some((l) => same(l.name, area.kelurahan)))?.name;
  const units = unitsOfOpd(profile, opdCode).filter((u) => u.serves);
  return {
    byKelurahan: area.kelurahan ? units.filter((u) => u.serves!.kelurahan.some((k) => same(k, area.kelurahan))) : [],
    byKecamatan: kecamatan ? units.filter((u) => u.serves!.kecamatan.some((k) => same(k, kecamatan))) : [],
  };
}
