import type { Topology } from 'topojson-specification';
import type { BBox, BorderSection, Country, Route } from '../types';
import { buildBorderSections, DEFAULT_SECTION_OPTIONS, type SectionOptions } from './build-border-sections';
import { buildCountries } from './build-countries';
import { buildRoutes, type RouteDefinition } from './build-routes';
import { COUNTRY_TABLE, REFERENCE_EXTENT } from './country-table';
import type { Place } from './places';

export interface GeneratedLayers {
  readonly extent: BBox;
  readonly countries: Country[];
  readonly borderSections: BorderSection[];
  readonly routes: Route[];
}

/** The generated layers (everything but the hand-drawn hotspots) from their sources. Pure. */
export function buildGeneratedLayers(
  topology: Topology,
  places: readonly Place[],
  routes: readonly RouteDefinition[],
  options: SectionOptions = DEFAULT_SECTION_OPTIONS,
): GeneratedLayers {
  const countries = buildCountries(topology, COUNTRY_TABLE, REFERENCE_EXTENT);
  return {
    extent: REFERENCE_EXTENT,
    countries,
    borderSections: buildBorderSections(topology, countries, places, options),
    routes: buildRoutes(routes, places),
  };
}
