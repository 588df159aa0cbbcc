import { createPrng } from '@vigie/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGeoReference } from '../load-geo-reference';
import type { GeoReference, Position } from '../types';

// The indexes are checked against slow, independent computations: point-in-polygon by winding
// number over every ring, and border distance by densely sampling every border line.

let ref: GeoReference;
beforeAll(() => {
  ref = loadGeoReference();
});

function randomPoints(count: number, seed: number): Position[] {
  const next = createPrng(seed).float;
  const [west, south, east, north] = ref.extent;
  return Array.from({ length: count }, () => [west + next() * (east - west), south + next() * (north - south)] as const);
}

/** Winding number of a ring around a point (non-zero: inside). */
function winding(ring: readonly Position[], [x, y]: Position): number {
  let w = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    const side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
    if (y1 <= y && y2 > y && side > 0) w++;
    else if (y1 > y && y2 <= y && side < 0) w--;
  }
  return w;
}

function slowCountry(p: Position): string | null {
  for (const country of ref.countries) {
    for (const [outer, ...holes] of country.polygons) {
      if (winding(outer!, p) !== 0 && holes.every((hole) => winding(hole, p) === 0)) return country.code;
    }
  }
  return null;
}

function haversine([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

describe('country index', () => {
  it('agrees with winding-number point-in-polygon on 3,000 random points', () => {
    for (const p of randomPoints(3000, 7)) {
      const k = ref.index.countryAt(p[0], p[1]);
      expect(k < 0 ? null : ref.countries[k]!.code, JSON.stringify(p)).toBe(slowCountry(p));
    }
  });

  it('answers -1 outside the extent', () => {
    expect(ref.index.countryAt(2.35, 48.86)).toBe(-1);
  });
});

describe('nearest border index', () => {
  it('finds the nearest border within 0.5 % + 0.5 km of a dense brute-force search', () => {
    // Every border line sampled every ~1 km: the true distance is within 0.5 km of the nearest sample.
    const samples: Position[] = [];
    for (const s of ref.borderSections) {
      for (let i = 0; i + 1 < s.line.length; i++) {
        const [a, b] = [s.line[i]!, s.line[i + 1]!];
        const steps = Math.max(1, Math.ceil(haversine(a, b)));
        for (let j = 0; j < steps; j++) samples.push([a[0] + ((b[0] - a[0]) * j) / steps, a[1] + ((b[1] - a[1]) * j) / steps]);
      }
    }
    for (const p of randomPoints(150, 11)) {
      const truth = Math.min(...samples.map((q) => haversine(p, q)));
      const found = ref.index.nearestBorder(p[0], p[1])!;
      expect(Math.abs(found.distanceKm - truth), JSON.stringify(p)).toBeLessThanOrEqual(truth * 0.005 + 0.5);
    }
  });

  it('answers null outside the extent', () => {
    expect(ref.index.nearestBorder(2.35, 48.86)).toBeNull();
  });
});
