/**
 * Regenerates the geo reference layers in libs/geo/reference from their sources:
 *   countries + border sections ← Natural Earth 1:50m (world-atlas countries-50m.json)
 *   routes                     ← reference/sources/routes.json through reference/sources/places.json
 * and writes manifest.json (release version + sha256 of every layer, hotspots included).
 * Usage: node -r ./tools/register.js tools/geo-build-reference.ts [--version 2026.11-ne50m-1] [--out dir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from 'topojson-specification';
import {
  borderSectionsToFeatures,
  buildGeneratedLayers,
  countriesToFeatures,
  createGeoReference,
  enrichLocation,
  formatFeatureCollection,
  LAYER_FILES,
  MANIFEST_FILE,
  parseHotspots,
  parsePlaces,
  routesToFeatures,
  SHIPPED_REFERENCE_DIR,
  sha256,
  type LayerName,
  type RouteDefinition,
} from '@vigie/geo';

const DEFAULT_VERSION = '2026.11-ne50m-1';
const ATLAS = 'world-atlas/countries-50m.json';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function main(): void {
  const version = argument('version') ?? DEFAULT_VERSION;
  const out = argument('out') ?? SHIPPED_REFERENCE_DIR;
  const sources = join(SHIPPED_REFERENCE_DIR, 'sources');
  const started = performance.now();
  const topology = readJson(require.resolve(ATLAS)) as Topology;
  const places = parsePlaces(readJson(join(sources, 'places.json')));
  const layers = buildGeneratedLayers(topology, places, readJson(join(sources, 'routes.json')) as RouteDefinition[]);
  const buildMs = performance.now() - started;

  const provenance = 'Natural Earth 1:50m Admin 0 countries via world-atlas@2.0.2 (public domain)';
  const contents: Partial<Record<LayerName, string>> = {
    countries: formatFeatureCollection(
      { name: 'vigie-countries', description: `${provenance}; clipped to bbox`, bbox: layers.extent },
      countriesToFeatures(layers.countries),
    ),
    borderSections: formatFeatureCollection(
      { name: 'vigie-border-sections', description: `Land borders from the arcs two countries share in ${provenance}; ~50 km sections` },
      borderSectionsToFeatures(layers.borderSections),
    ),
    routes: formatFeatureCollection(
      { name: 'vigie-routes', description: 'ILLUSTRATIVE corridors through approximate town coordinates (sources/routes.json, sources/places.json)' },
      routesToFeatures(layers.routes),
    ),
  };
  for (const [layer, text] of Object.entries(contents)) writeFileSync(join(out, LAYER_FILES[layer as LayerName]), text);

  const digests = Object.fromEntries(
    (Object.keys(LAYER_FILES) as LayerName[]).map((layer) => [
      layer,
      { file: LAYER_FILES[layer], sha256: sha256(readFileSync(join(out, LAYER_FILES[layer]))) },
    ]),
  );
  const manifest = {
    version,
    generatedBy: 'tools/geo-build-reference.ts',
    sources: {
      countries: provenance,
      borderSections: `derived from the countries source: shared arcs, cut into ~50 km sections from each border's smaller (lon, lat) end`,
      hotspots: 'hand-drawn, approximate, illustrative (hotspots.geojson is edited by hand)',
      routes: 'illustrative corridors through approximate town coordinates (sources/routes.json, sources/places.json)',
    },
    layers: digests,
  };
  writeFileSync(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);

  // Cross-check the hand-compiled gazetteer against the polygons: a town far inside the wrong
  // country means a wrong coordinate.
  const ref = createGeoReference({
    version,
    ...layers,
    hotspots: parseHotspots(readJson(join(out, LAYER_FILES.hotspots)), LAYER_FILES.hotspots),
  });
  for (const place of places) {
    const geo = enrichLocation(ref, { lat: place.lat, lon: place.lon, geoPrecision: 1 }, place.country);
    if (geo.reportedCountryMismatch) console.warn(`place ${place.name}: listed in ${place.country}, lies in ${geo.country ?? 'the sea'}`);
  }
  const km = layers.borderSections.reduce((sum, s) => sum + s.lengthKm, 0);
  console.log(
    `${version}: ${layers.countries.length} countries, ${layers.borderSections.length} border sections (${Math.round(km)} km), ` +
      `${ref.hotspots.length} hotspots, ${layers.routes.length} routes; built in ${buildMs.toFixed(0)} ms → ${out}`,
  );
}

main();
