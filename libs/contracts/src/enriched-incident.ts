import type { IncidentReport } from './incident-report';

/** TypeScript view of schemas/enriched-incident/v1.avsc. */

export interface RouteMatch {
  routeId: string;
  distanceKm: number;
  chainageKm: number;
}

/** Conventional values of GeoEnrichment.flags (a string array on the wire, so the list can grow). */
export const GEO_FLAGS = ['OUTSIDE_REGION', 'AT_SEA', 'COUNTRY_MISMATCH', 'COARSE_LOCATION'] as const;
export type GeoFlag = (typeof GEO_FLAGS)[number];

export interface GeoEnrichment {
  country: string | null;
  reportedCountryMismatch: boolean;
  borderDistanceKm: number | null;
  borderSectionId: string | null;
  neighbourCountry: string | null;
  hotspotIds: string[];
  routes: RouteMatch[];
  h3Cell: string | null;
  uncertaintyKm: number;
  flags: string[];
  referenceVersion: string;
}

export interface EnrichedIncident {
  report: IncidentReport;
  geo: GeoEnrichment;
  correlationKeys: string[];
  enrichedAt: number;
  ingestedAt: number;
}
