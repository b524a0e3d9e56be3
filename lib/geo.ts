import fs from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { point } from '@turf/helpers';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

/**
 * Where a shared pin lies: in which kelurahan of the city, or outside it (and then in which nearby desa, when a
 * file of the neighbours is configured). Point-in-polygon is @turf/boolean-point-in-polygon; this module only
 * loads the files, picks the name properties and handles the thin gaps that simplified boundaries leave.
 */
export type PinLocation =
  | { inside: true; kelurahan: string; kecamatan: string; method: 'inside' | 'nearest' }
  | { inside: false; desa?: string; kecamatan?: string; region?: string };

/** What a flow needs from the boundary files: nothing but a lookup (no I/O after loading). */
export interface CityBoundary {
  locate(latitude: number, longitude: number): PinLocation;
}

/**
 * A point this close to a kelurahan (but in none: a sliver between two simplified polygons, or a notch at the
 * city edge) counts as in it. The reference polygons are within ~11 m of the full-resolution ones and their
 * gaps are under ~25 m wide, so 100 m catches every gap without pulling in the next village over.
 */
const NEAREST_WITHIN_M = 100;

interface Area {
  name: string;
  kecamatan: string;
  region?: string;
  feature: Feature<Polygon | MultiPolygon>;
  bbox: [number, number, number, number];
}

export class GeoFileError extends Error {
  readonly code = 'GEO_FILE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'GeoFileError';
  }
}

// Property names used by common Indonesian boundary files: the reference files' own, and BIG's (NAMOBJ/WADMKD…).
const NAME_KEYS = ['kelurahan', 'desa_kelurahan', 'desa', 'NAMOBJ', 'WADMKD', 'name', 'nama'];
const KECAMATAN_KEYS = ['kecamatan', 'WADMKC', 'kec'];
const REGION_KEYS = ['kabupaten_kota', 'WADMKK', 'kota', 'kabupaten'];

function pick(props: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const v = props[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

function bboxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

function readAreas(file: string): Area[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new GeoFileError(`${file}: ${(err as Error).message}`);
  }
  const features = (raw as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new GeoFileError(`${file}: not a GeoJSON FeatureCollection`);
  const areas: Area[] = [];
  for (const f of features as Array<Feature>) {
    if (!f?.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const name = pick(props, NAME_KEYS);
    if (!name) continue;
    areas.push({
      name,
      kecamatan: pick(props, KECAMATAN_KEYS) ?? '',
      region: pick(props, REGION_KEYS),
      feature: f as Feature<Polygon | MultiPolygon>,
      bbox: bboxOf(f.geometry),
    });
  }
  if (areas.length === 0) throw new GeoFileError(`${file}: no polygon with a name property (${NAME_KEYS.join(', ')})`);
  return areas;
}

function inBbox(area: Area, lon: number, lat: number, marginDeg = 0): boolean {
  const [minX, minY, maxX, maxY] = area.bbox;
  return lon >= minX - marginDeg && lon <= maxX + marginDeg && lat >= minY - marginDeg && lat <= maxY + marginDeg;
}

/** ~0.001° is ~110 m at the equator: the bounding-box margin for the nearest-kelurahan search. */
const MARGIN_DEG = 0.0012;

export class GeoJsonBoundary implements CityBoundary {
  private constructor(
    private readonly city: Area[],
    private readonly nearby: Area[],
  ) {}

  /** Loads the city's kelurahan polygons and, optionally, the villages around it. */
  static load(boundaryFile: string, nearbyFile?: string): GeoJsonBoundary {
    return new GeoJsonBoundary(readAreas(boundaryFile), nearbyFile ? readAreas(nearbyFile) : []);
  }

  get kelurahanCount(): number {
    return this.city.length;
  }

  locate(latitude: number, longitude: number): PinLocation {
    const pt = point([longitude, latitude]);
    for (const area of this.city) {
      if (inBbox(area, longitude, latitude) && booleanPointInPolygon(pt, area.feature)) {
        return { inside: true, kelurahan: area.name, kecamatan: area.kecamatan, method: 'inside' };
      }
    }
    let nearest: { area: Area; meters: number } | undefined;
    for (const area of this.city) {
      if (!inBbox(area, longitude, latitude, MARGIN_DEG)) continue;
      const meters = Math.abs(pointToPolygonDistance(pt, area.feature, { units: 'meters' }));
      if (meters <= NEAREST_WITHIN_M && (!nearest || meters < nearest.meters)) nearest = { area, meters };
    }
    if (nearest) return { inside: true, kelurahan: nearest.area.name, kecamatan: nearest.area.kecamatan, method: 'nearest' };
    for (const area of this.nearby) {
      if (inBbox(area, longitude, latitude) && booleanPointInPolygon(pt, area.feature)) {
        return { inside: false, desa: area.name, kecamatan: area.kecamatan || undefined, region: area.region };
      }
    }
    return { inside: false };
  }
}
