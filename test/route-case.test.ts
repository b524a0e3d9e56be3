import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CityProfileError, loadCityProfile, recognizeArea } from '../lib/city-profile.ts';
import { findUnit, recognizeUnits, unitsOfOpd } from '../lib/city-units.ts';
import { checkDisposition, disposableUnits, DispositionError, routeCase } from '../domain/route-case.ts';
import { detectIntegrityComplaint } from '../nlp/detect-integrity-complaint.ts';

const profile = loadCityProfile('malang');
const GEO = path.resolve(import.meta.dirname, '../../shared/reference/geo/malang-kelurahan.geojson');
const OPD_TXT = path.resolve(import.meta.dirname, '../../shared/reference/malang-opd.txt');

describe('units in the Malang profile', () => {
  it('has a kelurahan office for each of the 57 kelurahan and a kecamatan office for each of the 5 kecamatan', () => {
    const kelurahan = profile.kecamatan.flatMap((k) => k.kelurahan.map((l) => l.name));
    const offices = unitsOfOpd(profile, 'KELURAHAN');
    const kelOffices = offices.filter((u) => u.kind === 'kelurahan');
    expect(kelOffices.map((u) => u.serves?.kelurahan[0]).sort()).toEqual([...kelurahan].sort());
    expect(offices.filter((u) => u.kind === 'kecamatan').map((u) => u.kecamatan).sort()).toEqual(profile.kecamatan.map((k) => k.name).sort());
    for (const u of kelOffices) expect(u.code).toMatch(/^KEL-[A-Z0-9-]+$/);
  });

  it.skipIf(!fs.existsSync(GEO))('names the same 57 kelurahan as the boundary file (read from ../shared, not copied)', () => {
    const geo = JSON.parse(fs.readFileSync(GEO, 'utf8')) as { features: Array<{ properties: { kelurahan: string; kecamatan: string } }> };
    const fromGeo = geo.features.map((f) => `${f.properties.kecamatan}/${f.properties.kelurahan}`).sort();
    const fromUnits = unitsOfOpd(profile, 'KELURAHAN')
      .filter((u) => u.kind === 'kelurahan')
      .map((u) => `${u.kecamatan}/${u.kelurahan}`)
      .sort();
    expect(fromUnits).toEqual(fromGeo);
  });

  it.skipIf(!fs.existsSync(OPD_TXT))('has every puskesmas of the reference list under DINKES, serving its kecamatan', () => {
    const txt = fs.readFileSync(OPD_TXT, 'utf8');
    const section = txt.split('## Puskesmas')[1].split('\n').filter((l) => /^\w+: /.test(l));
    const listed = section.flatMap((line) => {
      const [kec, rest] = line.split(': ');
      return [...rest.matchAll(/Puskesmas ([A-Z][a-z]+(?: [A-Z][a-z]+)?)/g)].map((m) => ({ kec, name: `Puskesmas ${m[1]}` }));
    });
    expect(listed.length).toBe(15);
    const puskesmas = profile.units.filter((u) => u.kind === 'puskesmas');
    for (const { kec, name } of listed) {
      const unit = puskesmas.find((u) => u.name === name);
      expect(unit, name).toBeDefined();
      expect(unit!.opdCode).toBe('DINKES');
      expect(unit!.serves?.kecamatan).toEqual([kec]);
    }
    // The 16th (Polowijen) is named in newer data the reference mentions.
    expect(puskesmas.map((u) => u.code)).toContain('PKM-POLOWIJEN');
  });

  it('keeps the QR places that are units under the same OPD', () => {
    for (const place of profile.places) {
      const unit = findUnit(profile, place.code);
      if (unit) expect(unit.opdCode).toBe(place.opdCode);
    }
    expect(findUnit(profile, 'pkm-arjuno')?.name).toBe('Puskesmas Arjuno');
  });

  it('rejects units under an unknown OPD or serving an unknown kelurahan, naming the problem', () => {
    const write = (mutate: (p: ReturnType<typeof structuredClone<typeof profile>>) => void) => {
      const broken = structuredClone(profile);
      mutate(broken);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-')), 'broken.json');
      fs.writeFileSync(file, JSON.stringify(broken));
      return file;
    };
    expect(() => loadCityProfile(write((p) => (p.units[0].opdCode = 'NOPE')))).toThrow(/units\.0\.opdCode: unknown OPD NOPE/);
    expect(() => loadCityProfile(write((p) => (p.units[7].serves = { kelurahan: ['Atlantis'], kecamatan: [] })))).toThrow(/unknown kelurahan Atlantis/);
    expect(() => loadCityProfile(write((p) => p.units.push({ ...p.units[3] })))).toThrow(/duplicate unit code/);
    expect(() => loadCityProfile(write((p) => (p.units.find((u) => u.code === 'PKM-ARJUNO')!.opdCode = 'DLH')))).toThrow(CityProfileError);
    expect(() => loadCityProfile(write((p) => (p.integrityOpdCode = 'KPK')))).toThrow(/integrityOpdCode: unknown OPD KPK/);
  });

  it('recognises units named in text, longest name first', () => {
    expect(recognizeUnits(profile, 'pelayanan di Puskesmas Kendal Kerep lama')[0].unit.code).toBe('PKM-KENDALKEREP');
    expect(recognizeUnits(profile, 'ke kantor kel. Gading Kasri')[0].unit.code).toBe('KEL-GADINGKASRI');
    expect(recognizeUnits(profile, 'jalan rusak di sumbersari')).toEqual([]);
  });
});

describe('routing a case to its unit', () => {
  const area = (text: string) => recognizeArea(profile, text);

  it('sends a kelurahan matter to the kelurahan office of the case area', () => {
    const r = routeCase(profile, { opdCode: 'KELURAHAN', ...area('RT 03 RW 05 Kelurahan Sumbersari, Lowokwaru') });
    expect(r).toEqual({ opdCode: 'KELURAHAN', unitCode: 'KEL-SUMBERSARI', accusedOpdCode: null, accusedUnitCode: null, reason: 'kelurahan' });
  });

  it('falls back to the kecamatan office when only the kecamatan is known', () => {
    expect(routeCase(profile, { opdCode: 'KELURAHAN', kecamatan: 'Sukun' })).toMatchObject({ unitCode: 'KEC-SUKUN', reason: 'kecamatan' });
  });

  it('leaves it with the OPD when no area is known', () => {
    expect(routeCase(profile, { opdCode: 'KELURAHAN' })).toMatchObject({ opdCode: 'KELURAHAN', unitCode: null, reason: 'opd' });
  });

  it('sends a health complaint from a puskesmas QR code to that puskesmas', () => {
    expect(routeCase(profile, { opdCode: 'DINKES', placeCode: 'PKM-ARJUNO', kelurahan: 'Kauman', kecamatan: 'Klojen' })).toMatchObject({
      opdCode: 'DINKES',
      unitCode: 'PKM-ARJUNO',
      reason: 'place',
    });
  });

  it('sends a health complaint naming a puskesmas to it, and one naming only a kelurahan to DINKES as a whole', () => {
    expect(routeCase(profile, { opdCode: 'DINKES', text: 'Antrean di Puskesmas Mojolangu sampai siang' })).toMatchObject({ unitCode: 'PKM-MOJOLANGU', reason: 'named' });
    // Lowokwaru has three puskesmas and their wilayah kerja are not in the profile: a person chooses.
    expect(routeCase(profile, { opdCode: 'DINKES', kelurahan: 'Sumbersari', kecamatan: 'Lowokwaru', text: 'banyak DBD di RW 2' })).toMatchObject({
      unitCode: null,
      reason: 'opd',
    });
  });

  it('ignores a QR place of another OPD: a road case at the puskesmas goes to DPUPRPKP, with no unit', () => {
    expect(routeCase(profile, { opdCode: 'DPUPRPKP', placeCode: 'PKM-DINOYO', kelurahan: 'Dinoyo' })).toMatchObject({ opdCode: 'DPUPRPKP', unitCode: null });
  });

  it('sends an integrity complaint to the Inspektorat and records the accused unit and OPD', () => {
    const text = 'Pegawai kelurahan minta uang 100 ribu untuk surat pengantar, katanya biar cepat';
    const verdict = detectIntegrityComplaint(text);
    const r = routeCase(profile, { opdCode: 'KELURAHAN', kelurahan: 'Sumbersari', kecamatan: 'Lowokwaru', text, integrityComplaint: verdict.integrity });
    expect(r).toEqual({ opdCode: 'INSPEKTORAT', unitCode: null, accusedOpdCode: 'KELURAHAN', accusedUnitCode: 'KEL-SUMBERSARI', reason: 'integrity' });
  });

  it('finds the accused puskesmas from the text even when the classifier already chose the Inspektorat', () => {
    const text = 'Perawat Puskesmas Kendalsari membentak ibu saya';
    const r = routeCase(profile, { opdCode: 'INSPEKTORAT', text, integrityComplaint: detectIntegrityComplaint(text).integrity });
    expect(r).toMatchObject({ opdCode: 'INSPEKTORAT', accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-KENDALSARI' });
  });

  it('keeps an integrity complaint with the admin instansi in a city with no integrity OPD', () => {
    const { integrityOpdCode: _, ...noInspektorat } = profile;
    const r = routeCase(noInspektorat, { opdCode: 'DINKES', placeCode: 'PKM-JANTI', integrityComplaint: true });
    expect(r).toMatchObject({ opdCode: null, unitCode: null, accusedOpdCode: 'DINKES', accusedUnitCode: 'PKM-JANTI' });
  });

  it('checks dispositions: unit known, under the case OPD, not the accused', () => {
    expect(checkDisposition(profile, 'DINKES', 'pkm-bareng').code).toBe('PKM-BARENG');
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(DispositionError);
        return (err as DispositionError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => checkDisposition(profile, 'DINKES', 'PKM-NOWHERE'))).toBe('UNIT_UNKNOWN');
    expect(codeOf(() => checkDisposition(profile, 'DINKES', 'KEL-SUKUN'))).toBe('UNIT_NOT_UNDER_OPD');
    expect(codeOf(() => checkDisposition(profile, 'DINKES', 'PKM-JANTI', 'PKM-JANTI'))).toBe('UNIT_ACCUSED');
    const units = disposableUnits(profile, 'DINKES', 'PKM-JANTI').map((u) => u.code);
    expect(units).toHaveLength(15);
    expect(units).not.toContain('PKM-JANTI');
  });
});
