import type { ZoneKind } from '@vigie/contracts';

/**
 * A correlation zone as the geographic reference describes it (structurally the `Zone` of
 * @vigie/geo, which this lib does not need to import).
 */
export interface Zone {
  readonly kind: ZoneKind;
  readonly id: string;
  readonly name: string;
  readonly countries: readonly string[];
}

/** The correlation key the enricher uses as Kafka key, e.g. `SECTION:ML-SN-003`. */
export const zoneKeyOf = (zone: Pick<Zone, 'kind' | 'id'>): string => `${zone.kind}:${zone.id}`;
