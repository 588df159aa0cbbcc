import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from 'topojson-specification';
import { beforeAll, describe, expect, it } from 'vitest';
import { borderSectionsToFeatures, formatFeatureCollection, LAYER_FILES } from '../layers-geojson';
import { loadGeoReference, SHIPPED_REFERENCE_DIR } from '../load-geo-reference';
import type { BorderSection, GeoReference } from '../types';
import { buildBorderSections, sectionsOfBorder } from './build-border-sections';
import { buildCountries } from './build-countries';
import { parsePlaces, type Place } from './places';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

let topology: Topology;
let places: Place[];
let sections: BorderSection[];
let ref: GeoReference;
beforeAll(() => {
  topology = readJson(require.resolve('world-atlas/countries-50m.json')) as Topology;
  places = parsePlaces(readJson(join(SHIPPED_REFERENCE_DIR, 'sources', 'places.json')));
  sections = buildBorderSections(topology, buildCountries(topology), places);
  ref = loadGeoReference();
});

const ofPair = (pair: string) => sections.filter((s) => s.countries.join('-') === pair);
const pairLengthKm = (pair: string) => ofPair(pair).reduce((sum, s) => sum + s.lengthKm, 0);

describe('border sections from Natural Earth', () => {
  it('are rebuilt identically from the same source', () => {
    const again = buildBorderSections(topology, buildCountries(topology), places);
    expect(again).toEqual(sections);
  });

  it('are what the shipped layer holds (regenerate with tools/geo-build-reference.ts)', () => {
    const shipped = readFileSync(join(SHIPPED_REFERENCE_DIR, LAYER_FILES.borderSections), 'utf8');
    const features = JSON.parse(shipped).features as unknown[];
    expect(features).toEqual(JSON.parse(formatFeatureCollection({}, borderSectionsToFeatures(sections))).features);
  });

  it('have ids <A>-<B>-<NNN> with the pair in alphabetical order, numbered from 001 without gaps', () => {
    const byPair = new Map<string, string[]>();
    for (const s of sections) {
      expect(s.id).toMatch(/^[A-Z]{2}-[A-Z]{2}-\d{3}$/);
      const [a, b] = s.countries;
      expect(a < b).toBe(true);
      expect(s.id.startsWith(`${a}-${b}-`)).toBe(true);
      byPair.set(`${a}-${b}`, [...(byPair.get(`${a}-${b}`) ?? []), s.id]);
    }
    for (const [pair, ids] of byPair) {
      expect(ids).toEqual(ids.map((_, i) => `${pair}-${String(i + 1).padStart(3, '0')}`));
    }
  });

  it('cover the land borders between the region countries and with their neighbours', () => {
    // Land borders known from any atlas.
    for (const pair of ['ML-SN', 'ML-MR', 'BF-ML', 'ML-NE', 'DZ-ML', 'GM-SN', 'BJ-NG', 'NE-NG', 'CM-NG', 'LY-NE', 'LY-TD', 'EH-MR']) {
      expect(ofPair(pair).length, pair).toBeGreaterThan(0);
    }
    // Countries that share no land border.
    for (const pair of ['ML-NG', 'GH-NG', 'SN-SL', 'CM-NE']) expect(ofPair(pair), pair).toEqual([]);
  });

  it('measure straight desert borders close to their published lengths (CIA World Factbook)', () => {
    // Rivers lose length at 1:50m; straight Saharan borders do not.
    const published: Record<string, number> = { 'DZ-NE': 951, 'LY-NE': 342, 'LY-TD': 1050, 'ML-NE': 838 };
    for (const [pair, km] of Object.entries(published)) {
      expect(Math.abs(pairLengthKm(pair) - km) / km, pair).toBeLessThan(0.05);
    }
  });

  it('are a few tens of km long', () => {
    const lengths = sections.map((s) => s.lengthKm).sort((a, b) => a - b);
    expect(lengths[Math.floor(lengths.length / 2)]).toBeGreaterThan(40);
    expect(lengths[Math.floor(lengths.length / 2)]).toBeLessThan(60);
    expect(lengths[lengths.length - 1]).toBeLessThanOrEqual(75);
  });

  it('lie on the outlines of both their countries', () => {
    for (const s of sections) {
      const [a, b] = s.countries.map((code) => ref.index.countryIndex(code)!);
      for (const [lon, lat] of s.line) {
        expect(ref.index.distanceToCountryKm(a!, lon, lat, 1), s.id).toBeLessThan(0.01);
        expect(ref.index.distanceToCountryKm(b!, lon, lat, 1), s.id).toBeLessThan(0.01);
      }
    }
  });

  it('are named after a nearby town when there is one', () => {
    const names = ofPair('ML-SN').map((s) => s.name.en);
    expect(names.some((n) => /^Mali–Senegal section \d+ \(near (Kidira|Diboli)\)$/.test(n))).toBe(true);
    expect(ofPair('ML-SN')[0]!.name.fr).toMatch(/^Mali–Sénégal tronçon 1 \((près de|vers) /);
  });
});

describe('sectionsOfBorder', () => {
  const pair = [
    { code: 'SN', name: { en: 'Senegal', fr: 'Sénégal' } },
    { code: 'ML', name: { en: 'Mali', fr: 'Mali' } },
  ] as const;
  // Two pieces of a border: a straight line of ~1.11 km × 100 = 111 km and a short one.
  const long = Array.from({ length: 101 }, (_, i) => [-11, 12 + i / 100]);
  const short = [
    [-12, 15],
    [-12, 15.2],
  ];

  it('does not depend on the order or direction of the input lines', () => {
    const reference = sectionsOfBorder(pair, [long, short], []);
    expect(sectionsOfBorder([pair[1], pair[0]], [[...short].reverse(), [...long].reverse()], [])).toEqual(reference);
  });

  it('starts from the smaller (lon, lat) end and cuts equal sections', () => {
    const sections = sectionsOfBorder(pair, [long, short], []);
    // The short line starts at lon −12, west of the long one, so it comes first.
    expect(sections.map((s) => s.id)).toEqual(['ML-SN-001', 'ML-SN-002', 'ML-SN-003']);
    expect(sections[0]!.line).toEqual([
      [-12, 15],
      [-12, 15.2],
    ]);
    // 1° of latitude is 111.2 km: two sections of 55.6 km, cut at 12.5° N.
    expect(sections[1]!.line[0]).toEqual([-11, 12]);
    expect(sections[1]!.line[sections[1]!.line.length - 1]).toEqual([-11, 12.5]);
    expect(sections[2]!.line[0]).toEqual([-11, 12.5]);
    expect(sections[1]!.lengthKm).toBeCloseTo(55.6, 1);
    expect(sections[1]!.name.en).toBe('Mali–Senegal section 2 (at 12.25°N 11.00°W)');
    expect(sections[1]!.name.fr).toBe('Mali–Sénégal tronçon 2 (vers 12,25°N 11,00°O)');
  });

  it('starts a closed loop at its smallest vertex whatever the loop is rotated to', () => {
    const loop = [
      [0, 0],
      [0.5, 0],
      [0.5, 0.5],
      [0, 0.5],
      [0, 0],
    ];
    const rotated = [
      [0.5, 0.5],
      [0, 0.5],
      [0, 0],
      [0.5, 0],
      [0.5, 0.5],
    ];
    const reversed = [...rotated].reverse();
    const reference = sectionsOfBorder(pair, [loop], []);
    expect(sectionsOfBorder(pair, [rotated], [])).toEqual(reference);
    expect(sectionsOfBorder(pair, [reversed], [])).toEqual(reference);
    expect(reference[0]!.line[0]).toEqual([0, 0]);
  });
});
