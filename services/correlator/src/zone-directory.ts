import type { Zone } from '@vigie/correlation';
import { zoneCatalogue, zoneKey, type GeoLayers, type LocalizedName } from '@vigie/geo';

/**
 * The correlator's view of the geographic reference: each zone with its name in English and
 * French (summaries are bilingual). The names come straight from the reference layers, which
 * carry both; @vigie/geo's own zone lookup keeps the English name only.
 */
export function zoneDirectory(geo: GeoLayers): (key: string) => Zone | undefined {
  const zones = zoneCatalogue(geo);
  const names = new Map<string, LocalizedName>([
    ...geo.borderSections.map((s) => [zoneKey('SECTION', s.id), s.name] as const),
    ...geo.hotspots.map((h) => [zoneKey('HOTSPOT', h.id), h.name] as const),
    ...geo.routes.map((r) => [zoneKey('ROUTE', r.id), r.name] as const),
    ...geo.countries.map((c) => [zoneKey('COUNTRY', c.code), c.name] as const),
  ]);
  const cache = new Map<string, Zone | undefined>();
  return (key) => {
    if (cache.has(key)) return cache.get(key);
    const zone = zones.get(key);
    const name = names.get(key);
    const resolved = zone && (name ? { ...zone, names: { en: name.en, fr: name.fr } } : zone);
    cache.set(key, resolved);
    return resolved;
  };
}
