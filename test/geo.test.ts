import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoJsonBoundary, GeoFileError } from '../lib/geo.ts';
import { loadCityProfile } from '../lib/city-profile.ts';

/**
 * lib/geo against Kota Malang's real boundary files, read from ../shared/reference/geo (never copied into the
 * repository; skipped with a message when absent), and against small hand-made polygons that always run.
 */
const GEO = path.resolve(import.meta.dirname, '..', '..', 'shared', 'reference', 'geo');
const KELURAHAN = path.join(GEO, 'malang-kelurahan.geojson');
const NEARBY = path.join(GEO, 'malang-sekitar-desa.geojson');
const LANDMARKS = path.join(GEO, 'malang-landmarks.geojson');
const present = [KELURAHAN, NEARBY, LANDMARKS].every((f) => fs.existsSync(f));
if (!present) console.warn(`geo.test: ${GEO} is absent; the Kota Malang boundary checks are skipped`);

interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: number[] };
}

describe.skipIf(!present)('Kota Malang boundary (../shared/reference/geo)', () => {
  const boundary = present ? GeoJsonBoundary.load(KELURAHAN, NEARBY) : undefined;
  const profile = loadCityProfile('malang');

  it('loads all 57 kelurahan, each named as in the city profile', () => {
    expect(boundary!.kelurahanCount).toBe(57);
    const names = new Set(profile.kecamatan.flatMap((k) => k.kelurahan.map((l) => l.name)));
    const features = (JSON.parse(fs.readFileSync(KELURAHAN, 'utf8')) as { features: Feature[] }).features;
    for (const f of features) expect(names.has(String(f.properties.kelurahan))).toBe(true);
  });

  it('puts every kelurahan label point in its own kelurahan and kecamatan', () => {
    const features = (JSON.parse(fs.readFileSync(KELURAHAN, 'utf8')) as { features: Feature[] }).features;
    let agree = 0;
    for (const f of features) {
      const hit = boundary!.locate(Number(f.properties.label_lat), Number(f.properties.label_lon));
      if (hit.inside && hit.kelurahan === f.properties.kelurahan && hit.kecamatan === f.properties.kecamatan) agree++;
    }
    // Label points are the source's centroids; a concave kelurahan may have its centroid next door.
    expect(agree).toBeGreaterThanOrEqual(54);
  });

  it('agrees with the landmarks file, whose kelurahan were found by hand and by address', () => {
    const features = (JSON.parse(fs.readFileSync(LANDMARKS, 'utf8')) as { features: Feature[] }).features;
    let checked = 0;
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const hit = boundary!.locate(lat, lon);
      if (f.properties.in_kota_malang === false) {
        expect(hit.inside, String(f.properties.name)).toBe(false);
        continue;
      }
      // The one manual override (Alun-alun Tugu on a tri-point) is the file's own decision, not a lookup.
      if (String(f.properties.kelurahan_method).startsWith('manual')) continue;
      expect(hit, String(f.properties.name)).toMatchObject({ inside: true, kelurahan: f.properties.kelurahan, kecamatan: f.properties.kecamatan });
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('names the desa around the city for a point outside it, and nothing for a point far away', () => {
    const nearby = (JSON.parse(fs.readFileSync(NEARBY, 'utf8')) as { features: Feature[] }).features;
    const landungsari = nearby.find((f) => f.properties.desa_kelurahan === 'Landungsari')!;
    expect(boundary!.locate(Number(landungsari.properties.label_lat), Number(landungsari.properties.label_lon))).toEqual({
      inside: false,
      desa: 'Landungsari',
      kecamatan: 'Dau',
      region: 'Kabupaten Malang',
    });
    expect(boundary!.locate(-6.2, 106.8)).toEqual({ inside: false });
  });

  it('every landmark of the city profile has a kelurahan the boundary knows', () => {
    const names = new Set(profile.kecamatan.flatMap((k) => k.kelurahan.map((l) => `${l.name}/${k.name}`)));
    for (const l of profile.landmarks) if (!l.outside) expect(names.has(`${l.kelurahan}/${l.kecamatan}`), l.name).toBe(true);
  });
});

describe('lib/geo on small polygons', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'geo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const square = (x: number, y: number, size: number) => [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];
  const write = (name: string, features: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
    return file;
  };
  const city = write('city.geojson', [
    { type: 'Feature', properties: { kelurahan: 'Barat', kecamatan: 'Satu' }, geometry: { type: 'Polygon', coordinates: square(112.0, -8.0, 0.01) } },
    // A 0.0005° (~55 m) gap, as simplified polygons leave between neighbours.
    { type: 'Feature', properties: { NAMOBJ: 'Timur', WADMKC: 'Dua' }, geometry: { type: 'Polygon', coordinates: square(112.0105, -8.0, 0.01) } },
  ]);
  const around = write('around.geojson', [
    { type: 'Feature', properties: { desa_kelurahan: 'Luar', kecamatan: 'Tiga', kabupaten_kota: 'Kabupaten X' }, geometry: { type: 'Polygon', coordinates: square(112.03, -8.0, 0.01) } },
  ]);
  const boundary = GeoJsonBoundary.load(city, around);

  it('finds the polygon, with either naming convention', () => {
    expect(boundary.locate(-7.995, 112.005)).toEqual({ inside: true, kelurahan: 'Barat', kecamatan: 'Satu', method: 'inside' });
    expect(boundary.locate(-7.995, 112.015)).toEqual({ inside: true, kelurahan: 'Timur', kecamatan: 'Dua', method: 'inside' });
  });

  it('a point in the thin gap between two kelurahan goes to the nearest one', () => {
    expect(boundary.locate(-7.995, 112.0101)).toMatchObject({ inside: true, kelurahan: 'Barat', method: 'nearest' });
    expect(boundary.locate(-7.995, 112.0104)).toMatchObject({ inside: true, kelurahan: 'Timur', method: 'nearest' });
  });

  it('a point beyond the city is outside, named when the villages around are known', () => {
    expect(boundary.locate(-7.995, 112.035)).toEqual({ inside: false, desa: 'Luar', kecamatan: 'Tiga', region: 'Kabupaten X' });
    expect(boundary.locate(-7.995, 112.025)).toEqual({ inside: false });
  });

  it('a file that is not a GeoJSON of named polygons is refused with a clear error', () => {
    const bad = write('bad.geojson', [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [112, -8] } }]);
    expect(() => GeoJsonBoundary.load(bad)).toThrow(GeoFileError);
    expect(() => GeoJsonBoundary.load(path.join(dir, 'missing.geojson'))).toThrow(/missing\.geojson/);
  });
});
