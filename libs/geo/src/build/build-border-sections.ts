import { mesh } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { haversineKm, lineLengthKm } from '../spherical';
import type { BorderSection, Country, LocalizedName, Position } from '../types';
import { countriesObject } from './build-countries';
import type { Place } from './places';
import { roundCoordinate, roundPosition, samePosition } from './rounding';

export interface SectionOptions {
  /** Borders are cut into equal sections of about this length. */
  readonly targetLengthKm: number;
  /** A section is named after the nearest place within this distance of its midpoint. */
  readonly namingRadiusKm: number;
}

export const DEFAULT_SECTION_OPTIONS: SectionOptions = { targetLengthKm: 50, namingRadiusKm: 60 };

type NamedCountry = Pick<Country, 'code' | 'name'>;

/**
 * Border sections of every land border that has a region country on at least one side (so that
 * the Lake Chad or Libyan borders are measured too), from the arcs two countries share.
 */
export function buildBorderSections(
  topology: Topology,
  countries: readonly Country[],
  places: readonly Place[],
  options: SectionOptions = DEFAULT_SECTION_OPTIONS,
): BorderSection[] {
  const object = countriesObject(topology);
  const byNumeric = new Map(countries.map((c) => [c.numericCode, c]));
  const pairOf = (a: { id?: string | number }, b: { id?: string | number }): [Country, Country] | undefined => {
    const ca = byNumeric.get(String(a.id));
    const cb = byNumeric.get(String(b.id));
    if (ca === undefined || cb === undefined || ca === cb || !(ca.inRegion || cb.inRegion)) return undefined;
    return ca.code < cb.code ? [ca, cb] : [cb, ca];
  };
  const pairs = new Map<string, [Country, Country]>();
  mesh(topology, object, (a, b) => {
    const pair = pairOf(a, b);
    if (pair !== undefined) pairs.set(pairKey(pair), pair);
    return false;
  });
  return [...pairs.keys()].sort().flatMap((key) => {
    const lines = mesh(topology, object, (a, b) => {
      const pair = pairOf(a, b);
      return pair !== undefined && pairKey(pair) === key;
    }).coordinates;
    return sectionsOfBorder(pairs.get(key)!, lines, places, options);
  });
}

/**
 * Cuts one border (one or more lines, in any order and direction) into sections. Deterministic
 * whatever the input order: lines are oriented from their smaller (lon, lat) end and taken in
 * order of that end; each line is cut into n = round(length / target) equal parts.
 */
export function sectionsOfBorder(
  pair: readonly [NamedCountry, NamedCountry],
  lines: readonly (readonly (readonly number[])[])[],
  places: readonly Place[],
  options: SectionOptions = DEFAULT_SECTION_OPTIONS,
): BorderSection[] {
  const [a, b] = pair[0].code < pair[1].code ? pair : [pair[1], pair[0]];
  const canonical = lines
    .map((line) => canonicalLine(dedupe(line.map(roundPosition))))
    .filter((line) => line.length >= 2)
    .sort((l1, l2) => comparePositions(l1[0]!, l2[0]!) || comparePositions(l1[1]!, l2[1]!));
  const pieces = canonical.flatMap((line) => cutLine(line, options.targetLengthKm));
  return pieces.map((line, i) => {
    const number = i + 1;
    return {
      id: `${a.code}-${b.code}-${String(number).padStart(3, '0')}`,
      name: sectionName(a, b, number, line, places, options.namingRadiusKm),
      countries: [a.code, b.code],
      lengthKm: Math.round(lineLengthKm(line) * 10) / 10,
      line,
    };
  });
}

function pairKey([a, b]: readonly [NamedCountry, NamedCountry]): string {
  return `${a.code}-${b.code}`;
}

function comparePositions(p: Position, q: Position): number {
  return p[0] - q[0] || p[1] - q[1];
}

function dedupe(line: readonly Position[]): Position[] {
  return line.filter((p, i) => i === 0 || !samePosition(p, line[i - 1]!));
}

/** Open lines start at their smaller end; closed loops start at their smallest vertex, heading to the smaller neighbour. */
function canonicalLine(line: Position[]): Position[] {
  if (line.length < 3 || !samePosition(line[0]!, line[line.length - 1]!)) {
    return comparePositions(line[line.length - 1]!, line[0]!) < 0 ? line.reverse() : line;
  }
  const open = line.slice(0, -1);
  const start = open.reduce((best, p, i) => (comparePositions(p, open[best]!) < 0 ? i : best), 0);
  let loop = [...open.slice(start), ...open.slice(0, start)];
  if (comparePositions(loop[loop.length - 1]!, loop[1]!) < 0) loop = [loop[0]!, ...loop.slice(1).reverse()];
  return [...loop, loop[0]!];
}

/** Splits a line into round(length / target) (at least 1) pieces of equal great-circle length. */
function cutLine(line: readonly Position[], targetKm: number): Position[][] {
  const steps = line.slice(1).map((p, i) => haversineKm(line[i]![1], line[i]![0], p[1], p[0]));
  const total = steps.reduce((sum, step) => sum + step, 0);
  const count = Math.max(1, Math.round(total / targetKm));
  const cutAt = (k: number): number => (total * k) / count;
  const pieces: Position[][] = [];
  let current: Position[] = [line[0]!];
  let walked = 0;
  let cuts = 0;
  steps.forEach((step, i) => {
    const from = line[i]!;
    const to = line[i + 1]!;
    while (cuts < count - 1 && walked + step >= cutAt(cuts + 1)) {
      cuts++;
      const f = step === 0 ? 0 : (cutAt(cuts) - walked) / step;
      const cut: Position = [roundCoordinate(from[0] + (to[0] - from[0]) * f), roundCoordinate(from[1] + (to[1] - from[1]) * f)];
      if (!samePosition(cut, current[current.length - 1]!)) current.push(cut);
      if (current.length >= 2) {
        pieces.push(current);
        current = [cut];
      }
    }
    if (!samePosition(to, current[current.length - 1]!)) current.push(to);
    walked += step;
  });
  if (current.length >= 2) pieces.push(current);
  return pieces;
}

function sectionName(
  a: NamedCountry,
  b: NamedCountry,
  number: number,
  line: readonly Position[],
  places: readonly Place[],
  radiusKm: number,
): LocalizedName {
  const [lon, lat] = pointAlong(line, lineLengthKm(line) / 2);
  let nearest: Place | undefined;
  let nearestKm = radiusKm;
  for (const place of places) {
    const km = haversineKm(lat, lon, place.lat, place.lon);
    if (km <= nearestKm) {
      nearest = place;
      nearestKm = km;
    }
  }
  const en = nearest ? `near ${nearest.name}` : `at ${formatLatLon(lat, lon, '.', 'W')}`;
  const fr = nearest ? `près de ${nearest.name}` : `vers ${formatLatLon(lat, lon, ',', 'O')}`;
  return {
    en: `${a.name.en}–${b.name.en} section ${number} (${en})`,
    fr: `${a.name.fr}–${b.name.fr} tronçon ${number} (${fr})`,
  };
}

function formatLatLon(lat: number, lon: number, decimal: string, west: string): string {
  const f = (v: number): string => Math.abs(v).toFixed(2).replace('.', decimal);
  return `${f(lat)}°${lat >= 0 ? 'N' : 'S'} ${f(lon)}°${lon >= 0 ? 'E' : west}`;
}

function pointAlong(line: readonly Position[], km: number): Position {
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    const [lon1, lat1] = line[i - 1]!;
    const [lon2, lat2] = line[i]!;
    const step = haversineKm(lat1, lon1, lat2, lon2);
    if (walked + step >= km && step > 0) {
      const f = (km - walked) / step;
      return [lon1 + (lon2 - lon1) * f, lat1 + (lat2 - lat1) * f];
    }
    walked += step;
  }
  return line[line.length - 1]!;
}
