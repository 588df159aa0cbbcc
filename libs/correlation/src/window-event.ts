import type { EnrichedIncident, IncidentStatus, SourceReliability, Tlp } from '@vigie/contracts';
import type { Zone } from './zone';

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
}

/** The window event of an enriched incident as seen from one of its zones. */
export function toWindowEvent(incident: EnrichedIncident, zone: Pick<Zone, 'kind' | 'id'>): WindowEvent {
  const { report, geo } = incident;
  const route = zone.kind === 'ROUTE' ? geo.routes.find((r) => r.routeId === zone.id) : undefined;
  return {
    eventId: report.eventId,
    revision: report.revision,
    status: report.status,
    occurredAt: report.occurredAt,
    reportedAt: report.reportedAt,
    ingestedAt: incident.ingestedAt,
    category: report.category,
    subCategory: report.subCategory,
    feedId: report.feedId,
    sourceCountry: report.sourceCountry,
    tlp: report.tlp,
    fatalities: report.fatalities.known ? report.fatalities.max : report.fatalities.min,
    reliability: report.sourceReliability,
    credibility: report.infoCredibility,
    side: geo.country,
    chainageKm: route ? route.chainageKm : null,
  };
}

export const isRetracted = (event: WindowEvent): boolean => event.status === 'RETRACTED';
