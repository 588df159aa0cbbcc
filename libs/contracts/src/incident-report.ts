/**
 * TypeScript view of schemas/incident-report/v1.avsc (and tlp/v1.avsc). Timestamps are UTC epoch
 * milliseconds; Avro `["null", T]` is `T | null`. The symbol lists mirror the Avro enums and are
 * checked against the schemas by a unit test, so the two cannot drift apart.
 */

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const INCIDENT_STATUSES = ['ACTIVE', 'REVISED', 'RETRACTED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const TIME_PRECISIONS = ['EXACT', 'HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** Admiralty code, source reliability: A completely reliable .. F cannot be judged. */
export const SOURCE_RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];

/** Kinds of organisation an actor may be (a string on the wire, validated here). */
export const ACTOR_KINDS = ['STATE_FORCES', 'NON_STATE_ARMED_GROUP', 'CRIMINAL_NETWORK', 'MILITIA', 'CIVILIANS', 'OTHER'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Units of Commodity.quantity (a string on the wire, validated here): mass, volume, counts, cash. */
export const COMMODITY_UNITS = ['g', 'kg', 't', 'l', 'm3', 'item', 'round', 'head', 'person', 'vehicle', 'xof', 'usd', 'eur'] as const;
export type CommodityUnit = (typeof COMMODITY_UNITS)[number];

export interface Location {
  lat: number;
  lon: number;
  /** 1 exact point or town, 2 district (~25 km), 3 province (~100 km). */
  geoPrecision: number;
  placeName: string | null;
  admin1: string | null;
  admin2: string | null;
}

export interface Commodity {
  kind: string;
  quantity: number;
  unit: string;
}

export interface Fatalities {
  min: number;
  max: number;
  known: boolean;
}

export interface Actor {
  name: string;
  kind: string;
}

export interface IncidentReport {
  eventId: string;
  sourceEventId: string;
  feedId: string;
  sourceCountry: string;
  reportingAgency: string;
  revision: number;
  status: IncidentStatus;
  occurredAt: number;
  timePrecision: TimePrecision;
  reportedAt: number;
  location: Location;
  category: string;
  subCategory: string;
  commodity: Commodity | null;
  fatalities: Fatalities;
  actors: Actor[];
  sourceReliability: SourceReliability;
  infoCredibility: number;
  tlp: Tlp;
  releasableTo: string[];
  notes: string | null;
  lang: string;
  relatedEventIds: string[];
}
