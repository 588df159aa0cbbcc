import type { BBox } from '../types';

/** A uniform lon/lat grid over an extent; cells are numbered row-major from the south-west. */
export class Grid {
  readonly cols: number;
  readonly rows: number;

  constructor(
    readonly extent: BBox,
    readonly cellDeg: number,
  ) {
    this.cols = Math.max(1, Math.ceil((extent[2] - extent[0]) / cellDeg));
    this.rows = Math.max(1, Math.ceil((extent[3] - extent[1]) / cellDeg));
  }

  get cellCount(): number {
    return this.cols * this.rows;
  }

  contains(lon: number, lat: number): boolean {
    const [west, south, east, north] = this.extent;
    return lon >= west && lon <= east && lat >= south && lat <= north;
  }

  /** The cell holding the point, or -1 outside the extent. */
  cellAt(lon: number, lat: number): number {
    if (!this.contains(lon, lat)) return -1;
    return this.rowOf(lat) * this.cols + this.colOf(lon);
  }

  /** Column of a longitude, clamped to the grid. */
  colOf(lon: number): number {
    return clamp(Math.floor((lon - this.extent[0]) / this.cellDeg), 0, this.cols - 1);
  }

  /** Row of a latitude, clamped to the grid. */
  rowOf(lat: number): number {
    return clamp(Math.floor((lat - this.extent[1]) / this.cellDeg), 0, this.rows - 1);
  }

  cellBounds(cell: number): BBox {
    const west = this.extent[0] + (cell % this.cols) * this.cellDeg;
    const south = this.extent[1] + Math.floor(cell / this.cols) * this.cellDeg;
    return [west, south, west + this.cellDeg, south + this.cellDeg];
  }

  /** Calls `visit` for every cell overlapping the box (clamped to the grid). */
  forEachCellIn(box: BBox, visit: (cell: number) => void): void {
    if (box[2] < this.extent[0] || box[0] > this.extent[2] || box[3] < this.extent[1] || box[1] > this.extent[3]) return;
    const c0 = this.colOf(box[0]);
    const c1 = this.colOf(box[2]);
    const r1 = this.rowOf(box[3]);
    for (let r = this.rowOf(box[1]); r <= r1; r++) {
      for (let c = c0; c <= c1; c++) visit(r * this.cols + c);
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
