import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VigieError, errorMessage } from '@vigie/contracts';
import { LAYER_FILES, type LayerName, parseBorderSections, parseCountries, parseHotspots, parseRoutes } from './layers-geojson';
import { createGeoLayers, indexed } from './reference';
import type { GeoLayers, GeoReference } from './types';

/** The layers shipped with the repository (libs/geo/reference). */
export const SHIPPED_REFERENCE_DIR = resolve(__dirname, '..', 'reference');
export const MANIFEST_FILE = 'manifest.json';

/** manifest.json: the release name of a set of layers and the digest of each file it was cut from. */
export interface ReferenceManifest {
  readonly version: string;
  readonly layers: Readonly<Record<LayerName, { readonly file: string; readonly sha256: string }>>;
  readonly [other: string]: unknown;
}

const LAYERS = Object.keys(LAYER_FILES) as LayerName[];

/**
 * Loads the shipped layers, or an operator's replacement from `dir`, and builds the indexes once
 * (call at startup, share the result): what the enricher needs to locate incidents.
 */
export function loadGeoReference(options: { dir?: string } = {}): GeoReference {
  return indexed(loadGeoLayers(options));
}

/**
 * Loads and validates the layers without the spatial indexes: enough for services that only name
 * zones (see zoneCatalogue). The version is the manifest's when every file matches its recorded
 * digest; otherwise `<manifest version or "local">+<digest of the files>`, so enriched events never
 * claim a release they were not enriched with.
 */
export function loadGeoLayers(options: { dir?: string } = {}): GeoLayers {
  const dir = options.dir ?? SHIPPED_REFERENCE_DIR;
  const manifest = readManifest(dir);
  const files = Object.fromEntries(
    LAYERS.map((layer) => {
      const name = manifest?.layers[layer]?.file ?? LAYER_FILES[layer];
      const bytes = readLayer(dir, name);
      return [layer, { name, bytes, sha256: sha256(bytes) }];
    }),
  ) as Record<LayerName, { name: string; bytes: Buffer; sha256: string }>;
  const json = (layer: LayerName): unknown => parseJson(files[layer].bytes, files[layer].name);
  const { extent, countries } = parseCountries(json('countries'), files.countries.name);
  return createGeoLayers({
    version: referenceVersion(manifest, Object.fromEntries(LAYERS.map((l) => [l, files[l].sha256])) as Record<LayerName, string>),
    extent,
    countries,
    borderSections: parseBorderSections(json('borderSections'), files.borderSections.name),
    hotspots: parseHotspots(json('hotspots'), files.hotspots.name),
    routes: parseRoutes(json('routes'), files.routes.name),
  });
}

export function referenceVersion(manifest: ReferenceManifest | undefined, digests: Readonly<Record<LayerName, string>>): string {
  if (manifest !== undefined && LAYERS.every((layer) => manifest.layers[layer]?.sha256 === digests[layer])) return manifest.version;
  const combined = sha256(Buffer.from(LAYERS.map((layer) => digests[layer]).join('\n'))).slice(0, 12);
  return `${manifest?.version ?? 'local'}+${combined}`;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readManifest(dir: string): ReferenceManifest | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, MANIFEST_FILE));
  } catch {
    return undefined;
  }
  const manifest = parseJson(bytes, MANIFEST_FILE) as Partial<ReferenceManifest> | null;
  if (typeof manifest?.version !== 'string' || typeof manifest.layers !== 'object' || manifest.layers === null) {
    throw new VigieError('GEO_REFERENCE_INVALID', `${MANIFEST_FILE}: needs "version" and "layers"`, false, { dir });
  }
  return manifest as ReferenceManifest;
}

function readLayer(dir: string, name: string): Buffer {
  try {
    return readFileSync(join(dir, name));
  } catch (error) {
    throw new VigieError('GEO_REFERENCE_MISSING', `cannot read geo layer ${join(dir, name)}: ${errorMessage(error)}`, false, { dir, file: name });
  }
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new VigieError('GEO_REFERENCE_INVALID', `${file}: not valid JSON: ${errorMessage(error)}`, false, { file });
  }
}
