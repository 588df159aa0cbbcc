import { HEADERS, TOPICS, VigieError, type Codecs, type EnrichedIncident } from '@vigie/contracts';
import { correlationKeys, enrichLocation, type GeoPrecision, type GeoReference } from '@vigie/geo';
import { attemptEach, type InboundMessage, type MessageOutcome, type StageHandler } from '@vigie/kafka';

const headerMillis = (message: InboundMessage, name: string): number => {
  const raw = message.headers[name];
  const value = Number(Buffer.isBuffer(raw) ? raw.toString() : raw);
  return Number.isFinite(value) && value > 0 ? value : message.timestamp;
};

/**
 * Enricher: incidents.validated → incidents.enriched. Adds the geography analysts reason in and
 * publishes one copy per correlation zone, keyed by that zone, so that each zone's state has a
 * single writer (the owner of its partition) in the correlator.
 */
export class EnricherStage implements StageHandler {
  constructor(
    private readonly codecs: Codecs,
    private readonly geo: GeoReference,
    private readonly now: () => number = Date.now,
  ) {}

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const enrichedAt = this.now();
    return attemptEach(messages, (message) => {
      if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
      const report = this.codecs.incidentReport.decode(message.value);
      // Ingest validated geoPrecision (1–3); the Avro type is a plain int.
      const geo = enrichLocation(this.geo, { ...report.location, geoPrecision: report.location.geoPrecision as GeoPrecision }, report.sourceCountry);
      const keys = correlationKeys(geo);
      const enriched: EnrichedIncident = {
        report,
        geo,
        correlationKeys: keys,
        enrichedAt,
        ingestedAt: headerMillis(message, HEADERS.ingestedAt),
      };
      const value = this.codecs.enrichedIncident.encode(enriched);
      return { kind: 'emit', disposition: 'processed', messages: keys.map((zone) => ({ topic: TOPICS.enriched, key: zone, value })) };
    });
  }
}
