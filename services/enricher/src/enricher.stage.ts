import { HEADERS, TOPICS, VigieError, type Codecs, type EnrichedIncident, type EncodedFieldEncoder, type IncidentReport, type WireProjection } from '@vigie/contracts';
import { routeRevision, type RevisionRouting } from '@vigie/correlation';
import { correlationKeys, enrichLocation, type GeoPrecision, type GeoReference } from '@vigie/geo';
import { attemptEach, failureOf, headerMillis, type InboundMessage, type MessageOutcome, type OutboundMessage, type StageHandler } from '@vigie/kafka';
import type { IncidentZoneMemory } from '@vigie/state';

/** The codes EnricherStage's own checks dead-letter a report with, beside the shared ones (decoding). */
export const ENRICHER_DEAD_LETTER_REASONS = ['OUTSIDE_REGION', 'NO_ZONE', 'GEO_INVALID_POINT', 'GEO_INVALID_PRECISION'] as const;

/** The only fields of a report the enricher reads; the rest travels as bytes. */
type ReportPlace = Pick<IncidentReport, 'eventId' | 'revision' | 'status' | 'location' | 'sourceCountry'>;

/** What the enricher tells its metrics. */
export interface EnricherObserver {
  /** A batch sent this many copies withdrawing incidents from zones they left. */
  withdrawn(copies: number): void;
}

/** A report enriched, before its zones are compared with those its earlier revisions were sent to. */
interface Enriched {
  readonly eventId: string;
  readonly revision: number;
  readonly zones: readonly string[];
  readonly value: Buffer;
  /** For a retraction located in no zone: why, should its incident never have been in one either. */
  readonly noZone: VigieError | null;
}

/**
 * Enricher: incidents.validated → incidents.enriched. Adds the geography analysts reason in and
 * publishes one copy per correlation zone, keyed by that zone, so that each zone's state has a
 * single writer (the owner of its partition) in the correlator. A revision that left zones its
 * earlier revisions were in is also sent to them, to withdraw the incident there (zone-withdrawal.ts
 * in libs/correlation): the zones each incident was sent to are remembered in Redis.
 */
export class EnricherStage implements StageHandler {
  private readonly places: WireProjection<ReportPlace>;
  /** Writes the enriched record around the validated message's bytes: the report is neither decoded nor re-encoded. */
  private readonly withReport: EncodedFieldEncoder<EnrichedIncident, 'report'> | undefined;

  constructor(
    private readonly codecs: Codecs,
    private readonly geo: GeoReference,
    private readonly zoneMemory: Pick<IncidentZoneMemory, 'remember'>,
    private readonly now: () => number = Date.now,
    private readonly observer?: EnricherObserver,
  ) {
    this.places = codecs.incidentReport.projection(['eventId', 'revision', 'status', 'location', 'sourceCountry']);
    this.withReport = codecs.enrichedIncident.withEncodedField('report', codecs.incidentReport.schemaId);
  }

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const enrichedAt = this.now();
    const enriched: (Enriched | undefined)[] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      enriched[i] = this.enrich(message, enrichedAt);
      return NOTHING;
    });
    // One Redis round trip tells, for every report of the batch, which zones its earlier revisions were sent to.
    // Reports refused whatever was remembered (in no zone, not a retraction) were dead-lettered already: they are not remembered.
    const routed = enriched.flatMap((e) => (e ? [e] : []));
    const remembered = await this.zoneMemory.remember(routed);
    let next = 0;
    let withdrawals = 0;
    enriched.forEach((e, i) => {
      if (!e) return;
      const routing = routeRevision(e.revision, e.zones, remembered[next++] ?? null);
      outcomes[i] = outcomeOf(e, routing);
      if (routing.kind === 'route' && outcomes[i]?.kind === 'emit') withdrawals += routing.withdrawFrom.length;
    });
    if (withdrawals > 0) this.observer?.withdrawn(withdrawals);
    return outcomes;
  }

  private enrich(message: InboundMessage, enrichedAt: number): Enriched {
    if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const { value: place, canonical } = this.places.decode(message.value);
    const { lat, lon, geoPrecision } = place.location;
    // Ingest validated geoPrecision (1–3); the Avro type is a plain int.
    const geo = enrichLocation(this.geo, { lat, lon, geoPrecision: geoPrecision as GeoPrecision }, place.sourceCountry);
    const keys = correlationKeys(geo);
    // A correction located nowhere is more likely a mistake (coordinates swapped) than a move: refused,
    // and the zones keep the earlier revision until the feed sends one that is located, or a retraction.
    const noZoneError = keys.length === 0 ? noZone(lat, lon, geo.flags) : null;
    if (noZoneError && place.status !== 'RETRACTED') throw noZoneError;
    const rest = { geo, correlationKeys: keys, enrichedAt, ingestedAt: headerMillis(message, HEADERS.ingestedAt) };
    // Another writer schema or a non-canonical form: the report is decoded and encoded as the reader schema says.
    const value =
      canonical && this.withReport
        ? this.withReport(message.value, rest)
        : this.codecs.enrichedIncident.encode({ report: this.codecs.incidentReport.decode(message.value), ...rest });
    return { eventId: place.eventId, revision: place.revision, zones: keys, value, noZone: noZoneError };
  }
}

const NOTHING: MessageOutcome = { kind: 'emit', messages: [] };
const SUPERSEDED: MessageOutcome = { kind: 'emit', disposition: 'deduplicated', messages: [] };

/**
 * The copies of a revision: one per zone it is in, and one per zone it withdraws from (the same
 * record, whose correlationKeys do not list that zone). A revision superseded by a higher one
 * already routed goes nowhere, as the correlator would ignore it (counted as deduplicated). A
 * retraction located nowhere is refused, saying why, when it has no zone to withdraw from.
 */
function outcomeOf(enriched: Enriched, routing: RevisionRouting): MessageOutcome {
  if (routing.kind === 'superseded') return SUPERSEDED;
  const { zones, withdrawFrom } = routing;
  if (enriched.noZone && withdrawFrom.length === 0) return { kind: 'dead-letter', failure: failureOf(enriched.noZone, 1) };
  const messages: OutboundMessage[] = [];
  for (const zone of zones) messages.push({ topic: TOPICS.enriched, key: zone, value: enriched.value });
  for (const zone of withdrawFrom) messages.push({ topic: TOPICS.enriched, key: zone, value: enriched.value });
  return { kind: 'emit', disposition: 'processed', messages };
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
