import type { BBox, Position } from '../types';
import { KM_PER_DEGREE, kmToDegrees } from '../spherical';

export function bboxOf(positions: Iterable<Position>): BBox {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [lon, lat] of positions) {
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return [west, south, east, north];
}

/** The box grown by `km` on every side (longitude margin taken at the box's highest latitude). */
export function expandBBoxKm(box: BBox, km: number): BBox {
  const dLat = km / KM_PER_DEGREE;
  const { dLon } = kmToDegrees(km, Math.max(Math.abs(box[1]), Math.abs(box[3])) + dLat);
  return [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat];
}

export function unionBBox(boxes: readonly BBox[]): BBox {
  return bboxOf(boxes.flatMap((b) => [[b[0], b[1]] as const, [b[2], b[3]] as const]));
}

/**
 * Whether the point is within `km` of the box, tested cheaply (no allocation) and conservatively:
 * `cosFloor` is the cosine of the highest latitude the test can reach (see cosFloorOf).
 */
export function nearBBox(box: BBox, cosFloor: number, lon: number, lat: number, km: number): boolean {
  const dLat = km / KM_PER_DEGREE;
  const dLon = dLat / cosFloor;
  return lon >= box[0] - dLon && lon <= box[2] + dLon && lat >= box[1] - dLat && lat <= box[3] + dLat;
}

/** Cosine of the highest latitude reached by the box grown by `maxKm`. */
export function cosFloorOf(box: BBox, maxKm: number): number {
  const lat = Math.max(Math.abs(box[1]), Math.abs(box[3])) + maxKm / KM_PER_DEGREE;
  return Math.cos(Math.min(89, lat) * (Math.PI / 180));
}
