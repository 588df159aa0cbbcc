import { VigieError } from '@vigie/contracts';
import type { GeoPrecision } from './types';

/**
 * Radius (km) within which a reported point of each precision lies, as the lookups assume:
 * 1 = exact place (GPS fix, named village) → 2 km, also absorbing the 1:50m boundaries' own error;
 * 2 = near a place / district (admin2)     → 25 km, a typical Sahelian département or commune;
 * 3 = region / province (admin1)           → 100 km, a typical region's half-width.
 * A coarse point is matched to every zone its uncertainty disk reaches.
 */
const UNCERTAINTY_KM: Readonly<Record<GeoPrecision, number>> = { 1: 2, 2: 25, 3: 100 };

export const MAX_UNCERTAINTY_KM = Math.max(...Object.values(UNCERTAINTY_KM));

export function uncertaintyKm(geoPrecision: GeoPrecision): number {
  const km = UNCERTAINTY_KM[geoPrecision];
  if (km === undefined) {
    throw new VigieError('GEO_INVALID_PRECISION', `geoPrecision must be 1, 2 or 3, got ${String(geoPrecision)}`, false, {
      geoPrecision,
    });
  }
  return km;
}
