import { VigieError } from '@vigie/contracts';
import { feature } from 'topojson-client';
import type { GeometryCollection, GeometryObject, Topology } from 'topojson-specification';
import { bboxOf } from '../index/bbox';
import type { BBox, Country, PolygonRings, Position, Ring } from '../types';
import { clipRingToBox } from './clip';
import { COUNTRY_TABLE, type CountryEntry, REFERENCE_EXTENT } from './country-table';
import { roundPosition } from './rounding';

/** The `countries` object of a world-atlas topology (ids: ISO 3166-1 numeric). */
export function countriesObject(topology: Topology): GeometryCollection {
  const object = topology.objects['countries'];
  if (object?.type !== 'GeometryCollection') {
    throw new VigieError('GEO_SOURCE_INVALID', 'topology has no "countries" GeometryCollection', false);
  }
  return object as GeometryCollection;
}

/**
 * Country polygons from Natural Earth (world-atlas) for every country with land in the extent,
 * rounded to 1e-5° and clipped to the extent; the region's countries must lie wholly inside it.
 */
export function buildCountries(
  topology: Topology,
  table: Readonly<Record<string, CountryEntry>> = COUNTRY_TABLE,
  extent: BBox = REFERENCE_EXTENT,
): Country[] {
  const countries: Country[] = [];
  for (const geometry of countriesObject(topology).geometries) {
    const parts = polygonsOf(topology, geometry);
    const clipped = parts.map((part) => clipPolygon(part, extent));
    const kept = clipped.filter((part): part is PolygonRings => part !== null);
    if (kept.length === 0) continue;
    const numericCode = String(geometry.id);
    const entry = table[numericCode];
    if (entry === undefined) {
      throw new VigieError('GEO_COUNTRY_UNMAPPED', `country ${numericCode} has land in the extent but no alpha-2 entry`, false, {
        numericCode,
        name: (geometry.properties as { name?: string } | undefined)?.name,
      });
    }
    if (entry.inRegion && clipped.some((part, i) => part !== parts[i])) {
      throw new VigieError('GEO_EXTENT_TOO_SMALL', `region country ${entry.code} does not fit in the extent`, false, { extent });
    }
    countries.push({ code: entry.code, numericCode, name: entry.name, inRegion: entry.inRegion, polygons: kept });
  }
  const missing = Object.values(table).filter((e) => e.inRegion && !countries.some((c) => c.code === e.code));
  if (missing.length > 0) {
    throw new VigieError('GEO_SOURCE_INVALID', `region countries missing from the source: ${missing.map((e) => e.code).join(', ')}`, false);
  }
  return countries.sort((a, b) => a.code.localeCompare(b.code));
}

function polygonsOf(topology: Topology, geometry: GeometryObject): PolygonRings[] {
  const shape = (feature(topology, geometry) as GeoJSON.Feature).geometry;
  const round = (rings: Position[][] | number[][][]): PolygonRings => rings.map((ring) => ring.map(roundPosition));
  if (shape?.type === 'Polygon') return [round(shape.coordinates)];
  if (shape?.type === 'MultiPolygon') return shape.coordinates.map(round);
  return [];
}

/** The polygon itself when inside the box, its clipped version when straddling, null when outside. */
function clipPolygon(polygon: PolygonRings, box: BBox): PolygonRings | null {
  const outer = polygon[0];
  if (outer === undefined) return null;
  const [west, south, east, north] = bboxOf(outer);
  if (east < box[0] || west > box[2] || north < box[1] || south > box[3]) return null;
  if (west >= box[0] && east <= box[2] && south >= box[1] && north <= box[3]) return polygon;
  const rings = polygon.map((ring): Ring | null => clipRingToBox(ring, box)?.map(roundPosition) ?? null);
  if (rings[0] === null) return null;
  return rings.filter((ring): ring is Ring => ring !== null);
}
