import type { Codecs, EnrichedIncident, IncidentReport } from '@vigie/contracts';
import { correlationKeys, enrichLocation, type GeoPrecision, type GeoReference } from '@vigie/geo';

/** What the enricher publishes for one report: one copy per correlation zone, keyed by it. */
export function enrichedCopies(report: IncidentReport, geo: GeoReference, codecs: Codecs, ingestedAt: number): { key: string; value: Buffer }[] {
  const geoEnrichment = enrichLocation(geo, { ...report.location, geoPrecision: report.location.geoPrecision as GeoPrecision }, report.sourceCountry);
  const keys = correlationKeys(geoEnrichment);
  const enriched: EnrichedIncident = { report, geo: geoEnrichment, correlationKeys: keys, enrichedAt: ingestedAt, ingestedAt };
  const value = codecs.enrichedIncident.encode(enriched);
  return keys.map((key) => ({ key, value }));
}

/** Not Kafka's murmur2, but the property that matters: one zone, one partition. */
export const partitionOf = (key: string, partitions: number): number => [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % partitions;
