import type { BBox, Position } from '../types';

/**
 * Sutherland–Hodgman clipping of a closed ring to a box. Concave rings may come out with edges
 * running along the box side; that is harmless for point-in-polygon. Returns a closed ring, or
 * null when fewer than three positions remain.
 */
export function clipRingToBox(ring: readonly Position[], box: BBox): Position[] | null {
  let points = ring.slice(0, -1);
  const [west, south, east, north] = box;
  points = clipEdge(points, (p) => p[0] >= west, (a, b) => atLon(a, b, west));
  points = clipEdge(points, (p) => p[0] <= east, (a, b) => atLon(a, b, east));
  points = clipEdge(points, (p) => p[1] >= south, (a, b) => atLat(a, b, south));
  points = clipEdge(points, (p) => p[1] <= north, (a, b) => atLat(a, b, north));
  if (points.length < 3) return null;
  return [...points, points[0]!];
}

function clipEdge(
  points: readonly Position[],
  inside: (p: Position) => boolean,
  intersect: (a: Position, b: Position) => Position,
): Position[] {
  const out: Position[] = [];
  points.forEach((current, i) => {
    const previous = points[(i + points.length - 1) % points.length]!;
    if (inside(current)) {
      if (!inside(previous)) out.push(intersect(previous, current));
      out.push(current);
    } else if (inside(previous)) {
      out.push(intersect(previous, current));
    }
  });
  return out;
}

function atLon(a: Position, b: Position, lon: number): Position {
  return [lon, a[1] + ((b[1] - a[1]) * (lon - a[0])) / (b[0] - a[0])];
}

function atLat(a: Position, b: Position, lat: number): Position {
  return [a[0] + ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]), lat];
}
