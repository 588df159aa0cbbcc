import { describe, expect, it } from 'vitest';
import { correlationKeys, zoneOf } from './correlation-keys';
import { enrichLocation } from './enrich-location';
import { createGeoReference } from './reference';
import type { Country, GeoReference, Position } from './types';

// A tiny operator-made reference on the equator-side of the Sahel where every expected value
// follows from plane geometry: two 1°×1° countries AA (west) and BB (east) sharing the meridian
// 0° between 10° N and 11° N, a hotspot square and a route along the parallel 10.5° N.

const KM_PER_DEG = (6371.0088 * Math.PI) / 180; // 111.195 km
const kmPerDegLon = (lat: number) => KM_PER_DEG * Math.cos((lat * Math.PI) / 180);

const square = (west: number, south: number, east: number, north: number): Position[] => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];
const country = (code: string, ring: Position[]): Country => ({
  code,
  numericCode: '',
  name: { en: `Country ${code}`, fr: `Pays ${code}` },
  inRegion: true,
  polygons: [[ring]],
});

function reference(): GeoReference {
  return createGeoReference({
    version: 'test-1',
    extent: [-3, 8, 3, 13],
    countries: [country('AA', square(-1, 10, 0, 11)), country('BB', square(0, 10, 1, 11))],
    borderSections: [
      { id: 'AA-BB-001', name: { en: 'AA–BB 1', fr: 'AA–BB 1' }, countries: ['AA', 'BB'], lengthKm: 55.6, line: [[0, 10], [0, 10.5]] },
      { id: 'AA-BB-002', name: { en: 'AA–BB 2', fr: 'AA–BB 2' }, countries: ['AA', 'BB'], lengthKm: 55.6, line: [[0, 10.5], [0, 11]] },
    ],
    hotspots: [{ id: 'HS-EAST', name: { en: 'East', fr: 'Est' }, countries: ['BB'], polygon: [square(0.5, 10.2, 0.8, 10.8)] }],
    routes: [
      {
        id: 'RT-PARALLEL',
        name: { en: 'Along 10.5° N', fr: 'Le long de 10,5° N' },
        kind: 'TRAFFICKING',
        bufferKm: 10,
        countries: ['AA', 'BB'],
        via: ['West end', 'East end'],
        line: [[-1, 10.5], [1, 10.5]],
      },
    ],
  });
}

describe('enrichLocation on a reference with known geometry', () => {
  const ref = reference();

  it('measures the distance to the border and picks the section beside the point', () => {
    const geo = enrichLocation(ref, { lat: 10.25, lon: -0.2, geoPrecision: 1 }, 'AA');
    expect(geo.country).toBe('AA');
    expect(geo.borderDistanceKm).toBeCloseTo(0.2 * kmPerDegLon(10.25), 1);
    expect(geo.borderSectionId).toBe('AA-BB-001');
    expect(geo.neighbourCountry).toBe('BB');
    expect(enrichLocation(ref, { lat: 10.75, lon: 0.2, geoPrecision: 1 }, 'BB').borderSectionId).toBe('AA-BB-002');
  });

  it('measures the route distance and the chainage from the first town', () => {
    const geo = enrichLocation(ref, { lat: 10.55, lon: 0.3, geoPrecision: 1 }, 'BB');
    expect(geo.routes).toHaveLength(1);
    expect(geo.routes[0]!.distanceKm).toBeCloseTo(0.05 * KM_PER_DEG, 1);
    // 1.3° of longitude east of the start at 10.5° N (parallel vs great circle: < 0.01 km apart).
    expect(geo.routes[0]!.chainageKm).toBeCloseTo(1.3 * kmPerDegLon(10.5), 0);
  });

  it('matches a hotspot from inside, or from outside within the uncertainty', () => {
    expect(enrichLocation(ref, { lat: 10.5, lon: 0.6, geoPrecision: 1 }, 'BB').hotspotIds).toEqual(['HS-EAST']);
    // 0.2° west of the hotspot: 21.9 km, beyond 2 km, within 25 km.
    expect(enrichLocation(ref, { lat: 10.5, lon: 0.3, geoPrecision: 1 }, 'BB').hotspotIds).toEqual([]);
    expect(enrichLocation(ref, { lat: 10.5, lon: 0.3, geoPrecision: 2 }, 'BB').hotspotIds).toEqual(['HS-EAST']);
  });

  it('tolerates a coarse report across the border but not a precise one', () => {
    // 0.1° inside BB = 10.9 km from AA.
    expect(enrichLocation(ref, { lat: 10.5, lon: 0.1, geoPrecision: 1 }, 'AA').reportedCountryMismatch).toBe(true);
    expect(enrichLocation(ref, { lat: 10.5, lon: 0.1, geoPrecision: 2 }, 'AA').reportedCountryMismatch).toBe(false);
  });

  it('treats land not covered by any country inside the extent as sea, and outside it as outside', () => {
    expect(enrichLocation(ref, { lat: 12, lon: 2, geoPrecision: 1 }, 'BB').flags).toEqual(['AT_SEA']);
    expect(enrichLocation(ref, { lat: 20, lon: 2, geoPrecision: 1 }, 'BB').flags).toEqual(['OUTSIDE_REGION', 'COUNTRY_MISMATCH']);
  });

  it('gives the correlator the zones, and the zones back from their keys', () => {
    const geo = enrichLocation(ref, { lat: 10.52, lon: 0.6, geoPrecision: 1 }, 'BB');
    expect(correlationKeys(geo)).toEqual(['HOTSPOT:HS-EAST', 'ROUTE:RT-PARALLEL', 'COUNTRY:BB']);
    const nearBorder = enrichLocation(ref, { lat: 10.52, lon: 0.1, geoPrecision: 1 }, 'BB');
    expect(correlationKeys(nearBorder)).toEqual(['SECTION:AA-BB-002', 'ROUTE:RT-PARALLEL', 'COUNTRY:BB']);
    expect(zoneOf(ref, 'SECTION:AA-BB-002')).toEqual({ kind: 'SECTION', id: 'AA-BB-002', name: 'AA–BB 2', countries: ['AA', 'BB'] });
    expect(zoneOf(ref, 'COUNTRY:AA')).toEqual({ kind: 'COUNTRY', id: 'AA', name: 'Country AA', countries: ['AA'] });
    expect(zoneOf(ref, 'HOTSPOT:HS-NOWHERE')).toBeUndefined();
    expect(zoneOf(ref, 'nonsense')).toBeUndefined();
  });

  it('rejects layers that contradict themselves', () => {
    const layers = { version: 'x', countries: [country('AA', square(0, 0, 1, 1))], hotspots: [], routes: [] };
    const section = { id: 'AA-ZZ-001', name: { en: 'x', fr: 'x' }, countries: ['AA', 'ZZ'] as [string, string], lengthKm: 1, line: [[0, 0], [0, 1]] as Position[] };
    expect(() => createGeoReference({ ...layers, borderSections: [section] })).toThrowError(expect.objectContaining({ code: 'GEO_REFERENCE_INVALID' }));
    expect(() => createGeoReference({ ...layers, countries: [...layers.countries, ...layers.countries], borderSections: [] })).toThrowError(/duplicate country code "AA"/);
  });
});
