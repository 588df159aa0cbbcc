import { latLngToCell } from 'h3-js';
import type { GeoPrecision } from './types';

/**
 * H3 resolution per geoPrecision: the one whose average hexagon edge is closest to the
 * uncertainty radius (2 km → res 7, edge 1.4 km; 25 km → res 4, 26 km; 100 km → res 3, 69 km),
 * so a cell never claims more precision than the report has. Consumers needing one resolution
 * take `cellToParent(cell, 3)`.
 */
export const H3_RESOLUTION: Readonly<Record<GeoPrecision, number>> = { 1: 7, 2: 4, 3: 3 };

export function h3CellOf(lat: number, lon: number, geoPrecision: GeoPrecision): string {
  return latLngToCell(lat, lon, H3_RESOLUTION[geoPrecision]);
}
