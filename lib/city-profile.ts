import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LRUCache } from 'lru-cache';
import { EMERGENCY_KINDS } from './emergency-kinds.ts';

const PROFILES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'db', 'city-profiles');

const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/, 'codes are upper-case letters, digits and dashes');

export const UNIT_KINDS = ['kelurahan', 'kecamatan', 'puskesmas', 'upt', 'sekolah'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

const unitSchema = z.object({
  code,
  opdCode: code,
  kind: z.enum(UNIT_KINDS),
  name: z.string().min(1),
  /** Other names citizens write ("PKM Arjuno", "Kelurahan Gading Kasri"), matched in the complaint text. */
  aliases: z.array(z.string().min(1)).default([]),
  address: z.string().optional(),
  /** Where the office stands. */
  kecamatan: z.string().optional(),
  kelurahan: z.string().optional(),
  /** The area it acts for: whole kecamatan and/or single kelurahan (a puskesmas' wilayah kerja). */
  serves: z.object({ kecamatan: z.array(z.string()).default([]), kelurahan: z.array(z.string()).default([]) }).optional(),
});

// Only the parts checkUnits reads, so it can be typed before the full schema exists.
const baseUnitsView = z.object({
  kecamatan: z.array(z.object({ name: z.string(), kelurahan: z.array(z.object({ name: z.string() })) })),
  places: z.array(z.object({ code: z.string(), opdCode: z.string().optional() })),
  units: z.array(unitSchema),
  integrityOpdCode: z.string().optional(),
});

export const cityProfileSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    province: z.string().optional(),
    timezone: z.string().default('Asia/Jakarta'),
    holidays: z.object({
      country: z.string().length(2),
      region: z.string().nullable().optional(),
      /** City-specific days off (YYYY-MM-DD). */
      extra: z.array(z.iso.date()).default([]),
      /** Cuti bersama announced each year (YYYY-MM-DD). */
      cutiBersama: z.array(z.iso.date()).default([]),
    }),
    /** Numbers a citizen is given at once when a report looks like an emergency, and urgent deadlines. */
    emergency: z
      .object({
        contacts: z
          .array(
            z.object({
              code,
              name: z.string().min(1),
              nameEn: z.string().min(1).optional(),
              number: z.string().regex(/^\+?[0-9][0-9 -]{1,19}$/, 'a telephone number: digits, spaces and dashes'),
              /** The emergencies this number serves first; empty means every kind (e.g. Call Center 112). */
              kinds: z.array(z.enum(EMERGENCY_KINDS)).default([]),
            }),
          )
          .min(1),
        /**
         * Deadlines of an urgent case in clock hours, not working days: an emergency does not wait for Monday.
         * verifyHours: the admin instansi verifies and forwards; followUpHours: the OPD's first follow-up.
         */
        urgentDeadlines: z.object({
          verifyHours: z.number().positive().max(72),
          followUpHours: z.number().positive().max(168),
        }),
      })
      .default({
        // The national numbers, so a profile written before emergencies existed still answers with something right.
        contacts: [
          { code: 'CALL-CENTER-112', name: 'Call Center darurat', nameEn: 'Emergency call centre', number: '112', kinds: [] },
          { code: 'DAMKAR', name: 'Pemadam kebakaran (Damkar)', nameEn: 'Fire brigade', number: '113', kinds: ['fire', 'gas_leak'] },
          { code: 'POLISI', name: 'Polisi', nameEn: 'Police', number: '110', kinds: ['violence', 'accident'] },
          { code: 'AMBULANS', name: 'Ambulans', nameEn: 'Ambulance', number: '119', kinds: ['medical', 'accident'] },
        ],
        urgentDeadlines: { verifyHours: 2, followUpHours: 24 },
      }),
    opds: z
      .array(z.object({ code, name: z.string().min(1), scope: z.string().min(1), keywords: z.array(z.string().min(1)) }))
      .min(1),
    categories: z
      .array(
        z.object({
          code,
          name: z.string().min(1),
          defaultOpdCode: code,
          laporCategory: z.string().optional(),
          keywords: z.array(z.string().min(1)),
          /** How the bot names the topic back to the citizen ("Baik, soal jalan rusak ya."), per language. */
          topic: z.object({ id: z.string().min(1), en: z.string().min(1) }).optional(),
        }),
      )
      .min(1),
    kecamatan: z.array(
      z.object({
        name: z.string().min(1),
        aliases: z.array(z.string()).default([]),
        kelurahan: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string()).default([]) })),
      }),
    ),
    places: z
      .array(
        z.object({
          code,
          name: z.string().min(1),
          kind: z.string(),
          address: z.string().optional(),
          kecamatan: z.string().optional(),
          kelurahan: z.string().optional(),
          opdCode: code.optional(),
          categoryCode: code.optional(),
          /** Other names citizens use ("pkm janti", "pasar besar"). */
          aliases: z.array(z.string().min(1)).default([]),
        }),
      )
      .default([]),
    /**
     * Offices under an OPD that receive cases themselves: kelurahan and kecamatan offices, puskesmas, UPTs,
     * schools. `serves` names the area a unit acts for; a unit without it is reached only through its place
     * (QR code) or its name in the complaint.
     */
    units: z.array(unitSchema).default([]),
    /**
     * The OPD that handles integrity complaints about officers (pungli, rude or refused service), so they never
     * go to the unit or OPD accused. Absent: such cases stay with the admin instansi.
     */
    integrityOpdCode: code.optional(),
    /** Landmarks citizens give as a location ("alun-alun tugu", "dkt polinema"): recognised, never routed to. */
    landmarks: z
      .array(
        z.object({
          name: z.string().min(1),
          kind: z.string(),
          aliases: z.array(z.string().min(1)).default([]),
          kelurahan: z.string().optional(),
          kecamatan: z.string().optional(),
          /** A landmark outside the city's boundary (the airport): named, and the citizen is asked to confirm. */
          outside: z.string().optional(),
        }),
      )
      .default([]),
    /** Places outside the city citizens may name ("Surabaya", "Kec. Dau"): the bot asks before going on. */
    elsewhere: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string().min(1)).default([]) })).default([]),
  })
  .superRefine((profile, ctx) => {
    const opdCodes = new Set(profile.opds.map((o) => o.code));
    const categoryCodes = new Set(profile.categories.map((c) => c.code));
    const dup = (values: string[]) => values.find((v, i) => values.indexOf(v) !== i);
    const dupOpd = dup(profile.opds.map((o) => o.code));
    if (dupOpd) ctx.addIssue({ code: 'custom', path: ['opds'], message: `duplicate OPD code ${dupOpd}` });
    const dupCat = dup(profile.categories.map((c) => c.code));
    if (dupCat) ctx.addIssue({ code: 'custom', path: ['categories'], message: `duplicate category code ${dupCat}` });
    const dupContact = dup(profile.emergency.contacts.map((c) => c.code));
    if (dupContact) ctx.addIssue({ code: 'custom', path: ['emergency', 'contacts'], message: `duplicate emergency contact ${dupContact}` });
    profile.categories.forEach((c, i) => {
      if (!opdCodes.has(c.defaultOpdCode))
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'defaultOpdCode'], message: `unknown OPD ${c.defaultOpdCode}` });
    });
    profile.places.forEach((p, i) => {
      if (p.opdCode && !opdCodes.has(p.opdCode))
        ctx.addIssue({ code: 'custom', path: ['places', i, 'opdCode'], message: `unknown OPD ${p.opdCode}` });
      if (p.categoryCode && !categoryCodes.has(p.categoryCode))
        ctx.addIssue({ code: 'custom', path: ['places', i, 'categoryCode'], message: `unknown category ${p.categoryCode}` });
    });
    checkUnits(profile, opdCodes, ctx);
  });

/** Units must sit under a known OPD, name real kelurahan/kecamatan, and not clash with an OPD or each other. */
function checkUnits(profile: z.output<typeof baseUnitsView>, opdCodes: Set<string>, ctx: z.RefinementCtx): void {
  const kecamatan = new Set(profile.kecamatan.map((k) => k.name));
  const kelurahan = new Set(profile.kecamatan.flatMap((k) => k.kelurahan.map((l) => l.name)));
  const seen = new Set<string>();
  profile.units.forEach((u, i) => {
    const at = (field: string) => ['units', i, field];
    if (seen.has(u.code)) ctx.addIssue({ code: 'custom', path: at('code'), message: `duplicate unit code ${u.code}` });
    seen.add(u.code);
    if (opdCodes.has(u.code)) ctx.addIssue({ code: 'custom', path: at('code'), message: `unit code ${u.code} is also an OPD code` });
    if (!opdCodes.has(u.opdCode)) ctx.addIssue({ code: 'custom', path: at('opdCode'), message: `unknown OPD ${u.opdCode}` });
    if (u.kecamatan && !kecamatan.has(u.kecamatan)) ctx.addIssue({ code: 'custom', path: at('kecamatan'), message: `unknown kecamatan ${u.kecamatan}` });
    if (u.kelurahan && !kelurahan.has(u.kelurahan)) ctx.addIssue({ code: 'custom', path: at('kelurahan'), message: `unknown kelurahan ${u.kelurahan}` });
    for (const name of u.serves?.kecamatan ?? [])
      if (!kecamatan.has(name)) ctx.addIssue({ code: 'custom', path: at('serves'), message: `unknown kecamatan ${name}` });
    for (const name of u.serves?.kelurahan ?? [])
      if (!kelurahan.has(name)) ctx.addIssue({ code: 'custom', path: at('serves'), message: `unknown kelurahan ${name}` });
  });
  // A place that is itself a unit (the QR code at Puskesmas Arjuno) must belong to the same OPD.
  const unitByCode = new Map(profile.units.map((u) => [u.code, u]));
  profile.places.forEach((p, i) => {
    const unit = unitByCode.get(p.code);
    if (unit && p.opdCode && unit.opdCode !== p.opdCode)
      ctx.addIssue({ code: 'custom', path: ['places', i, 'opdCode'], message: `place ${p.code} is a unit of ${unit.opdCode}, not ${p.opdCode}` });
  });
  if (profile.integrityOpdCode && !opdCodes.has(profile.integrityOpdCode))
    ctx.addIssue({ code: 'custom', path: ['integrityOpdCode'], message: `unknown OPD ${profile.integrityOpdCode}` });
}

export type CityProfile = z.output<typeof cityProfileSchema>;
export type Opd = CityProfile['opds'][number];
export type Category = CityProfile['categories'][number];
export type Place = CityProfile['places'][number];
export type Unit = CityProfile['units'][number];
export type EmergencyContact = CityProfile['emergency']['contacts'][number];
export type Landmark = CityProfile['landmarks'][number];

export class CityProfileError extends Error {
  readonly code = 'CITY_PROFILE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CityProfileError';
  }
}

/** Loads a profile by name (a file in db/city-profiles) or by path, and validates it. */
export function loadCityProfile(nameOrPath = 'malang'): CityProfile {
  const file =
    nameOrPath.endsWith('.json') || nameOrPath.includes('/') ? path.resolve(nameOrPath) : path.join(PROFILES_DIR, `${nameOrPath}.json`);
  if (!fs.existsSync(file)) throw new CityProfileError(`CITY_PROFILE: no city profile at ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CityProfileError(`CITY_PROFILE: ${file} is not valid JSON (${(err as Error).message})`);
  }
  const result = cityProfileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CityProfileError(`CITY_PROFILE: ${file} is invalid: ${problems}`);
  }
  return result.data;
}

export function normalizeForMatch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * normalizeForMatch for names the code matches against over and over (kelurahan, kecamatan, cue words): every
 * message compares its text with every name of the city, so the names are normalised once. Only for a bounded set
 * of static strings; the cap guards against a caller passing message text by mistake.
 */
export function normalizedName(name: string): string {
  let normalized = nameCache.get(name);
  if (normalized === undefined) {
    normalized = normalizeForMatch(name);
    nameCache.set(name, normalized);
  }
  return normalized;
}
/** Far above a city's names and aliases (a few hundred) plus the cue lists; reached only by misuse. */
const NAME_CACHE_MAX = 20_000;
const nameCache = new LRUCache<string, string>({ max: NAME_CACHE_MAX });

export interface RecognizedArea {
  kelurahan?: string;
  kecamatan?: string;
}

/** Finds a kelurahan and/or kecamatan of the city named in free text ("Jl. Sumbersari 10, Lowokwaru"). */
export function recognizeArea(profile: CityProfile, text: string): RecognizedArea {
  const haystack = ` ${normalizeForMatch(text)} `;
  const has = (name: string) => {
    const needle = normalizedName(name);
    return needle !== '' && (haystack.includes(` ${needle} `) || haystack.includes(` ${needle.replace(/ /g, '')} `));
  };
  let kecamatan: string | undefined;
  let kelurahan: string | undefined;
  for (const kec of profile.kecamatan) {
    if ([kec.name, ...kec.aliases].some(has)) kecamatan ??= kec.name;
  }
  // A kelurahan named like its kecamatan (Sukun, Klojen…) only counts when nothing more specific matches.
  const candidates: Array<{ kel: string; kec: string; sameAsKec: boolean }> = [];
  for (const kec of profile.kecamatan) {
    for (const kel of kec.kelurahan) {
      if ([kel.name, ...kel.aliases].some(has)) candidates.push({ kel: kel.name, kec: kec.name, sameAsKec: kel.name === kec.name });
    }
  }
  const best =
    candidates.find((c) => !c.sameAsKec && (!kecamatan || c.kec === kecamatan)) ??
    candidates.find((c) => !c.sameAsKec) ??
    candidates.find((c) => !kecamatan || c.kec === kecamatan);
  if (best) {
    kelurahan = best.kel;
    kecamatan ??= best.kec;
    if (best.sameAsKec && kecamatan === best.kec && candidates.length === 1 && !/kel(urahan)?\b/i.test(text)) {
      // "Lowokwaru" alone names the kecamatan; only "Kelurahan Lowokwaru" names the kelurahan.
      kelurahan = undefined;
    }
  }
  return { kelurahan, kecamatan };
}

export function findPlace(profile: CityProfile, placeCode: string): Place | undefined {
  const wanted = placeCode.trim().toUpperCase();
  return profile.places.find((p) => p.code === wanted);
}
