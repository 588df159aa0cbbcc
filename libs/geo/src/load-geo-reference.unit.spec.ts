import { describe, expect, it } from 'vitest';
import { parseBorderSections, parseCountries, parseHotspots, parseRoutes } from './layers-geojson';
import { zoneCatalogue } from './correlation-keys';
import { loadGeoLayers, loadGeoReference, referenceVersion, type ReferenceManifest } from './load-geo-reference';

const digests = { countries: 'c1', borderSections: 'b1', hotspots: 'h1', routes: 'r1' };
const manifest: ReferenceManifest = {
  version: '2026.11-ne50m-1',
  layers: {
    countries: { file: 'countries.geojson', sha256: 'c1' },
    borderSections: { file: 'border-sections.geojson', sha256: 'b1' },
    hotspots: { file: 'hotspots.geojson', sha256: 'h1' },
    routes: { file: 'routes.geojson', sha256: 'r1' },
  },
};

describe('referenceVersion', () => {
  it('is the manifest version when every file matches its digest', () => {
    expect(referenceVersion(manifest, digests)).toBe('2026.11-ne50m-1');
  });

  it('marks layers edited after the release with a digest of their content', () => {
    const edited = referenceVersion(manifest, { ...digests, hotspots: 'h2' });
    expect(edited).toMatch(/^2026\.11-ne50m-1\+[0-9a-f]{12}$/);
    expect(referenceVersion(manifest, { ...digests, hotspots: 'h3' })).not.toBe(edited);
    expect(referenceVersion(manifest, { ...digests, hotspots: 'h2' })).toBe(edited);
  });

  it('names layers without a manifest "local+<digest>"', () => {
    expect(referenceVersion(undefined, digests)).toMatch(/^local\+[0-9a-f]{12}$/);
  });
});

describe('loadGeoReference', () => {
  it('fails with a non-retriable error naming the missing directory', () => {
    expect(() => loadGeoReference({ dir: '/nonexistent/vigie-geo' })).toThrowError(
      expect.objectContaining({ code: 'GEO_REFERENCE_MISSING', retriable: false }),
    );
    expect(() => loadGeoLayers({ dir: '/nonexistent/vigie-geo' })).toThrowError(expect.objectContaining({ code: 'GEO_REFERENCE_MISSING' }));
  });

  it('loads the same layers, version and zones without the spatial indexes as with them', () => {
    const { index, ...withIndex } = loadGeoReference();
    const layers = loadGeoLayers();
    expect(layers).not.toHaveProperty('index');
    expect(layers).toEqual(withIndex);
    expect(zoneCatalogue(layers)).toEqual(new Map([...zoneCatalogue(withIndex)].map(([key]) => [key, index.zone(key)])));
  });
});

describe('parsing operator layers', () => {
  const feature = (properties: object, geometry: object) => ({ type: 'Feature', properties, geometry });
  const collection = (...features: object[]) => ({ type: 'FeatureCollection', features });
  const ring = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 0],
  ];

  it('reads hotspots with a plain-string name', () => {
    const [hotspot] = parseHotspots(collection(feature({ id: 'HS-X', name: 'X', countries: ['ML'] }, { type: 'Polygon', coordinates: [ring] })), 'h');
    expect(hotspot).toEqual({ id: 'HS-X', name: { en: 'X', fr: 'X' }, countries: ['ML'], polygon: [ring] });
  });

  it('reads countries from Polygon or MultiPolygon with the collection bbox as extent', () => {
    const json = { ...collection(feature({ code: 'ML', name: { en: 'Mali', fr: 'Mali' }, inRegion: true }, { type: 'Polygon', coordinates: [ring] })), bbox: [-1, -1, 2, 2] };
    const { extent, countries } = parseCountries(json, 'c');
    expect(extent).toEqual([-1, -1, 2, 2]);
    expect(countries[0]!.polygons).toEqual([[ring]]);
  });

  it('names the file and feature of what is wrong', () => {
    const open = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    expect(() => parseHotspots(collection(feature({ id: 'HS-X', name: 'X', countries: [] }, { type: 'Polygon', coordinates: [open] })), 'hot.geojson')).toThrowError(
      /hot\.geojson: feature #0 \(HS-X\): rings must be closed/,
    );
    expect(() => parseCountries(collection(feature({ code: 'mali', name: 'Mali', inRegion: true }, { type: 'Polygon', coordinates: [ring] })), 'c')).toThrowError(/alpha-2/);
    expect(() => parseBorderSections(collection(feature({ id: 'A-B', name: 'x', countries: ['ML'], lengthKm: 1 }, { type: 'LineString', coordinates: ring })), 'b')).toThrowError(
      /exactly two countries/,
    );
    expect(() =>
      parseRoutes(collection(feature({ id: 'RT-X', name: 'x', kind: 'TOURISM', bufferKm: 5, countries: [] }, { type: 'LineString', coordinates: ring })), 'r'),
    ).toThrowError(/kind must be one of/);
    expect(() => parseRoutes({ type: 'Topology' }, 'r.geojson')).toThrowError(expect.objectContaining({ code: 'GEO_REFERENCE_INVALID' }));
    expect(() =>
      parseHotspots(collection(feature({ id: 'HS-X', name: 'X', countries: [] }, { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] })), 'h'),
    ).toThrowError(/bad position/);
  });
});
