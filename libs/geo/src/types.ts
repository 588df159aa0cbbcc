import type { ZoneKind } from '@vigie/contracts';
import type { GeoIndex } from './index/geo-index';

/**
 * Domain types of the geography layers and of the enrichment result. Coordinates follow GeoJSON:
 * `[lon, lat]` in WGS84 degrees.
 */

export type Position = readonly [lon: number, lat: number];
/** A closed ring (first position repeated last); the first ring of a polygon is its outer ring. */
export type Ring = readonly Position[];
export type PolygonRings = readonly Ring[];
/** [west, south, east, north] in degrees. */
export type BBox = readonly [west: number, south: number, east: number, north: number];

export interface LocalizedName {
  readonly en: string;
  readonly fr: string;
}

export interface Country {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly code: string;
  /** ISO 3166-1 numeric, as Natural Earth / world-atlas spell it ("012"). */
  readonly numericCode: string;
  readonly name: LocalizedName;
  /** One of the region's countries (feeds, sections); false for neighbours kept for correct land cover. */
  readonly inRegion: boolean;
  readonly polygons: readonly PolygonRings[];
}

export interface BorderSection {
  /** `<A>-<B>-<NNN>`: alphabetical alpha-2 pair, 1-based number along the border from its canonical end. */
  readonly id: string;
  readonly name: LocalizedName;
  /** The two countries, alphabetical. */
  readonly countries: readonly [string, string];
  readonly lengthKm: number;
  readonly line: readonly Position[];
}

export interface Hotspot {
  readonly id: string;
  readonly name: LocalizedName;
  readonly countries: readonly string[];
  readonly polygon: PolygonRings;
}

export const ROUTE_KINDS = ['MIGRATION', 'TRAFFICKING', 'DRUGS', 'ARMS', 'FUEL_SMUGGLING', 'CATTLE'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export interface Route {
  readonly id: string;
  readonly name: LocalizedName;
  readonly kind: RouteKind;
  readonly bufferKm: number;
  readonly countries: readonly string[];
  /** Town names of the vertices, in order of travel (chainage grows from the first). */
  readonly via: readonly string[];
  readonly line: readonly Position[];
}

/** The four layers plus the version enriched events record. */
export interface GeoLayers {
  readonly version: string;
  /**
   * Extent within which every land area is covered by a country polygon: a point inside it that
   * no country contains is at sea; a point outside it is outside the region.
   */
  readonly extent: BBox;
  readonly countries: readonly Country[];
  readonly borderSections: readonly BorderSection[];
  readonly hotspots: readonly Hotspot[];
  readonly routes: readonly Route[];
}

/** Loaded layers with their spatial indexes, built once by createGeoReference / loadGeoReference. */
export interface GeoReference extends GeoLayers {
  readonly index: GeoIndex;
}

/** geoPrecision as feeds report it: 1 exact place, 2 near a place / district, 3 region / province. */
export type GeoPrecision = 1 | 2 | 3;

export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
  readonly geoPrecision: GeoPrecision;
}

/** The enrichment an incident gets; one definition, the wire contract's (libs/contracts). */
export type { GeoEnrichment, GeoFlag, RouteMatch } from '@vigie/contracts';
export { GEO_FLAGS } from '@vigie/contracts';

export type { ZoneKind } from '@vigie/contracts';

export interface Zone {
  readonly kind: ZoneKind;
  readonly id: string;
  readonly name: string;
  readonly countries: readonly string[];
}
