import { closestFraction, haversineKm, kmPerDegreeLon, projectedDistance2 } from '../spherical';
import type { Position } from '../types';

/** A line's vertices packed as [lon0, lat0, lon1, lat1, ...] for allocation-free scans. */
export function packPositions(line: readonly Position[]): Float64Array {
  const xy = new Float64Array(line.length * 2);
  line.forEach(([lon, lat], i) => {
    xy[2 * i] = lon;
    xy[2 * i + 1] = lat;
  });
  return xy;
}

export interface Foot {
  /** Index of the segment (vertex i to i + 1) holding the closest point. */
  readonly segment: number;
  /** Fraction along that segment. */
  readonly t: number;
  readonly distanceKm: number;
}

/** Closest point of a packed polyline to (lon, lat); distance measured by haversine to that point. */
export function footOnPolyline(xy: Float64Array, lon: number, lat: number): Foot {
  const kx = kmPerDegreeLon(lat);
  let best = Infinity;
  let bestSegment = 0;
  let bestT = 0;
  for (let i = 0; i + 3 < xy.length; i += 2) {
    const x1 = xy[i]!;
    const y1 = xy[i + 1]!;
    const x2 = xy[i + 2]!;
    const y2 = xy[i + 3]!;
    const t = closestFraction(lon, lat, x1, y1, x2, y2, kx);
    const d2 = projectedDistance2(lon, lat, x1, y1, x2, y2, kx, t);
    if (d2 < best) {
      best = d2;
      bestSegment = i / 2;
      bestT = t;
    }
  }
  const i = bestSegment * 2;
  const footLon = xy[i]! + (xy[i + 2]! - xy[i]!) * bestT;
  const footLat = xy[i + 1]! + (xy[i + 3]! - xy[i + 1]!) * bestT;
  return { segment: bestSegment, t: bestT, distanceKm: haversineKm(lat, lon, footLat, footLon) };
}

/** Even-odd ray casting over packed closed rings (holes included). */
export function pointInRings(rings: readonly Float64Array[], lon: number, lat: number): boolean {
  let inside = false;
  for (const xy of rings) {
    for (let i = 0; i + 3 < xy.length; i += 2) {
      const y1 = xy[i + 1]!;
      const y2 = xy[i + 3]!;
      if (y1 > lat !== y2 > lat) {
        const x1 = xy[i]!;
        if (lon < x1 + ((xy[i + 2]! - x1) * (lat - y1)) / (y2 - y1)) inside = !inside;
      }
    }
  }
  return inside;
}
