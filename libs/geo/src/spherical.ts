/** Distances on the sphere, and the local flat projection the lookups use between candidates. */

/** IUGG mean Earth radius. */
export const EARTH_RADIUS_KM = 6371.0088;
export const DEG_TO_RAD = Math.PI / 180;
/** Length of one degree of latitude (and of longitude at the equator). */
export const KM_PER_DEGREE = EARTH_RADIUS_KM * DEG_TO_RAD;

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sinDLat = Math.sin(((lat2 - lat1) * DEG_TO_RAD) / 2);
  const sinDLon = Math.sin(((lon2 - lon1) * DEG_TO_RAD) / 2);
  const a = sinDLat * sinDLat + Math.cos(lat1 * DEG_TO_RAD) * Math.cos(lat2 * DEG_TO_RAD) * sinDLon * sinDLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** km per degree of longitude at a latitude. */
export function kmPerDegreeLon(lat: number): number {
  return KM_PER_DEGREE * Math.cos(lat * DEG_TO_RAD);
}

/**
 * Where the closest point of segment (x1,y1)-(x2,y2) lies, as a fraction t ∈ [0, 1] along it, in
 * an equirectangular projection centred on the query point (kx km per degree of longitude there).
 * The projection only ranks candidates and places the foot; distances are then measured with
 * haversine to that foot, so its scale error (< 1 % within a few hundred km) never reaches results.
 */
export function closestFraction(
  lon: number,
  lat: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  kx: number,
): number {
  const ax = (x1 - lon) * kx;
  const ay = (y1 - lat) * KM_PER_DEGREE;
  const dx = (x2 - x1) * kx;
  const dy = (y2 - y1) * KM_PER_DEGREE;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  const t = -(ax * dx + ay * dy) / len2;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Squared projected distance (km²) from the query point to the segment's point at fraction t. */
export function projectedDistance2(
  lon: number,
  lat: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  kx: number,
  t: number,
): number {
  const px = (x1 + (x2 - x1) * t - lon) * kx;
  const py = (y1 + (y2 - y1) * t - lat) * KM_PER_DEGREE;
  return px * px + py * py;
}

/** Great-circle length of a line given as [lon, lat] positions. */
export function lineLengthKm(line: readonly (readonly [number, number])[]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const [lon1, lat1] = line[i - 1]!;
    const [lon2, lat2] = line[i]!;
    total += haversineKm(lat1, lon1, lat2, lon2);
  }
  return total;
}

/** Degrees of longitude and latitude spanned by `km` at latitudes up to |maxAbsLat|. */
export function kmToDegrees(km: number, maxAbsLat: number): { dLon: number; dLat: number } {
  const cos = Math.cos(Math.min(89, Math.abs(maxAbsLat)) * DEG_TO_RAD);
  return { dLon: km / (KM_PER_DEGREE * cos), dLat: km / KM_PER_DEGREE };
}
