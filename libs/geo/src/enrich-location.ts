import { VigieError } from '@vigie/contracts';
import { h3CellOf } from './h3-cell';
import type { GeoEnrichment, GeoFlag, GeoPoint, GeoReference, RouteMatch } from './types';
import { uncertaintyKm } from './uncertainty';

/**
 * A point is given a border section when the section is within this distance (plus the point's
 * uncertainty): the depth of the border strip analysts watch, about one section length.
 */
export const BORDER_ZONE_KM = 50;

/**
 * At sea a report is consistent with its country up to the 200-nautical-mile exclusive economic
 * zone, where coast guards intercept boats.
 */
export const MARITIME_TOLERANCE_KM = 370.4;

/** Distances are published to 0.1 km: far finer than the 1:50m layers, stable across platforms. */
const round1 = (km: number): number => Math.round(km * 10) / 10;

/**
 * Geography of one report: country, border, hotspots, routes, H3 cell. Never throws for points
 * at sea or outside the region (they are flagged); throws a non-retriable VigieError for
 * coordinates or precisions that are not valid at all.
 */
export function enrichLocation(ref: GeoReference, point: GeoPoint, reportedCountry: string): GeoEnrichment {
  const { lat, lon, geoPrecision } = point;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
    throw new VigieError('GEO_INVALID_POINT', `invalid coordinates lat=${lat} lon=${lon}`, false, { lat, lon });
  }
  const uncertainty = uncertaintyKm(geoPrecision);
  const { index } = ref;
  const flags: GeoFlag[] = [];

  const k = index.countryAt(lon, lat);
  const country = k >= 0 ? ref.countries[k]! : undefined;
  const inExtent = lon >= ref.extent[0] && lon <= ref.extent[2] && lat >= ref.extent[1] && lat <= ref.extent[3];
  if (!inExtent || (country !== undefined && !country.inRegion)) flags.push('OUTSIDE_REGION');
  else if (country === undefined) flags.push('AT_SEA');

  const reported = reportedCountry.toUpperCase();
  const mismatch = country?.code !== reported && !nearCountry(ref, reported, lon, lat, country === undefined && inExtent ? Math.max(uncertainty, MARITIME_TOLERANCE_KM) : uncertainty);
  if (mismatch) flags.push('COUNTRY_MISMATCH');
  if (geoPrecision >= 2) flags.push('COARSE_LOCATION');

  // The nearest border is always measured; it becomes the event's section (and names the
  // neighbour across it) only within the border strip, widened by the point's uncertainty.
  const border = index.nearestBorder(lon, lat);
  const section = border !== null && border.distanceKm <= BORDER_ZONE_KM + uncertainty ? ref.borderSections[border.line]! : undefined;
  const own = country?.code ?? reported;
  const routes: RouteMatch[] = index
    .routesNear(lon, lat, uncertainty)
    .map(({ route, match }) => ({ routeId: ref.routes[route]!.id, distanceKm: round1(match.distanceKm), chainageKm: round1(match.chainageKm) }))
    .sort((a, b) => a.distanceKm - b.distanceKm || a.routeId.localeCompare(b.routeId));

  return {
    country: country?.code ?? null,
    reportedCountryMismatch: mismatch,
    borderDistanceKm: border === null ? null : round1(border.distanceKm),
    borderSectionId: section?.id ?? null,
    neighbourCountry: section?.countries.includes(own) ? section.countries.find((c) => c !== own)! : null,
    hotspotIds: index.hotspotsNear(lon, lat, uncertainty).map((h) => ref.hotspots[h]!.id).sort(),
    routes,
    h3Cell: h3CellOf(lat, lon, geoPrecision),
    uncertaintyKm: uncertainty,
    flags,
    referenceVersion: ref.version,
  };
}

/** Whether the point lies within `toleranceKm` of the country's outline (unknown countries: no). */
function nearCountry(ref: GeoReference, code: string, lon: number, lat: number, toleranceKm: number): boolean {
  const k = ref.index.countryIndex(code);
  return k !== undefined && ref.index.distanceToCountryKm(k, lon, lat, toleranceKm) <= toleranceKm;
}
