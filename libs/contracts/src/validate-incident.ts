import { isIsoCountryCode } from './countries';
import { formatIsoTimestamp, MAX_DATE_MS } from './iso-time';
import { deriveEventId, feedCountryOf, isEventId, isFeedId, SOURCE_EVENT_ID_PATTERN } from './event-id';
import { ACTOR_KINDS, COMMODITY_UNITS, type IncidentReport } from './incident-report';
import { categorySpec, CATEGORIES } from './taxonomy';
import { AGENCY_ID_PATTERN } from './topics';
import { issue, quote, type ValidationIssue } from './validation-issue';

/**
 * Semantic validation of a well-typed report (parsed from JSON or decoded from Avro): the rules
 * Avro cannot express. Runs on every report ingest receives, so it stays a flat pass over fields.
 */

export interface IncidentValidationOptions {
  /** Current time, epoch millis (injected so tests and replays are deterministic). */
  now: number;
  /** Tolerated clock difference between feeds and Vigie; default 5 minutes. */
  maxClockSkewMs?: number;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** No feed reports events before this (2000-01-01T00:00:00Z); earlier dates are unit mistakes. */
export const EARLIEST_OCCURRED_AT = Date.UTC(2000, 0, 1);
export const LIMITS = {
  notes: 4000,
  text: 200,
  actors: 50,
  releasableTo: 100,
  relatedEventIds: 100,
  fatalities: 100_000,
} as const;

const LANG_PATTERN = /^[a-z]{2}$/;
const COUNTRY_FORMAT = /^[A-Z]{2}$/;
const actorKinds: ReadonlySet<string> = new Set(ACTOR_KINDS);
const commodityUnits: ReadonlySet<string> = new Set(COMMODITY_UNITS);

export function validateIncidentReport(report: IncidentReport, options: IncidentValidationOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkIdentity(report, issues);
  checkTimes(report, options, issues);
  checkLocation(report, issues);
  checkClassification(report, issues);
  checkSharing(report, issues);
  checkText(report, issues);
  return issues;
}

function checkIdentity(r: IncidentReport, issues: ValidationIssue[]): void {
  if (!COUNTRY_FORMAT.test(r.sourceCountry)) {
    issues.push(issue('sourceCountry', 'FORMAT', `sourceCountry must be an upper-case ISO 3166-1 alpha-2 code such as ML (got ${quote(r.sourceCountry)})`));
  } else if (!isIsoCountryCode(r.sourceCountry)) {
    issues.push(issue('sourceCountry', 'ENUM', `sourceCountry ${quote(r.sourceCountry)} is not an ISO 3166-1 alpha-2 country code`));
  }
  if (!isFeedId(r.feedId)) {
    issues.push(issue('feedId', 'FORMAT', `feedId must be "<cc>-<name>" in lower case, e.g. ml-douanes, at most 64 characters (got ${quote(r.feedId)})`));
  } else if (feedCountryOf(r.feedId) !== r.sourceCountry.toLowerCase()) {
    issues.push(issue('feedId', 'INCONSISTENT', `feedId ${quote(r.feedId)} must start with the source country, ${quote(`${r.sourceCountry.toLowerCase()}-`)}`));
  }
  if (!SOURCE_EVENT_ID_PATTERN.test(r.sourceEventId)) {
    issues.push(issue('sourceEventId', 'FORMAT', 'sourceEventId must be 1 to 128 visible ASCII characters without spaces'));
  }
  const expectedId = deriveEventId(r.feedId, r.sourceEventId);
  if (r.eventId !== expectedId) {
    issues.push(issue('eventId', 'INCONSISTENT', `eventId must be feedId:sourceEventId, i.e. ${quote(expectedId)} (got ${quote(r.eventId)}); it may be omitted`));
  }
  if (!AGENCY_ID_PATTERN.test(r.reportingAgency)) {
    issues.push(issue('reportingAgency', 'FORMAT', `reportingAgency must be an agency id (lower-case letters, digits, dashes; got ${quote(r.reportingAgency)})`));
  }
  if (!Number.isInteger(r.revision) || r.revision < 1) {
    issues.push(issue('revision', 'RANGE', `revision must be an integer of at least 1 (got ${r.revision})`));
  } else if (r.status === 'REVISED' && r.revision < 2) {
    issues.push(issue('revision', 'INCONSISTENT', 'a REVISED report corrects an earlier one, so its revision must be 2 or more'));
  }
}

function checkTimes(r: IncidentReport, options: IncidentValidationOptions, issues: ValidationIssue[]): void {
  const skew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (r.reportedAt > options.now + skew) {
    issues.push(issue('reportedAt', 'FUTURE_TIMESTAMP', `reportedAt ${iso(r.reportedAt)} is in the future (now ${iso(options.now)}); check the feed's clock and time zone`));
  }
  if (r.occurredAt < EARLIEST_OCCURRED_AT) {
    issues.push(issue('occurredAt', 'RANGE', `occurredAt ${iso(r.occurredAt)} is before 2000-01-01; check the unit (milliseconds) and the date`));
  } else if (r.occurredAt > r.reportedAt + skew) {
    issues.push(issue('occurredAt', 'INCONSISTENT', `occurredAt ${iso(r.occurredAt)} is after reportedAt ${iso(r.reportedAt)}: an event cannot be reported before it happens`));
  }
}

function checkLocation(r: IncidentReport, issues: ValidationIssue[]): void {
  const { lat, lon, geoPrecision } = r.location;
  if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90)) {
    issues.push(issue('location.lat', 'RANGE', `latitude must be between -90 and 90 decimal degrees (got ${lat})`));
  }
  if (!(Number.isFinite(lon) && lon >= -180 && lon <= 180)) {
    issues.push(issue('location.lon', 'RANGE', `longitude must be between -180 and 180 decimal degrees (got ${lon})`));
  }
  if (!(Number.isInteger(geoPrecision) && geoPrecision >= 1 && geoPrecision <= 3)) {
    issues.push(issue('location.geoPrecision', 'RANGE', `geoPrecision must be 1 (exact/town), 2 (district) or 3 (province) (got ${geoPrecision})`));
  }
  checkOptionalText(r.location.placeName, 'location.placeName', issues);
  checkOptionalText(r.location.admin1, 'location.admin1', issues);
  checkOptionalText(r.location.admin2, 'location.admin2', issues);
}

function checkClassification(r: IncidentReport, issues: ValidationIssue[]): void {
  const category = categorySpec(r.category);
  if (!category) {
    issues.push(issue('category', 'TAXONOMY', `unknown category ${quote(r.category)}; expected one of ${CATEGORIES.join(', ')}`));
  } else {
    if (!Object.hasOwn(category.subCategories, r.subCategory)) {
      const allowed = Object.keys(category.subCategories).join(', ');
      issues.push(issue('subCategory', 'TAXONOMY', `${quote(r.subCategory)} is not a sub-category of ${r.category}; expected one of ${allowed}`));
    }
    if (category.requiresCommodity && r.commodity === null) {
      issues.push(issue('commodity', 'REQUIRED', `a ${r.category} report must say what was seized or moved (commodity)`));
    }
  }
  if (r.commodity) {
    const { kind, quantity, unit } = r.commodity;
    checkRequiredText(kind, 'commodity.kind', issues);
    if (!(Number.isFinite(quantity) && quantity >= 0)) {
      issues.push(issue('commodity.quantity', 'RANGE', `quantity must be a number of at least 0 (got ${quantity})`));
    }
    if (!commodityUnits.has(unit)) {
      issues.push(issue('commodity.unit', 'ENUM', `unknown unit ${quote(unit)}; expected one of ${COMMODITY_UNITS.join(', ')}`));
    }
  }
  checkFatalities(r, issues);
  if (!(Number.isInteger(r.infoCredibility) && r.infoCredibility >= 1 && r.infoCredibility <= 6)) {
    issues.push(issue('infoCredibility', 'RANGE', `infoCredibility must be 1 (confirmed) to 6 (cannot be judged) (got ${r.infoCredibility})`));
  }
  checkCount(r.actors, LIMITS.actors, 'actors', issues);
  r.actors.forEach((actor, i) => {
    checkRequiredText(actor.name, `actors[${i}].name`, issues);
    if (!actorKinds.has(actor.kind)) {
      issues.push(issue(`actors[${i}].kind`, 'ENUM', `unknown actor kind ${quote(actor.kind)}; expected one of ${ACTOR_KINDS.join(', ')}`));
    }
  });
}

function checkFatalities(r: IncidentReport, issues: ValidationIssue[]): void {
  const { min, max, known } = r.fatalities;
  const inRange = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= LIMITS.fatalities;
  if (!inRange(min)) issues.push(issue('fatalities.min', 'RANGE', `fatalities.min must be an integer from 0 to ${LIMITS.fatalities} (got ${min})`));
  if (!inRange(max)) issues.push(issue('fatalities.max', 'RANGE', `fatalities.max must be an integer from 0 to ${LIMITS.fatalities} (got ${max})`));
  else if (max < min) issues.push(issue('fatalities.max', 'INCONSISTENT', `fatalities.max (${max}) must not be less than fatalities.min (${min})`));
  if (!known && (min !== 0 || max !== 0)) {
    issues.push(issue('fatalities.known', 'INCONSISTENT', 'fatalities.known is false (figures unknown), so min and max must be 0; set known to true to report a range'));
  }
}

function checkSharing(r: IncidentReport, issues: ValidationIssue[]): void {
  if (r.tlp === 'AMBER_STRICT' && r.releasableTo.length === 0) {
    issues.push(issue('releasableTo', 'REQUIRED', 'TLP AMBER_STRICT information can only go to agencies named in releasableTo; name at least one'));
  }
  checkCount(r.releasableTo, LIMITS.releasableTo, 'releasableTo', issues);
  r.releasableTo.forEach((agencyId, i) => {
    if (!AGENCY_ID_PATTERN.test(agencyId)) {
      issues.push(issue(`releasableTo[${i}]`, 'FORMAT', `${quote(agencyId)} is not an agency id (lower-case letters, digits, dashes)`));
    }
  });
  checkCount(r.relatedEventIds, LIMITS.relatedEventIds, 'relatedEventIds', issues);
  r.relatedEventIds.forEach((eventId, i) => {
    if (!isEventId(eventId)) {
      issues.push(issue(`relatedEventIds[${i}]`, 'FORMAT', `${quote(eventId)} is not an event id (<feedId>:<sourceEventId>)`));
    } else if (eventId === r.eventId) {
      issues.push(issue(`relatedEventIds[${i}]`, 'INCONSISTENT', 'a report cannot be related to itself'));
    }
  });
}

function checkText(r: IncidentReport, issues: ValidationIssue[]): void {
  if (!LANG_PATTERN.test(r.lang)) {
    issues.push(issue('lang', 'FORMAT', `lang must be an ISO 639-1 code of two lower-case letters, e.g. fr (got ${quote(r.lang)})`));
  }
  if (r.notes !== null && r.notes.length > LIMITS.notes) {
    issues.push(issue('notes', 'TOO_LONG', `notes must be at most ${LIMITS.notes} characters (got ${r.notes.length})`));
  }
}

function checkRequiredText(value: string, path: string, issues: ValidationIssue[]): void {
  if (value.trim() === '') issues.push(issue(path, 'REQUIRED', `${path} must not be empty`));
  else if (value.length > LIMITS.text) issues.push(issue(path, 'TOO_LONG', `${path} must be at most ${LIMITS.text} characters`));
}

function checkOptionalText(value: string | null, path: string, issues: ValidationIssue[]): void {
  if (value !== null) checkRequiredText(value, path, issues);
}

function checkCount(items: readonly unknown[], max: number, path: string, issues: ValidationIssue[]): void {
  if (items.length > max) issues.push(issue(path, 'TOO_LONG', `${path} may list at most ${max} entries (got ${items.length})`));
}

/** For messages only: a value out of Date's range is shown as the raw number. */
function iso(epochMillis: number): string {
  return Number.isFinite(epochMillis) && Math.abs(epochMillis) <= MAX_DATE_MS ? formatIsoTimestamp(epochMillis) : String(epochMillis);
}
