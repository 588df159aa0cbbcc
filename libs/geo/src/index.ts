export * from './types';
export { uncertaintyKm, MAX_UNCERTAINTY_KM } from './uncertainty';
export { H3_RESOLUTION } from './h3-cell';
export { haversineKm, EARTH_RADIUS_KM } from './spherical';
export { enrichLocation, BORDER_ZONE_KM, MARITIME_TOLERANCE_KM } from './enrich-location';
export { correlationKeys, zoneCatalogue, zoneOf, zoneKey } from './correlation-keys';
export { createGeoLayers, createGeoReference } from './reference';
export { loadGeoLayers, loadGeoReference, referenceVersion, sha256, SHIPPED_REFERENCE_DIR, MANIFEST_FILE, type ReferenceManifest } from './load-geo-reference';
export { GeoIndex } from './index/geo-index';
export * from './layers-geojson';
// Building the layers from sources (tools/geo-build-reference.ts, tests).
export { buildCountries } from './build/build-countries';
export { buildBorderSections, sectionsOfBorder, DEFAULT_SECTION_OPTIONS, type SectionOptions } from './build/build-border-sections';
export { buildRoutes, type RouteDefinition } from './build/build-routes';
export { parsePlaces, type Place } from './build/places';
export { buildGeneratedLayers, type GeneratedLayers } from './build/build-reference';
export { COUNTRY_TABLE, REFERENCE_EXTENT, type CountryEntry } from './build/country-table';
