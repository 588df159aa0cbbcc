import { zoneCatalogue } from '../correlation-keys';
import { haversineKm } from '../spherical';
import type { BBox, GeoLayers, RouteMatch, Zone } from '../types';
import { MAX_UNCERTAINTY_KM } from '../uncertainty';
import { bboxOf, cosFloorOf, expandBBoxKm, nearBBox, unionBBox } from './bbox';
import type { CellLists } from './cell-lists';
import { CountryLocator } from './country-locator';
import { Grid } from './grid';
import { NearestLine, NearestLineIndex } from './nearest-line';
import { footOnPolyline, packPositions, pointInRings } from './polyline';
import { zoneBuckets } from './zone-buckets';

/** 0.25° (~28 km) cells: country outlines and border lines are ~10 km apart vertex to vertex at 1:50m. */
const OUTLINE_CELL_DEG = 0.25;
/** Hotspots and routes are few and large. */
const ZONE_CELL_DEG = 0.5;

interface PreparedHotspot {
  readonly box: BBox;
  readonly cosFloor: number;
  readonly rings: Float64Array[];
}

interface PreparedRoute {
  readonly box: BBox;
  readonly cosFloor: number;
  readonly reachKm: number;
  readonly bufferKm: number;
  readonly xy: Float64Array;
  /** Chainage (km) at each vertex. */
  readonly chainageAt: Float64Array;
}

/** The spatial indexes over one set of layers; built once, then read-only. */
export class GeoIndex {
  private readonly countries: CountryLocator;
  private readonly borders: NearestLineIndex;
  private readonly zoneGrid: Grid;
  private readonly hotspots: PreparedHotspot[];
  private readonly hotspotCells: CellLists;
  private readonly routes: PreparedRoute[];
  private readonly routeCells: CellLists;
  private readonly countryByCode: ReadonlyMap<string, number>;
  private readonly zones: ReadonlyMap<string, Zone>;

  constructor(layers: GeoLayers) {
    const outlineGrid = new Grid(layers.extent, OUTLINE_CELL_DEG);
    this.countries = new CountryLocator(outlineGrid, layers.countries);
    this.borders = new NearestLineIndex(outlineGrid, layers.borderSections.map((s) => s.line));
    this.countryByCode = new Map(layers.countries.map((c, k) => [c.code, k]));
    this.zones = zoneCatalogue(layers);

    this.hotspots = layers.hotspots.map((h) => {
      const box = bboxOf(h.polygon.flat());
      return { box, cosFloor: cosFloorOf(box, MAX_UNCERTAINTY_KM), rings: h.polygon.map(packPositions) };
    });
    this.routes = layers.routes.map((r) => {
      const chainageAt = new Float64Array(r.line.length);
      for (let i = 1; i < r.line.length; i++) {
        const [lon1, lat1] = r.line[i - 1]!;
        const [lon2, lat2] = r.line[i]!;
        chainageAt[i] = chainageAt[i - 1]! + haversineKm(lat1, lon1, lat2, lon2);
      }
      const reachKm = r.bufferKm + MAX_UNCERTAINTY_KM;
      const box = bboxOf(r.line);
      return { box, cosFloor: cosFloorOf(box, reachKm), reachKm, bufferKm: r.bufferKm, xy: packPositions(r.line), chainageAt };
    });
    const hotspotReach = this.hotspots.map((h) => ({ box: h.box, reachKm: MAX_UNCERTAINTY_KM }));
    const zoneExtent = unionBBox([layers.extent, ...[...hotspotReach, ...this.routes].map((z) => expandBBoxKm(z.box, z.reachKm))]);
    this.zoneGrid = new Grid(zoneExtent, ZONE_CELL_DEG);
    this.hotspotCells = zoneBuckets(this.zoneGrid, hotspotReach);
    this.routeCells = zoneBuckets(this.zoneGrid, this.routes);
  }

  /** Index into layers.countries of the country containing the point, or -1. */
  countryAt(lon: number, lat: number): number {
    return this.countries.countryAt(lon, lat);
  }

  zone(key: string): Zone | undefined {
    return this.zones.get(key);
  }

  countryIndex(code: string): number | undefined {
    return this.countryByCode.get(code);
  }

  /** Distance to country k's outline if within maxKm, else Infinity (for points outside k). */
  distanceToCountryKm(k: number, lon: number, lat: number, maxKm: number): number {
    return this.countries.distanceToOutlineKm(k, lon, lat, maxKm);
  }

  /** Nearest border section (index into layers.borderSections), or null outside the extent. */
  nearestBorder(lon: number, lat: number): NearestLine | null {
    return this.borders.nearest(lon, lat);
  }

  /** Indexes of hotspots the point's uncertainty disk reaches, in layer order. */
  hotspotsNear(lon: number, lat: number, uncertaintyKm: number): number[] {
    const matches: number[] = [];
    const cell = this.zoneGrid.cellAt(lon, lat);
    if (cell < 0) return matches;
    const { offsets, items } = this.hotspotCells;
    for (let i = offsets[cell]!, end = offsets[cell + 1]!; i < end; i++) {
      const h = this.hotspots[items[i]!]!;
      if (!nearBBox(h.box, h.cosFloor, lon, lat, uncertaintyKm)) continue;
      if (pointInRings(h.rings, lon, lat) || h.rings.some((ring) => footOnPolyline(ring, lon, lat).distanceKm <= uncertaintyKm)) {
        matches.push(items[i]!);
      }
    }
    return matches;
  }

  /** Routes whose buffer the point's uncertainty disk reaches, with distance and chainage (unrounded). */
  routesNear(lon: number, lat: number, uncertaintyKm: number): { route: number; match: Omit<RouteMatch, 'routeId'> }[] {
    const matches: { route: number; match: Omit<RouteMatch, 'routeId'> }[] = [];
    const cell = this.zoneGrid.cellAt(lon, lat);
    if (cell < 0) return matches;
    const { offsets, items } = this.routeCells;
    for (let i = offsets[cell]!, end = offsets[cell + 1]!; i < end; i++) {
      const r = this.routes[items[i]!]!;
      const reach = r.bufferKm + uncertaintyKm;
      if (!nearBBox(r.box, r.cosFloor, lon, lat, reach)) continue;
      const foot = footOnPolyline(r.xy, lon, lat);
      if (foot.distanceKm > reach) continue;
      const from = r.chainageAt[foot.segment]!;
      const chainageKm = from + (r.chainageAt[foot.segment + 1]! - from) * foot.t;
      matches.push({ route: items[i]!, match: { distanceKm: foot.distanceKm, chainageKm } });
    }
    return matches;
  }
}
