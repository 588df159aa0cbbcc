import { VigieError } from '@vigie/contracts';
import { bboxOf } from './index/bbox';
import { GeoIndex } from './index/geo-index';
import type { BBox, GeoLayers, GeoReference } from './types';

/**
 * Validates the layers' cross-references. Without an extent, the countries' bounding box is used
 * (so outside it is "outside the region").
 */
export function createGeoLayers(layers: Omit<GeoLayers, 'extent'> & { extent?: BBox | undefined }): GeoLayers {
  const extent = layers.extent ?? bboxOf(layers.countries.flatMap((c) => c.polygons.flat(2)));
  const complete: GeoLayers = { ...layers, extent };
  validate(complete);
  return complete;
}

/** Validates the layers and builds the spatial indexes, once. */
export function createGeoReference(layers: Omit<GeoLayers, 'extent'> & { extent?: BBox | undefined }): GeoReference {
  return indexed(createGeoLayers(layers));
}

/** Validated layers with their spatial indexes (about 15 MB and 100 ms): what locating a point needs. */
export function indexed(layers: GeoLayers): GeoReference {
  return { ...layers, index: new GeoIndex(layers) };
}

function validate(layers: GeoLayers): void {
  unique('country code', layers.countries.map((c) => c.code));
  unique('border section id', layers.borderSections.map((s) => s.id));
  unique('hotspot id', layers.hotspots.map((h) => h.id));
  unique('route id', layers.routes.map((r) => r.id));
  const codes = new Set(layers.countries.map((c) => c.code));
  for (const section of layers.borderSections) {
    const unknown = section.countries.filter((code) => !codes.has(code));
    if (unknown.length > 0) invalid(`border section ${section.id} names countries not in the countries layer: ${unknown.join(', ')}`);
  }
  const [west, south, east, north] = layers.extent;
  if (!(west < east && south < north)) invalid(`extent ${JSON.stringify(layers.extent)} is empty`);
}

function unique(what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) invalid(`duplicate ${what} "${value}"`);
    seen.add(value);
  }
}

function invalid(message: string): never {
  throw new VigieError('GEO_REFERENCE_INVALID', message, false);
}
