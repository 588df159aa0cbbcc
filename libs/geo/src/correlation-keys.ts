import type { GeoEnrichment, GeoLayers, GeoReference, LocalizedName, Zone, ZoneKind } from './types';

/**
 * The zones the correlator windows an event by, as `<KIND>:<id>`: its border section, hotspots,
 * routes and country. Deterministic order (kind, then id) so keys can be compared and hashed.
 */
export function correlationKeys(geo: GeoEnrichment): string[] {
  return [
    ...(geo.borderSectionId === null ? [] : [zoneKey('SECTION', geo.borderSectionId)]),
    ...[...geo.hotspotIds].sort().map((id) => zoneKey('HOTSPOT', id)),
    ...geo.routes.map((r) => r.routeId).sort().map((id) => zoneKey('ROUTE', id)),
    ...(geo.country === null ? [] : [zoneKey('COUNTRY', geo.country)]),
  ];
}

/** The zone a correlation key names (English display name), or undefined when unknown. */
export function zoneOf(ref: GeoReference, key: string): Zone | undefined {
  return ref.index.zone(key);
}

export function zoneKey(kind: ZoneKind, id: string): string {
  return `${kind}:${id}`;
}

/** Every zone of the layers by key; built once with the indexes. */
export function zoneCatalogue(layers: GeoLayers): Map<string, Zone> {
  const zone = (kind: ZoneKind, id: string, name: LocalizedName, countries: readonly string[]): [string, Zone] => [
    zoneKey(kind, id),
    { kind, id, name: name.en, countries },
  ];
  return new Map([
    ...layers.borderSections.map((s) => zone('SECTION', s.id, s.name, s.countries)),
    ...layers.hotspots.map((h) => zone('HOTSPOT', h.id, h.name, h.countries)),
    ...layers.routes.map((r) => zone('ROUTE', r.id, r.name, r.countries)),
    ...layers.countries.map((c) => zone('COUNTRY', c.code, c.name, [c.code])),
  ]);
}
