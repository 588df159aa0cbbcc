import type { BBox } from '../types';
import { expandBBoxKm } from './bbox';
import { CellLists } from './cell-lists';
import type { Grid } from './grid';

/**
 * Per grid cell, the zones (hotspots, routes) a point in the cell may match: every zone whose
 * box, grown by its reach (route buffer + the largest uncertainty), overlaps the cell.
 */
export function zoneBuckets(grid: Grid, zones: readonly { box: BBox; reachKm: number }[]): CellLists {
  return CellLists.build(grid.cellCount, (add) => {
    zones.forEach((zone, z) => grid.forEachCellIn(expandBBoxKm(zone.box, zone.reachKm), (cell) => add(cell, z)));
  });
}
