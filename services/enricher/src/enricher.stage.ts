import { HEADERS, TOPICS, VigieError, type Codecs, type EnrichedIncident, type EncodedFieldEncoder, type IncidentReport, type WireProjection } from '@vigie/contracts';
import { correlationKeys, enrichLocation, type GeoPrecision, type GeoReference } from '@vigie/geo';
import { attemptEach, headerMillis, type InboundMessage, type MessageOutcome, type StageHandler } from '@vigie/kafka';

/** The codes EnricherStage's own checks dead-letter a report with, beside the shared ones (decoding). */
export const ENRICHER_DEAD_LETTER_REASONS = ['OUTSIDE_REGION', 'NO_ZONE', 'GEO_INVALID_POINT', 'GEO_INVALID_PRECISION'] as const;

/** The only fields of a report the enricher reads; the rest travels as bytes. */
type ReportPlace = Pick<IncidentReport, 'location' | 'sourceCountry'>;

/**
 * Enricher: incidents.validated → incidents.enriched. Adds the geography analysts reason in and
 * publishes one copy per correlation zone, keyed by that zone, so that each zone's state has a
 * single writer (the owner of its partition) in the correlator.
 */
export class EnricherStage implements StageHandler {
  private readonly places: WireProjection<ReportPlace>;
  /** Writes the enriched record around the validated message's bytes: the report is neither decoded nor re-encoded. */
  private readonly withReport: EncodedFieldEncoder<EnrichedIncident, 'report'> | undefined;

  constructor(
    private readonly codecs: Codecs,
    private readonly geo: GeoReference,
    private readonly now: () => number = Date.now,
  ) {
    this.places = codecs.incidentReport.projection(['location', 'sourceCountry']);
    this.withReport = codecs.enrichedIncident.withEncodedField('report', codecs.incidentReport.schemaId);
  }

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const enrichedAt = this.now();
    return attemptEach(messages, (message) => {
      if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
      const { value: place, canonical } = this.places.decode(message.value);
      const { lat, lon, geoPrecision } = place.location;
      // Ingest validated geoPrecision (1–3); the Avro type is a plain int.
      const geo = enrichLocation(this.geo, { lat, lon, geoPrecision: geoPrecision as GeoPrecision }, place.sourceCountry);
      const keys = correlationKeys(geo);
      if (keys.length === 0) throw noZone(lat, lon, geo.flags);
      const rest = { geo, correlationKeys: keys, enrichedAt, ingestedAt: headerMillis(message, HEADERS.ingestedAt) };
      // Another writer schema or a non-canonical form: the report is decoded and encoded as the reader schema says.
      const value =
        canonical && this.withReport
          ? this.withReport(message.value, rest)
          : this.codecs.enrichedIncident.encode({ report: this.codecs.incidentReport.decode(message.value), ...rest });
      return { kind: 'emit', disposition: 'processed', messages: keys.map((zone) => ({ topic: TOPICS.enriched, key: zone, value })) };
    });
  }
}

/**
 * A report in no correlation zone would be accepted and then counted nowhere: it is dead-lettered
 * instead, with a reason a feed can act on (most often coordinates swapped, or a 0,0 default).
 */
function noZone(lat: number, lon: number, flags: readonly string[]): VigieError {
  const where = `lat ${lat}, lon ${lon}`;
  return flags.includes('OUTSIDE_REGION')
    ? new VigieError('OUTSIDE_REGION', `${where} is outside the region Vigie correlates (latitude and longitude swapped? a default of 0, 0?): the report is not correlated`, false, { lat, lon })
    : new VigieError('NO_ZONE', `${where} is at sea, away from every border section, hotspot and route: the report is in no correlation zone and is not correlated`, false, { lat, lon });
}
