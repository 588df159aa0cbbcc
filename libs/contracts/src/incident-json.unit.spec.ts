import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incidentToJson, parseIncidentJson } from './incident-json';
import type { IncidentReport } from './incident-report';
import { defaultSchemasDir } from './schema-catalogue';
import { formatIssues, MAX_LISTED_ISSUES, type ValidationIssue } from './validation-issue';

type Json = Record<string, any>;

const fixture = JSON.parse(readFileSync(join(defaultSchemasDir(), 'incident-report/fixtures/valid.json'), 'utf8')) as Json;
/** Three hours after the fixture's report. */
const now = Date.UTC(2025, 2, 14, 12, 15);
const copy = (): Json => structuredClone(fixture);

function accepted(json: unknown): IncidentReport {
  const parsed = parseIncidentJson(json, { now });
  if (!parsed.ok) throw new Error(`rejected: ${JSON.stringify(parsed.issues)}`);
  return parsed.report;
}

function issuesOf(json: unknown): ValidationIssue[] {
  const parsed = parseIncidentJson(json, { now });
  if (parsed.ok) throw new Error('expected the report to be rejected');
  return parsed.issues;
}

describe('parseIncidentJson: the valid fixture (near Kayes, Mali)', () => {
  it('is accepted, with timestamps in epoch millis and the event id derived', () => {
    const report = accepted(fixture);
    expect(report.eventId).toBe('ml-douanes:DGD-KYS-2025-000417');
    expect(report.occurredAt).toBe(Date.UTC(2025, 2, 14, 4, 40));
    expect(report.reportedAt).toBe(Date.UTC(2025, 2, 14, 9, 15));
    expect(report.location).toEqual({ lat: 14.4469, lon: -11.4445, geoPrecision: 1, placeName: 'Kayes', admin1: 'Kayes', admin2: 'Kayes' });
    expect(report.commodity).toEqual({ kind: 'assault rifles', quantity: 12, unit: 'item' });
    expect(report.actors.map((a) => a.kind)).toEqual(['STATE_FORCES', 'CRIMINAL_NETWORK']);
  });

  it('accepts the event id when given and equal to the derived one', () => {
    expect(accepted({ ...copy(), eventId: 'ml-douanes:DGD-KYS-2025-000417' }).eventId).toBe('ml-douanes:DGD-KYS-2025-000417');
  });

  it('fills in omitted optional fields', () => {
    const json = copy();
    for (const field of ['revision', 'status', 'actors', 'releasableTo', 'notes', 'relatedEventIds']) delete json[field];
    delete json.location.placeName;
    delete json.location.admin1;
    json.location.admin2 = null;
    const report = accepted(json);
    expect(report).toMatchObject({ revision: 1, status: 'ACTIVE', actors: [], releasableTo: [], notes: null, relatedEventIds: [] });
    expect(report.location).toMatchObject({ placeName: null, admin1: null, admin2: null });
  });

  it('reads timestamps with an offset as UTC', () => {
    expect(accepted({ ...copy(), occurredAt: '2025-03-14T05:40:00+01:00' }).occurredAt).toBe(Date.UTC(2025, 2, 14, 4, 40));
  });

  it('round-trips through incidentToJson', () => {
    const report = accepted(fixture);
    const json = incidentToJson(report);
    expect(json['occurredAt']).toBe('2025-03-14T04:40:00.000Z');
    expect(json['eventId']).toBe('ml-douanes:DGD-KYS-2025-000417');
    expect(accepted(JSON.parse(JSON.stringify(json)))).toEqual(report);
  });
});

describe('parseIncidentJson: structural rules', () => {
  const cases: [string, (j: Json) => void, string, string][] = [
    ['a field it does not know', (j) => (j.severity = 3), 'severity', 'UNKNOWN_FIELD'],
    ['a nested field it does not know', (j) => (j.location.altitude = 250), 'location.altitude', 'UNKNOWN_FIELD'],
    ['a missing feedId', (j) => delete j.feedId, 'feedId', 'REQUIRED'],
    ['a missing latitude', (j) => delete j.location.lat, 'location.lat', 'REQUIRED'],
    ['a missing fatalities record', (j) => delete j.fatalities, 'fatalities', 'REQUIRED'],
    ['a latitude given as a string', (j) => (j.location.lat = '14.4469'), 'location.lat', 'TYPE'],
    ['a fractional revision', (j) => (j.revision = 1.5), 'revision', 'TYPE'],
    ['an int beyond 32 bits', (j) => (j.fatalities.max = 2 ** 40), 'fatalities.max', 'RANGE'],
    ['actors as an object', (j) => (j.actors = { name: 'x', kind: 'OTHER' }), 'actors', 'TYPE'],
    ['a number among agency ids', (j) => (j.releasableTo = ['sn-douanes', 3]), 'releasableTo[1]', 'TYPE'],
    ['a null eventId', (j) => (j.eventId = null), 'eventId', 'TYPE'],
    ['a null non-nullable field', (j) => (j.lang = null), 'lang', 'TYPE'],
    ['epoch millis instead of ISO-8601', (j) => (j.occurredAt = 1741927200000), 'occurredAt', 'TYPE'],
    ['a TLP that does not exist', (j) => (j.tlp = 'ORANGE'), 'tlp', 'ENUM'],
    ['a lower-case enum symbol', (j) => (j.timePrecision = 'hour'), 'timePrecision', 'ENUM'],
    ['a timestamp without a time zone', (j) => (j.occurredAt = '2025-03-14T04:40:00'), 'occurredAt', 'FORMAT'],
    ['a timestamp with a space', (j) => (j.reportedAt = '2025-03-14 09:15:00Z'), 'reportedAt', 'FORMAT'],
    ['a date that does not exist', (j) => (j.occurredAt = '2025-02-30T04:40:00Z'), 'occurredAt', 'FORMAT'],
  ];

  it.each(cases)('rejects %s', (_what, mutate, path, code) => {
    const json = copy();
    mutate(json);
    const issues = issuesOf(json);
    expect(issues).toContainEqual({ path, code, message: expect.stringMatching(/\w/) });
  });

  it('rejects what is not an object', () => {
    expect(issuesOf('report')).toEqual([{ path: '(root)', code: 'TYPE', message: expect.any(String) }]);
    expect(issuesOf([fixture])[0]).toMatchObject({ path: '(root)', code: 'TYPE' });
  });

  it('reports every structural problem at once', () => {
    const json = copy();
    json.location.lat = 'north';
    delete json.category;
    json.sourceReliabilty = 'B';
    expect(issuesOf(json).map((i) => `${i.path} ${i.code}`).sort()).toEqual(['category REQUIRED', 'location.lat TYPE', 'sourceReliabilty UNKNOWN_FIELD']);
  });

  it.each([
    ['notes', (j: Json) => (j.notes = 'a\ud800b')],
    ['location.placeName', (j: Json) => (j.location.placeName = 'K\udc00')],
    ['actors[1].name', (j: Json) => (j.actors[1].name = '\udbff')],
  ])('rejects a lone UTF-16 surrogate in %s, which Avro would silently replace', (path, mutate) => {
    const json = copy();
    mutate(json);
    expect(issuesOf(json)).toEqual([{ path, code: 'FORMAT', message: expect.stringContaining('lone UTF-16 surrogate') }]);
  });

  it('accepts characters outside the Basic Multilingual Plane (surrogate pairs)', () => {
    expect(accepted({ ...copy(), notes: 'convoi 🚚 vu à 𝟐 km' }).notes).toBe('convoi 🚚 vu à 𝟐 km');
  });

  it(`lists at most ${MAX_LISTED_ISSUES} issues in a reason, and counts the others`, () => {
    const issues = issuesOf({ ...copy(), ...Object.fromEntries(Array.from({ length: 110_000 }, (_, i) => [`k${i}`, 0])) });
    expect(issues).toHaveLength(110_000);
    const reason = formatIssues(issues);
    expect(reason).toMatch(/; k49: unknown field k49; [^;]+; and 109950 more issues$/);
    expect(reason.length).toBeLessThan(10_000);
    expect(formatIssues(issues.slice(0, MAX_LISTED_ISSUES))).not.toContain('more issues');
  });

  it('shortens the name of an unknown field, which the feed chose', () => {
    const [issue] = issuesOf({ ...copy(), ['x'.repeat(1_000_000)]: 1 });
    expect(issue).toMatchObject({ code: 'UNKNOWN_FIELD', path: `${'x'.repeat(80)}…` });
    expect(issue!.message.length).toBeLessThan(200);
  });

  it('quotes and shortens what the feed sent in messages', () => {
    const [issue] = issuesOf({ ...copy(), tlp: `RED\n${'x'.repeat(500)}` });
    expect(issue!.message).toContain('"RED\\nxxx');
    expect(issue!.message.length).toBeLessThan(200);
  });
});

describe('parseIncidentJson: semantic rules', () => {
  const minutes = (n: number): string => new Date(now + n * 60_000).toISOString();
  const cases: [string, (j: Json) => void, string, string][] = [
    ['a latitude beyond 90', (j) => (j.location.lat = 95), 'location.lat', 'RANGE'],
    ['a longitude below -180', (j) => (j.location.lon = -181), 'location.lon', 'RANGE'],
    ['a geoPrecision of 4', (j) => (j.location.geoPrecision = 4), 'location.geoPrecision', 'RANGE'],
    ['an upper-case feed id', (j) => (j.feedId = 'ML-douanes'), 'feedId', 'FORMAT'],
    ['a feed id without a name', (j) => (j.feedId = 'ml'), 'feedId', 'FORMAT'],
    ['a feed of another country', (j) => (j.feedId = 'sn-douanes'), 'feedId', 'INCONSISTENT'],
    ['a lower-case country', (j) => (j.sourceCountry = 'ml'), 'sourceCountry', 'FORMAT'],
    ['a country code that does not exist', (j) => ((j.sourceCountry = 'XX'), (j.feedId = 'xx-douanes')), 'sourceCountry', 'ENUM'],
    ['a source event id with a space', (j) => (j.sourceEventId = 'DGD 417'), 'sourceEventId', 'FORMAT'],
    ['an event id other than the derived one', (j) => (j.eventId = 'ml-douanes:OTHER-1'), 'eventId', 'INCONSISTENT'],
    ['a reporting agency that is not an agency id', (j) => (j.reportingAgency = 'Douanes du Mali'), 'reportingAgency', 'FORMAT'],
    ['revision 0', (j) => (j.revision = 0), 'revision', 'RANGE'],
    ['a REVISED first revision', (j) => (j.status = 'REVISED'), 'revision', 'INCONSISTENT'],
    ['an event reported before it happened', (j) => (j.occurredAt = '2025-03-14T10:00:00Z'), 'occurredAt', 'INCONSISTENT'],
    ['a report from the future', (j) => (j.reportedAt = minutes(10)), 'reportedAt', 'FUTURE_TIMESTAMP'],
    ['an event before 2000', (j) => (j.occurredAt = '1999-12-31T23:59:59Z'), 'occurredAt', 'RANGE'],
    ['an unknown category', (j) => (j.category = 'TERRORISM'), 'category', 'TAXONOMY'],
    ['a sub-category of another category', (j) => ((j.category = 'BATTLES'), (j.subCategory = 'FUEL')), 'subCategory', 'TAXONOMY'],
    ['a smuggling seizure without commodity', (j) => delete j.commodity, 'commodity', 'REQUIRED'],
    ['a negative quantity', (j) => (j.commodity.quantity = -1), 'commodity.quantity', 'RANGE'],
    ['an unknown unit', (j) => (j.commodity.unit = 'barrels'), 'commodity.unit', 'ENUM'],
    ['an empty commodity kind', (j) => (j.commodity.kind = ' '), 'commodity.kind', 'REQUIRED'],
    ['negative fatalities', (j) => (j.fatalities.min = -1), 'fatalities.min', 'RANGE'],
    ['fatalities max below min', (j) => (j.fatalities = { min: 3, max: 1, known: true }), 'fatalities.max', 'INCONSISTENT'],
    ['figures with known = false', (j) => (j.fatalities = { min: 1, max: 2, known: false }), 'fatalities.known', 'INCONSISTENT'],
    ['infoCredibility 7', (j) => (j.infoCredibility = 7), 'infoCredibility', 'RANGE'],
    ['an actor without a name', (j) => (j.actors[0].name = ''), 'actors[0].name', 'REQUIRED'],
    ['an actor of unknown kind', (j) => (j.actors[1].kind = 'BANDITS'), 'actors[1].kind', 'ENUM'],
    ['AMBER_STRICT released to nobody', (j) => ((j.tlp = 'AMBER_STRICT'), (j.releasableTo = [])), 'releasableTo', 'REQUIRED'],
    ['a malformed agency id', (j) => (j.releasableTo = ['sn-douanes', 'SN_Douanes']), 'releasableTo[1]', 'FORMAT'],
    ['a three-letter language code', (j) => (j.lang = 'fra'), 'lang', 'FORMAT'],
    ['notes over 4000 characters', (j) => (j.notes = 'n'.repeat(4001)), 'notes', 'TOO_LONG'],
    ['an empty place name', (j) => (j.location.placeName = ''), 'location.placeName', 'REQUIRED'],
    ['a related id that is not an event id', (j) => (j.relatedEventIds = ['417']), 'relatedEventIds[0]', 'FORMAT'],
    ['a report related to itself', (j) => (j.relatedEventIds = ['ml-douanes:DGD-KYS-2025-000417']), 'relatedEventIds[0]', 'INCONSISTENT'],
    ['more than 50 actors', (j) => (j.actors = Array.from({ length: 51 }, () => ({ name: 'x', kind: 'OTHER' }))), 'actors', 'TOO_LONG'],
  ];

  it.each(cases)('rejects %s', (_what, mutate, path, code) => {
    const json = copy();
    mutate(json);
    expect(issuesOf(json)).toContainEqual({ path, code, message: expect.stringMatching(/\w/) });
  });

  it('tolerates clock skew up to 5 minutes', () => {
    expect(accepted({ ...copy(), reportedAt: minutes(4) }).reportedAt).toBe(now + 4 * 60_000);
  });

  it('accepts the limits themselves', () => {
    const json = copy();
    Object.assign(json.location, { lat: -90, lon: 180, geoPrecision: 3 });
    Object.assign(json, { infoCredibility: 6, notes: 'n'.repeat(4000), occurredAt: '2000-01-01T00:00:00Z' });
    json.fatalities = { min: 0, max: 0, known: false };
    expect(() => accepted(json)).not.toThrow();
  });

  it('accepts a revision and a retraction of the fixture', () => {
    expect(accepted({ ...copy(), status: 'REVISED', revision: 2 }).revision).toBe(2);
    expect(accepted({ ...copy(), status: 'RETRACTED', revision: 3 }).status).toBe('RETRACTED');
  });
});
