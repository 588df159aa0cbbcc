import { getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { H3_RESOLUTION } from './h3-cell';
import { haversineKm } from './spherical';
import type { GeoPrecision } from './types';
import { uncertaintyKm } from './uncertainty';

describe('haversineKm', () => {
  it('gives a quarter of the equator as πR/2', () => {
    expect(haversineKm(0, 0, 0, 90)).toBeCloseTo(10_007.5, 0);
  });

  it('gives 111.2 km per degree of latitude', () => {
    expect(haversineKm(12, -8, 13, -8)).toBeCloseTo(111.2, 1);
  });

  it('gives Dakar–Bamako as ~1,050 km (published great-circle distance)', () => {
    const km = haversineKm(14.693, -17.447, 12.639, -8.003);
    expect(km).toBeGreaterThan(1040);
    expect(km).toBeLessThan(1060);
  });
});

describe('uncertainty and H3 resolution', () => {
  it('grows with coarser precision', () => {
    expect([1, 2, 3].map((p) => uncertaintyKm(p as GeoPrecision))).toEqual([2, 25, 100]);
  });

  it('picks, per precision, the H3 resolution whose average edge is closest to the uncertainty', () => {
    for (const precision of [1, 2, 3] as const) {
      const km = uncertaintyKm(precision);
      const closest = Array.from({ length: 16 }, (_, res) => res).reduce((best, res) =>
        Math.abs(getHexagonEdgeLengthAvg(res, UNITS.km) - km) < Math.abs(getHexagonEdgeLengthAvg(best, UNITS.km) - km) ? res : best,
      );
      expect(H3_RESOLUTION[precision]).toBe(closest);
    }
  });
});
