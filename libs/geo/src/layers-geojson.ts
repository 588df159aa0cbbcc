import { VigieError } from '@vigie/contracts';
import { ROUTE_KINDS } from './types';
import type { BBox, BorderSection, Country, Hotspot, LocalizedName, PolygonRings, Position, Route, RouteKind } from './types';

/**
 * The layers on disk are GeoJSON FeatureCollections (one feature per line, so diffs stay
 * readable), so operators can inspect and replace them with ordinary GIS tools.
 */
export const LAYER_FILES = {
  countries: 'countries.geojson',
  borderSections: 'border-sections.geojson',
  hotspots: 'hotspots.geojson',
  routes: 'routes.geojson',
} as const;
export type LayerName = keyof typeof LAYER_FILES;

type Json = Record<string, unknown>;

export function formatFeatureCollection(header: Json, features: readonly Json[]): string {
  const head = Object.entries({ type: 'FeatureCollection', ...header })
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`)
    .join('');
  return `{\n${head}  "features": [\n${features.map((f) => `    ${JSON.stringify(f)}`).join(',\n')}\n  ]\n}\n`;
}

export function countriesToFeatures(countries: readonly Country[]): Json[] {
  return countries.map((c) => ({
    type: 'Feature',
    id: c.code,
    properties: { code: c.code, numericCode: c.numericCode, name: c.name, inRegion: c.inRegion },
    geometry: { type: 'MultiPolygon', coordinates: c.polygons },
  }));
}

export function borderSectionsToFeatures(sections: readonly BorderSection[]): Json[] {
  return sections.map((s) => ({
    type: 'Feature',
    id: s.id,
    properties: { id: s.id, name: s.name, countries: s.countries, lengthKm: s.lengthKm },
    geometry: { type: 'LineString', coordinates: s.line },
  }));
}

export function routesToFeatures(routes: readonly Route[]): Json[] {
  return routes.map((r) => ({
    type: 'Feature',
    id: r.id,
    properties: { id: r.id, name: r.name, kind: r.kind, bufferKm: r.bufferKm, countries: r.countries, via: r.via, illustrative: true },
    geometry: { type: 'LineString', coordinates: r.line },
  }));
}

export function parseCountries(json: unknown, file: string): { extent: BBox | undefined; countries: Country[] } {
  const collection = featureCollection(json, file);
  const countries = collection.features.map((f) => {
    const code = f.string('code');
    if (!/^[A-Z]{2}$/.test(code)) throw f.invalid(`code must be ISO 3166-1 alpha-2 upper case, got "${code}"`);
    const polygons = f.geometryIs('MultiPolygon')
      ? f.array(f.geometry['coordinates'], 'coordinates').map((p) => f.polygon(p))
      : f.geometryIs('Polygon')
        ? [f.polygon(f.geometry['coordinates'])]
        : fail(f.invalid('geometry must be a Polygon or MultiPolygon'));
    return { code, numericCode: f.optionalString('numericCode') ?? '', name: f.name(), inRegion: f.boolean('inRegion'), polygons };
  });
  return { extent: collection.bbox, countries };
}

export function parseBorderSections(json: unknown, file: string): BorderSection[] {
  return featureCollection(json, file).features.map((f) => {
    const countries = f.stringArray('countries');
    if (countries.length !== 2) throw f.invalid('countries must name exactly two countries');
    return {
      id: f.string('id'),
      name: f.name(),
      countries: [countries[0]!, countries[1]!],
      lengthKm: f.number('lengthKm'),
      line: f.lineString(),
    };
  });
}

export function parseHotspots(json: unknown, file: string): Hotspot[] {
  return featureCollection(json, file).features.map((f) => {
    if (!f.geometryIs('Polygon')) throw f.invalid('geometry must be a Polygon');
    return { id: f.string('id'), name: f.name(), countries: f.stringArray('countries'), polygon: f.polygon(f.geometry['coordinates']) };
  });
}

export function parseRoutes(json: unknown, file: string): Route[] {
  return featureCollection(json, file).features.map((f) => {
    const kind = f.string('kind');
    if (!(ROUTE_KINDS as readonly string[]).includes(kind)) throw f.invalid(`kind must be one of ${ROUTE_KINDS.join(', ')}`);
    const bufferKm = f.number('bufferKm');
    if (!(bufferKm > 0)) throw f.invalid('bufferKm must be > 0');
    const line = f.lineString();
    const via = f.optionalStringArray('via') ?? [];
    if (via.length > 0 && via.length !== line.length) throw f.invalid('via must name every vertex of the line');
    return { id: f.string('id'), name: f.name(), kind: kind as RouteKind, bufferKm, countries: f.stringArray('countries'), via, line };
  });
}

function featureCollection(json: unknown, file: string): { bbox: BBox | undefined; features: FeatureReader[] } {
  const fc = json as Json | null;
  if (fc?.['type'] !== 'FeatureCollection' || !Array.isArray(fc['features'])) {
    throw new VigieError('GEO_REFERENCE_INVALID', `${file}: not a GeoJSON FeatureCollection`, false, { file });
  }
  const bbox = fc['bbox'];
  const validBBox = Array.isArray(bbox) && bbox.length === 4 && bbox.every((v) => typeof v === 'number');
  if (bbox !== undefined && !validBBox) throw new VigieError('GEO_REFERENCE_INVALID', `${file}: bbox must be [w, s, e, n]`, false, { file });
  return { bbox: validBBox ? (bbox as unknown as BBox) : undefined, features: fc['features'].map((f, i) => new FeatureReader(f, file, i)) };
}

/** Reads one feature's properties and geometry, failing with the file and feature named. */
class FeatureReader {
  readonly properties: Json;
  readonly geometry: Json;

  constructor(
    feature: unknown,
    private readonly file: string,
    private readonly index: number,
  ) {
    const f = feature as Json | null;
    this.properties = (f?.['properties'] ?? {}) as Json;
    this.geometry = (f?.['geometry'] ?? {}) as Json;
    if (f?.['type'] !== 'Feature') throw this.invalid('not a Feature');
  }

  invalid(message: string): VigieError {
    const id = this.properties['id'] ?? this.properties['code'];
    return new VigieError('GEO_REFERENCE_INVALID', `${this.file}: feature #${this.index}${id ? ` (${String(id)})` : ''}: ${message}`, false, {
      file: this.file,
      feature: this.index,
    });
  }

  string(key: string): string {
    const value = this.properties[key];
    if (typeof value !== 'string' || value === '') throw this.invalid(`${key} must be a non-empty string`);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.properties[key] === undefined ? undefined : this.string(key);
  }

  number(key: string): number {
    const value = this.properties[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(`${key} must be a number`);
    return value;
  }

  boolean(key: string): boolean {
    const value = this.properties[key];
    if (typeof value !== 'boolean') throw this.invalid(`${key} must be true or false`);
    return value;
  }

  stringArray(key: string): string[] {
    const value = this.properties[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw this.invalid(`${key} must be an array of strings`);
    return value as string[];
  }

  optionalStringArray(key: string): string[] | undefined {
    return this.properties[key] === undefined ? undefined : this.stringArray(key);
  }

  /** name: {en, fr}; a plain string is accepted for both. */
  name(): LocalizedName {
    const value = this.properties['name'];
    if (typeof value === 'string' && value !== '') return { en: value, fr: value };
    const { en, fr } = (value ?? {}) as Json;
    if (typeof en !== 'string' || typeof fr !== 'string') throw this.invalid('name must be {en, fr} or a string');
    return { en, fr };
  }

  geometryIs(type: string): boolean {
    return this.geometry['type'] === type;
  }

  lineString(): Position[] {
    if (!this.geometryIs('LineString')) throw this.invalid('geometry must be a LineString');
    const line = this.positions(this.geometry['coordinates']);
    if (line.length < 2) throw this.invalid('a line needs at least two positions');
    return line;
  }

  polygon(value: unknown): PolygonRings {
    const rings = this.array(value, 'polygon').map((ring) => this.positions(ring));
    for (const ring of rings) {
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (ring.length < 4 || first![0] !== last![0] || first![1] !== last![1]) throw this.invalid('rings must be closed with at least 4 positions');
    }
    if (rings.length === 0) throw this.invalid('a polygon needs an outer ring');
    return rings;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) throw this.invalid(`${what} must be an array`);
    return value;
  }

  private positions(value: unknown): Position[] {
    return this.array(value, 'coordinates').map((p) => {
      const [lon, lat] = Array.isArray(p) ? p : [];
      if (typeof lon !== 'number' || typeof lat !== 'number' || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        throw this.invalid(`bad position ${JSON.stringify(p)}`);
      }
      return [lon, lat] as const;
    });
  }
}

function fail(error: Error): never {
  throw error;
}
