import { KM_PER_DEGREE, closestFraction, haversineKm, kmPerDegreeLon, kmToDegrees, projectedDistance2 } from '../spherical';
import type { BBox, Country } from '../types';
import { bboxOf } from './bbox';
import { CellLists } from './cell-lists';
import type { Grid } from './grid';

const SEA = -1;
const BOUNDARY = -2;

/**
 * Point-in-country over large polygons in O(few edges):
 * - every grid cell that no country edge crosses is classified once (its country, or sea);
 * - in the other cells each candidate country is ray-cast using only its edges that span the
 *   point's grid row, which are all the edges a horizontal ray through the point can cross.
 */
export class CountryLocator {
  /** Per cell: a country index, SEA, or BOUNDARY (see `candidates`). */
  private readonly cellState: Int32Array;
  /** Countries whose edges cross a BOUNDARY cell. */
  private readonly candidates: CellLists;
  /** Edges [x1, y1, x2, y2, ...] of country k spanning grid row r, at bands[k * rows + r]. */
  private readonly bands: (Float64Array | undefined)[];
  private readonly bboxes: BBox[];

  constructor(
    private readonly grid: Grid,
    countries: readonly Country[],
  ) {
    const rows = grid.rows;
    const bandLists: number[][] = [];
    this.bboxes = countries.map((c) => bboxOf(c.polygons.flat(2)));
    this.candidates = CellLists.build(grid.cellCount, (add) => {
      countries.forEach((country, k) => {
        for (const ring of country.polygons.flat()) {
          for (let i = 0; i + 1 < ring.length; i++) {
            const [x1, y1] = ring[i]!;
            const [x2, y2] = ring[i + 1]!;
            const r1 = grid.rowOf(Math.max(y1, y2));
            for (let r = grid.rowOf(Math.min(y1, y2)); r <= r1; r++) (bandLists[k * rows + r] ??= []).push(x1, y1, x2, y2);
            grid.forEachCellIn([Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)], (cell) => add(cell, k));
          }
        }
      });
    });
    this.bands = Array.from({ length: countries.length * rows }, (_, i) => {
      const list = bandLists[i];
      return list === undefined ? undefined : Float64Array.from(list);
    });
    this.cellState = new Int32Array(grid.cellCount);
    for (let cell = 0; cell < grid.cellCount; cell++) {
      if (this.candidates.count(cell) > 0) {
        this.cellState[cell] = BOUNDARY;
        continue;
      }
      const [west, south, east, north] = grid.cellBounds(cell);
      this.cellState[cell] = this.scan((west + east) / 2, (south + north) / 2);
    }
  }

  /** Index of the country containing the point, or -1 (sea, or outside the grid). */
  countryAt(lon: number, lat: number): number {
    const cell = this.grid.cellAt(lon, lat);
    if (cell < 0) return SEA;
    const state = this.cellState[cell]!;
    if (state !== BOUNDARY) return state;
    const { offsets, items } = this.candidates;
    for (let i = offsets[cell]!, end = offsets[cell + 1]!; i < end; i++) {
      if (this.inside(items[i]!, lon, lat)) return items[i]!;
    }
    return SEA;
  }

  /**
   * Great-circle distance from the point to country k's outline (land border or coast) if it is
   * within `maxKm`, else Infinity. For points outside country k.
   */
  distanceToOutlineKm(k: number, lon: number, lat: number, maxKm: number): number {
    const dLat = maxKm / KM_PER_DEGREE;
    const { dLon } = kmToDegrees(maxKm, Math.abs(lat) + dLat);
    const box = this.bboxes[k]!;
    if (lon < box[0] - dLon || lon > box[2] + dLon || lat < box[1] - dLat || lat > box[3] + dLat) return Infinity;
    const kx = kmPerDegreeLon(lat);
    let best = Infinity;
    let footLon = 0;
    let footLat = 0;
    const r1 = this.grid.rowOf(lat + dLat);
    for (let r = this.grid.rowOf(lat - dLat); r <= r1; r++) {
      const edges = this.bands[k * this.grid.rows + r];
      if (edges === undefined) continue;
      for (let i = 0; i < edges.length; i += 4) {
        const x1 = edges[i]!;
        const y1 = edges[i + 1]!;
        const x2 = edges[i + 2]!;
        const y2 = edges[i + 3]!;
        if (Math.max(x1, x2) < lon - dLon || Math.min(x1, x2) > lon + dLon) continue;
        const t = closestFraction(lon, lat, x1, y1, x2, y2, kx);
        const d2 = projectedDistance2(lon, lat, x1, y1, x2, y2, kx, t);
        if (d2 < best) {
          best = d2;
          footLon = x1 + (x2 - x1) * t;
          footLat = y1 + (y2 - y1) * t;
        }
      }
    }
    if (best === Infinity) return Infinity;
    const km = haversineKm(lat, lon, footLat, footLon);
    return km <= maxKm ? km : Infinity;
  }

  /** Slow path used once per edge-free cell while building. */
  private scan(lon: number, lat: number): number {
    for (let k = 0; k < this.bboxes.length; k++) {
      const box = this.bboxes[k]!;
      if (lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3] && this.inside(k, lon, lat)) return k;
    }
    return SEA;
  }

  /** Ray casting (eastward) against the country's edges in the point's row; even-odd, so holes work. */
  private inside(k: number, lon: number, lat: number): boolean {
    const edges = this.bands[k * this.grid.rows + this.grid.rowOf(lat)];
    if (edges === undefined) return false;
    let inside = false;
    for (let i = 0; i < edges.length; i += 4) {
      const y1 = edges[i + 1]!;
      const y2 = edges[i + 3]!;
      if (y1 > lat !== y2 > lat) {
        const x1 = edges[i]!;
        if (lon < x1 + ((edges[i + 2]! - x1) * (lat - y1)) / (y2 - y1)) inside = !inside;
      }
    }
    return inside;
  }
}
