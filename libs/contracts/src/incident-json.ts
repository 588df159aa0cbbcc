import { deriveEventId } from './event-id';
import {
  INCIDENT_STATUSES,
  SOURCE_RELIABILITIES,
  TIME_PRECISIONS,
  TLP_LEVELS,
  type Actor,
  type Commodity,
  type Fatalities,
  type IncidentReport,
  type Location,
} from './incident-report';
import { formatIsoTimestamp } from './iso-time';
import {
  arrayOf,
  boolean,
  integer,
  INVALID,
  nullable,
  number,
  objectOf,
  oneOf,
  optional,
  required,
  string,
  timestamp,
} from './json-readers';
import { validateIncidentReport, type IncidentValidationOptions } from './validate-incident';
import type { ValidationIssue } from './validation-issue';

/**
 * The JSON form of an IncidentReport (CLI, HTTP ingest, demo scenario): the Avro fields with
 * ISO-8601 timestamps; nullable fields and arrays may be omitted, as may eventId (derived),
 * revision (1) and status (ACTIVE).
 */

export type ParsedIncident = { ok: true; report: IncidentReport } | { ok: false; issues: ValidationIssue[] };

const none = (): null => null;

/** What the JSON may carry: eventId is optional (null when absent), derived once feedId and sourceEventId are read. */
type IncidentJson = Omit<IncidentReport, 'eventId'> & { eventId: string | null };

const location = objectOf<Location>({
  lat: required(number),
  lon: required(number),
  geoPrecision: required(integer),
  placeName: optional(nullable(string), none),
  admin1: optional(nullable(string), none),
  admin2: optional(nullable(string), none),
});

const commodity = objectOf<Commodity>({ kind: required(string), quantity: required(number), unit: required(string) });
const fatalities = objectOf<Fatalities>({ min: required(integer), max: required(integer), known: required(boolean) });
const actor = objectOf<Actor>({ name: required(string), kind: required(string) });

const incident = objectOf<IncidentJson>({
  eventId: optional(string, none),
  sourceEventId: required(string),
  feedId: required(string),
  sourceCountry: required(string),
  reportingAgency: required(string),
  revision: optional(integer, () => 1),
  status: optional(oneOf(INCIDENT_STATUSES), () => 'ACTIVE' as const),
  occurredAt: required(timestamp),
  timePrecision: required(oneOf(TIME_PRECISIONS)),
  reportedAt: required(timestamp),
  location: required(location),
  category: required(string),
  subCategory: required(string),
  commodity: optional(nullable(commodity), none),
  fatalities: required(fatalities),
  actors: optional(arrayOf(actor), () => []),
  sourceReliability: required(oneOf(SOURCE_RELIABILITIES)),
  infoCredibility: required(integer),
  tlp: required(oneOf(TLP_LEVELS)),
  releasableTo: optional(arrayOf(string), () => []),
  notes: optional(nullable(string), none),
  lang: required(string),
  relatedEventIds: optional(arrayOf(string), () => []),
});

/** Structural checks, then the semantic rules of validateIncidentReport; all issues are returned at once per stage. */
export function parseIncidentJson(input: unknown, options: IncidentValidationOptions): ParsedIncident {
  const issues: ValidationIssue[] = [];
  const parsed = incident(input, '', issues);
  if (parsed === INVALID) return { ok: false, issues };
  const report: IncidentReport = { ...parsed, eventId: parsed.eventId ?? deriveEventId(parsed.feedId, parsed.sourceEventId) };
  const semantic = validateIncidentReport(report, options);
  return semantic.length === 0 ? { ok: true, report } : { ok: false, issues: semantic };
}

/** Inverse of parseIncidentJson: every field present, timestamps as ISO-8601 UTC strings. */
export function incidentToJson(report: IncidentReport): Record<string, unknown> {
  return {
    eventId: report.eventId,
    sourceEventId: report.sourceEventId,
    feedId: report.feedId,
    sourceCountry: report.sourceCountry,
    reportingAgency: report.reportingAgency,
    revision: report.revision,
    status: report.status,
    occurredAt: formatIsoTimestamp(report.occurredAt),
    timePrecision: report.timePrecision,
    reportedAt: formatIsoTimestamp(report.reportedAt),
    location: { ...report.location },
    category: report.category,
    subCategory: report.subCategory,
    commodity: report.commodity && { ...report.commodity },
    fatalities: { ...report.fatalities },
    actors: report.actors.map((a) => ({ ...a })),
    sourceReliability: report.sourceReliability,
    infoCredibility: report.infoCredibility,
    tlp: report.tlp,
    releasableTo: [...report.releasableTo],
    notes: report.notes,
    lang: report.lang,
    relatedEventIds: [...report.relatedEventIds],
  };
}
