import type { GeoEnrichment, GeoLayers, GeoReference, LocalizedName, Zone, ZoneKind } from './types';

/**
 * The zones the correlator windows an event by, as `<KIND>:<id>`: its border section, hotspots,
 * routes and country. Deterministic order (kind, then id) so keys can be compared and hashed.
 */
export function correlationKeys(geo: GeoEnrichment): string[] {
  // Built with pushes: one call per enriched event, where spreads and maps allocated five arrays.
  const keys: string[] = [];
  if (geo.borderSectionId !== null) keys.push(zoneKey('SECTION', geo.borderSectionId));
  for (const id of sorted(geo.hotspotIds)) keys.push(zoneKey('HOTSPOT', id));
  if (geo.routes.length > 0) for (const id of sorted(geo.routes.map((r) => r.routeId))) keys.push(zoneKey('ROUTE', id));
  if (geo.country !== null) keys.push(zoneKey('COUNTRY', geo.country));
  return keys;
}

/** The ids in sort() order, copied only when there is something to order. */
const sorted = (ids: readonly string[]): readonly string[] => (ids.length < 2 ? ids : [...ids].sort());

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
