import type { ZoneKind } from '@vigie/contracts';

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
