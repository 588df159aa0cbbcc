import { VigieError } from '@vigie/contracts';
import { ROUTE_KINDS, type LocalizedName, type Route, type RouteKind } from '../types';
import type { Place } from './places';

/** A route as written in reference/sources/routes.json: towns in order of travel. */
export interface RouteDefinition {
  readonly id: string;
  readonly name: LocalizedName;
  readonly kind: RouteKind;
  readonly bufferKm: number;
  readonly via: readonly string[];
}

/** Routes as lines through the gazetteer's town coordinates. */
export function buildRoutes(definitions: readonly RouteDefinition[], places: readonly Place[]): Route[] {
  const byName = new Map(places.map((p) => [p.name, p]));
  return definitions.map((route) => {
    if (!ROUTE_KINDS.includes(route.kind)) throw invalid(`route ${route.id}: unknown kind ${route.kind}`);
    if (!(route.bufferKm > 0)) throw invalid(`route ${route.id}: bufferKm must be > 0`);
    if (route.via.length < 2) throw invalid(`route ${route.id}: needs at least two towns`);
    const towns = route.via.map((name) => byName.get(name) ?? fail(`route ${route.id}: unknown town "${name}"`));
    return {
      id: route.id,
      name: route.name,
      kind: route.kind,
      bufferKm: route.bufferKm,
      countries: [...new Set(towns.map((t) => t.country))],
      via: route.via,
      line: towns.map((t) => [t.lon, t.lat] as const),
    };
  });
}

function invalid(message: string): VigieError {
  return new VigieError('GEO_SOURCE_INVALID', message, false);
}

function fail(message: string): never {
  throw invalid(message);
}
