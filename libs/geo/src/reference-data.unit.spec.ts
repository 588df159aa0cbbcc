import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlaces, type Place } from './build/places';
import { enrichLocation } from './enrich-location';
import { loadGeoReference, MANIFEST_FILE, SHIPPED_REFERENCE_DIR } from './load-geo-reference';
import type { GeoReference } from './types';

// The shipped layers are checked against each other and against the hand-compiled gazetteer:
// two independent sources (Natural Earth polygons, town coordinates) that must agree.

let ref: GeoReference;
let places: Place[];
beforeAll(() => {
  ref = loadGeoReference();
  places = parsePlaces(JSON.parse(readFileSync(join(SHIPPED_REFERENCE_DIR, 'sources', 'places.json'), 'utf8')));
});

describe('shipped reference layers', () => {
  it('carry the manifest version when the files are unmodified', () => {
    const manifest = JSON.parse(readFileSync(join(SHIPPED_REFERENCE_DIR, MANIFEST_FILE), 'utf8'));
    expect(ref.version).toBe(manifest.version);
    expect(ref.version).toMatch(/^\d{4}\.\d{2}-ne50m-\d+$/);
  });

  it('hold the 17 region countries, and neighbours that are not in the region', () => {
    const region = ref.countries.filter((c) => c.inRegion).map((c) => c.code).sort();
    expect(region).toEqual(['BF', 'BJ', 'CI', 'DZ', 'GH', 'GM', 'GN', 'GW', 'LR', 'ML', 'MR', 'NE', 'NG', 'SL', 'SN', 'TD', 'TG']);
    for (const code of ['EH', 'MA', 'LY', 'CM', 'SD', 'CF', 'CV']) {
      expect(ref.countries.find((c) => c.code === code)?.inRegion, code).toBe(false);
    }
  });

  it('put every gazetteer town in the country it is listed in (within 2 km)', () => {
    const misplaced = places.filter((p) => enrichLocation(ref, { lat: p.lat, lon: p.lon, geoPrecision: 1 }, p.country).reportedCountryMismatch);
    expect(misplaced.map((p) => p.name)).toEqual([]);
  });

  it('draw every hotspot over each of the countries it names', () => {
    for (const hotspot of ref.hotspots) {
      expect(hotspot.id).toMatch(/^HS-[A-Z0-9-]+$/);
      const [west, south, east, north] = hotspot.polygon[0]!.reduce(
        ([w, s, e, n], [lon, lat]) => [Math.min(w, lon), Math.min(s, lat), Math.max(e, lon), Math.max(n, lat)],
        [180, 90, -180, -90],
      );
      const covered = new Set<string>();
      for (let lon = west; lon <= east; lon += 0.05) {
        for (let lat = south; lat <= north; lat += 0.05) {
          const geo = enrichLocation(ref, { lat, lon, geoPrecision: 1 }, 'ML');
          if (geo.hotspotIds.includes(hotspot.id) && geo.country !== null) covered.add(geo.country);
        }
      }
      for (const code of hotspot.countries) expect(covered.has(code), `${hotspot.id} over ${code}`).toBe(true);
    }
  });

  it('draw every route through its towns, in the countries it names', () => {
    for (const route of ref.routes) {
      expect(route.id).toMatch(/^RT-[A-Z0-9-]+$/);
      expect(route.via.length).toBe(route.line.length);
      route.line.forEach(([lon, lat], i) => {
        const town = places.find((p) => p.name === route.via[i]);
        expect(town, `${route.id} ${route.via[i]}`).toBeDefined();
        expect([town!.lon, town!.lat]).toEqual([lon, lat]);
        expect(route.countries).toContain(town!.country);
      });
    }
  });

  it('give every border section, hotspot, route and country a zone', () => {
    for (const s of ref.borderSections) expect(ref.index.zone(`SECTION:${s.id}`)?.countries).toEqual(s.countries);
    for (const h of ref.hotspots) expect(ref.index.zone(`HOTSPOT:${h.id}`)?.name).toBe(h.name.en);
    for (const r of ref.routes) expect(ref.index.zone(`ROUTE:${r.id}`)?.kind).toBe('ROUTE');
  });
});
