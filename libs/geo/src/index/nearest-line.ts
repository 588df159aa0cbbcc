import { KM_PER_DEGREE, closestFraction, haversineKm, kmPerDegreeLon, projectedDistance2 } from '../spherical';
import type { BBox, Position } from '../types';
import { CellLists } from './cell-lists';
import { Grid } from './grid';

export interface NearestLine {
  /** Index of the line (e.g. border section) holding the closest point. */
  readonly line: number;
  readonly distanceKm: number;
}

/** Safety factor on candidate radii: build-time and query-time projections differ slightly. */
const RADIUS_SLACK = 1.02;
const RADIUS_SLACK_KM = 1;
/** Cell widths, in fine cells, of the coarser levels used while building. */
const COARSE_LEVELS = [16, 4, 2];

/**
 * Nearest line (of many) to a point, at any distance, in O(candidates of one cell): each grid
 * cell keeps, once, the few segments that can be nearest for a point inside it.
 */
export class NearestLineIndex {
  /** Segments [x1, y1, x2, y2, ...]. */
  private readonly segments: Float64Array;
  /** Line index of each segment. */
  private readonly segmentLine: Int32Array;
  private readonly candidates: CellLists;

  constructor(
    private readonly grid: Grid,
    lines: readonly (readonly Position[])[],
  ) {
    const coords: number[] = [];
    const owners: number[] = [];
    lines.forEach((line, l) => {
      for (let i = 0; i + 1 < line.length; i++) {
        coords.push(line[i]![0], line[i]![1], line[i + 1]![0], line[i + 1]![1]);
        owners.push(l);
      }
    });
    this.segments = Float64Array.from(coords);
    this.segmentLine = Int32Array.from(owners);
    // Coarse to fine: a cell's candidates are taken from its parent cell's candidates (a superset
    // of what any point inside can need), so each level scans few segments. Each level is built
    // straight into compact lists, with one scratch array for distances: the finest level holds
    // hundreds of thousands of candidates, and per-cell arrays would leave the heap grown by
    // tens of MB for the life of the process.
    const all = Int32Array.from({ length: owners.length }, (_, s) => s);
    const distances = new Float64Array(owners.length);
    let parent: { grid: Grid; lists: CellLists } | undefined;
    for (const factor of COARSE_LEVELS) {
      const level = new Grid(grid.extent, grid.cellDeg * factor);
      parent = { grid: level, lists: this.levelCandidates(level, parent, all, distances) };
    }
    this.candidates = this.levelCandidates(grid, parent, all, distances);
  }

  /** The nearest line, or null outside the grid (or with no lines). */
  nearest(lon: number, lat: number): NearestLine | null {
    const cell = this.grid.cellAt(lon, lat);
    if (cell < 0) return null;
    const { offsets, items } = this.candidates;
    const start = offsets[cell]!;
    const end = offsets[cell + 1]!;
    if (start === end) return null;
    const kx = kmPerDegreeLon(lat);
    const seg = this.segments;
    let best = Infinity;
    let bestSegment = 0;
    let bestT = 0;
    for (let i = start; i < end; i++) {
      const s = items[i]! * 4;
      const t = closestFraction(lon, lat, seg[s]!, seg[s + 1]!, seg[s + 2]!, seg[s + 3]!, kx);
      const d2 = projectedDistance2(lon, lat, seg[s]!, seg[s + 1]!, seg[s + 2]!, seg[s + 3]!, kx, t);
      if (d2 < best) {
        best = d2;
        bestSegment = items[i]!;
        bestT = t;
      }
    }
    const s = bestSegment * 4;
    const footLon = seg[s]! + (seg[s + 2]! - seg[s]!) * bestT;
    const footLat = seg[s + 1]! + (seg[s + 3]! - seg[s + 1]!) * bestT;
    return { line: this.segmentLine[bestSegment]!, distanceKm: haversineKm(lat, lon, footLat, footLon) };
  }

  private levelCandidates(level: Grid, parent: { grid: Grid; lists: CellLists } | undefined, all: Int32Array, distances: Float64Array): CellLists {
    return CellLists.collect(level.cellCount, (cell, push) => {
      const box = level.cellBounds(cell);
      const p = parent?.grid.cellAt((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) ?? -1;
      this.candidatesIn(box, p >= 0 ? parent!.lists.itemsOf(p) : all, distances, push);
    });
  }

  /**
   * Pushes the segments (of `superset`) that can be nearest for some point of the box: with d the
   * distance from the box centre to its nearest segment and h the half-diagonal, every point's
   * nearest segment lies within d + 2h of the centre. `distances` is scratch space.
   */
  private candidatesIn(box: BBox, superset: Int32Array, distances: Float64Array, push: (segment: number) => void): void {
    if (superset.length === 0) return;
    const [west, south, east, north] = box;
    const lon = (west + east) / 2;
    const lat = (south + north) / 2;
    const kx = kmPerDegreeLon(lat);
    const halfDiagonal = 0.5 * Math.hypot((east - west) * kmPerDegreeLon(Math.min(Math.abs(south), Math.abs(north))), (north - south) * KM_PER_DEGREE);
    let nearest = Infinity;
    for (let i = 0; i < superset.length; i++) {
      distances[i] = this.segmentDistance(superset[i]!, lon, lat, kx);
      if (distances[i]! < nearest) nearest = distances[i]!;
    }
    const radius = (nearest + 2 * halfDiagonal) * RADIUS_SLACK + RADIUS_SLACK_KM;
    for (let i = 0; i < superset.length; i++) if (distances[i]! <= radius) push(superset[i]!);
  }

  /** Projected distance (km) from the point to segment s. */
  private segmentDistance(s: number, lon: number, lat: number, kx: number): number {
    const seg = this.segments;
    const i = s * 4;
    const t = closestFraction(lon, lat, seg[i]!, seg[i + 1]!, seg[i + 2]!, seg[i + 3]!, kx);
    return Math.sqrt(projectedDistance2(lon, lat, seg[i]!, seg[i + 1]!, seg[i + 2]!, seg[i + 3]!, kx, t));
  }
}
