import { ZONE_KINDS, type ZoneKind } from '@vigie/contracts';

/**
 * A correlation zone as the geographic reference describes it (structurally the `Zone` of
 * @vigie/geo, which this lib does not need to import), with its name in both working languages
 * when the reference has them (summaries are bilingual).
 */
export interface Zone {
  readonly kind: ZoneKind;
  readonly id: string;
  /** Display name (English), as in alerts' `zone.name`. */
  readonly name: string;
  readonly countries: readonly string[];
  readonly names?: { readonly en: string; readonly fr: string };
}

/** The correlation key the enricher uses as Kafka key, e.g. `SECTION:ML-SN-003`. */
export const zoneKeyOf = (zone: Pick<Zone, 'kind' | 'id'>): string => `${zone.kind}:${zone.id}`;

export const zoneNameIn = (zone: Zone, lang: 'en' | 'fr'): string => zone.names?.[lang] ?? zone.name;

/**
 * A zone the correlator's reference does not know, built from its key and the countries of the
 * incident that names it. While a new reference version rolls out, the enricher may publish zones
 * the correlator's copy lacks (or no longer has); correlating them under their id loses nothing.
 * Undefined when the key is not `<KIND>:<id>`.
 */
export function provisionalZone(key: string, countries: readonly (string | null)[]): Zone | undefined {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon) as ZoneKind;
  const id = key.slice(colon + 1);
  if (colon <= 0 || id === '' || !ZONE_KINDS.includes(kind)) return undefined;
  const known = [...new Set(countries.filter((c): c is string => Boolean(c)))].sort();
  return { kind, id, name: id, countries: known };
}
