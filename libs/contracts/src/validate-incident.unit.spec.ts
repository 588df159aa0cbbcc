import { describe, expect, it } from 'vitest';
import { sampleIncidentReport } from './sample-messages';
import { validateIncidentReport, type IncidentValidationOptions } from './validate-incident';

// The sample was reported at 2025-05-03T07:45:12.250Z.
const now = Date.UTC(2025, 4, 3, 8, 0);
const codesOf = (overrides: Parameters<typeof sampleIncidentReport>[0], options: IncidentValidationOptions = { now }) =>
  validateIncidentReport(sampleIncidentReport(overrides), options).map((i) => `${i.path} ${i.code}`);

describe('validateIncidentReport (reports decoded from Avro)', () => {
  it('accepts a valid report', () => {
    expect(validateIncidentReport(sampleIncidentReport(), { now })).toEqual([]);
  });

  it('rejects coordinates that are not finite, which Avro doubles can carry', () => {
    const location = { ...sampleIncidentReport().location, lat: Number.NaN, lon: Number.POSITIVE_INFINITY };
    expect(codesOf({ location })).toEqual(['location.lat RANGE', 'location.lon RANGE']);
  });

  it('rejects a non-finite quantity and a fractional geoPrecision', () => {
    const report = sampleIncidentReport();
    expect(codesOf({ commodity: { ...report.commodity!, quantity: Number.NaN }, location: { ...report.location, geoPrecision: 1.5 } })).toEqual([
      'location.geoPrecision RANGE',
      'commodity.quantity RANGE',
    ]);
  });

  it('applies the clock skew it is given', () => {
    const reportedAt = sampleIncidentReport().reportedAt;
    expect(codesOf({}, { now: reportedAt - 60_000, maxClockSkewMs: 0 })).toEqual(['reportedAt FUTURE_TIMESTAMP']);
    expect(codesOf({}, { now: reportedAt - 60_000, maxClockSkewMs: 120_000 })).toEqual([]);
  });

  it('reports several problems of one report together', () => {
    expect(codesOf({ sourceCountry: 'GN', lang: 'FR', infoCredibility: 0 })).toEqual(['feedId INCONSISTENT', 'infoCredibility RANGE', 'lang FORMAT']);
  });

  it('describes a timestamp out of Date range without throwing', () => {
    const [issue] = validateIncidentReport(sampleIncidentReport({ reportedAt: 9e15 }), { now });
    expect(issue).toMatchObject({ path: 'reportedAt', code: 'FUTURE_TIMESTAMP' });
    expect(issue!.message).toContain('9000000000000000');
  });
});
