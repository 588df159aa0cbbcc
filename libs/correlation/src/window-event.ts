import type { EnrichedIncident, FieldSelection, IncidentReport, IncidentStatus, SourceReliability, Tlp } from '@vigie/contracts';
import type { Zone } from './zone';
import { copyIsInZone } from './zone-withdrawal';

/**
 * What correlation keeps of one incident copy in one zone: the fields rules, weights, alert text
 * and TLP need, so the per-zone state stays small. One per eventId: its latest revision
 * (RETRACTED ones are kept as tombstones so an older revision arriving afterwards cannot bring
 * the incident back).
 */
export interface WindowEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly status: IncidentStatus;
  readonly occurredAt: number;
  readonly reportedAt: number;
  /** When ingest accepted the report: the arrival clock of silent-feed rules. */
  readonly ingestedAt: number;
  readonly category: string;
  readonly subCategory: string;
  readonly feedId: string;
  readonly sourceCountry: string;
  readonly tlp: Tlp;
  /** Best estimate of the dead: the reported maximum when the toll is known, else the minimum. */
  readonly fatalities: number;
  readonly reliability: SourceReliability;
  readonly credibility: number;
  /** Country the incident occurred in (geo), the side of a border section it is on; null at sea. */
  readonly side: string | null;
  /** Distance along the zone's route when the zone is a ROUTE, else null. */
  readonly chainageKm: number | null;
  /** The agency that reported it; null when read from state an earlier release stored (unknown: see originsOf). */
  readonly reportingAgency: string | null;
  /** For an AMBER_STRICT incident, the agencies it may go to, sorted; empty otherwise (not needed). */
  readonly releasableTo: readonly string[];
}

/** What correlation reads of an enriched incident: a window event's sources, and the countries of a provisional zone. */
export interface WindowEventSource {
  readonly report: Pick<
    IncidentReport,
    | 'eventId' | 'revision' | 'status' | 'occurredAt' | 'reportedAt' | 'category' | 'subCategory' | 'feedId' | 'sourceCountry' | 'tlp' | 'fatalities'
    | 'sourceReliability' | 'infoCredibility' | 'reportingAgency' | 'releasableTo'
  >;
  readonly geo: Pick<EnrichedIncident['geo'], 'country' | 'neighbourCountry' | 'routes'>;
  /** The zones the revision is in: a copy keyed by another zone withdraws the incident from it (zone-withdrawal.ts). */
  readonly correlationKeys: readonly string[];
  readonly ingestedAt: number;
}

type Selects<T> = { readonly [K in keyof T]-?: true };

/**
 * The fields of WindowEventSource, for a codec's `select`: the correlator decodes only these of
 * each EnrichedIncident (not the text, location, actors, or the rest of the geography).
 */
export const WINDOW_EVENT_SOURCE_FIELDS = {
  report: {
    eventId: true, revision: true, status: true, occurredAt: true, reportedAt: true, category: true, subCategory: true,
    feedId: true, sourceCountry: true, tlp: true, fatalities: true, sourceReliability: true, infoCredibility: true,
    reportingAgency: true, releasableTo: true,
  } satisfies Selects<WindowEventSource['report']>,
  geo: { country: true, neighbourCountry: true, routes: true } satisfies Selects<WindowEventSource['geo']>,
  correlationKeys: true,
  ingestedAt: true,
} as const satisfies FieldSelection & Record<keyof WindowEventSource, unknown>;

/** Distinct values `interned` shares at most: enough for every category, feed and country, bounded against surprises. */
const INTERNED_LIMIT = 4_096;
const internedValues = new Map<string, string>();

/**
 * The one shared copy of a value of few distinct values (category, feed, country). A correlator
 * holds tens of thousands of window events, and each decoded string is a fresh copy: shared, the
 * five such fields of an event take no memory of their own.
 */
export function interned<T extends string>(value: T): T {
  const shared = internedValues.get(value) as T | undefined;
  if (shared !== undefined) return shared;
  if (internedValues.size < INTERNED_LIMIT) internedValues.set(value, value);
  return value;
}

/**
 * The window event of an enriched incident as seen from the zone of its copy: a retraction there
 * when the copy withdraws the incident from a zone it left (its correlationKeys do not list it).
 */
export function toWindowEvent(incident: WindowEventSource, zone: Pick<Zone, 'kind' | 'id'>): WindowEvent {
  const { report, geo } = incident;
  const route = zone.kind === 'ROUTE' ? geo.routes.find((r) => r.routeId === zone.id) : undefined;
  return {
    eventId: report.eventId,
    revision: report.revision,
    status: copyIsInZone(incident.correlationKeys, zone) ? report.status : 'RETRACTED',
    occurredAt: report.occurredAt,
    reportedAt: report.reportedAt,
    ingestedAt: incident.ingestedAt,
    category: interned(report.category),
    subCategory: interned(report.subCategory),
    feedId: interned(report.feedId),
    sourceCountry: interned(report.sourceCountry),
    tlp: report.tlp,
    fatalities: report.fatalities.known ? report.fatalities.max : report.fatalities.min,
    reliability: report.sourceReliability,
    credibility: report.infoCredibility,
    side: geo.country === null ? null : interned(geo.country),
    chainageKm: route ? route.chainageKm : null,
    reportingAgency: interned(report.reportingAgency),
    releasableTo: report.tlp === 'AMBER_STRICT' ? [...new Set(report.releasableTo)].sort().map(interned) : NONE,
  };
}

const NONE: readonly string[] = Object.freeze([]);

export const isRetracted = (event: WindowEvent): boolean => event.status === 'RETRACTED';
