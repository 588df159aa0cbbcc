/**
 * enrichLocation throughput on one core over fixed, seeded point sets.
 * Run: node -r ./tools/register.js libs/geo/bench/geo-lookups.bench.ts [--points 100000] [--seconds 3]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrng } from '@vigie/runtime';
import { enrichLocation, type GeoPoint, type GeoPrecision, loadGeoReference, parsePlaces, SHIPPED_REFERENCE_DIR } from '../src';

const argument = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const POINTS = argument('points', 100_000);
const SECONDS = argument('seconds', 3);

/** Feeds report mostly exact places: 70 % precision 1, 20 % precision 2, 10 % precision 3. */
function precision(r: number): GeoPrecision {
  return r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
}

const REPORTERS = ['ML', 'SN', 'NE', 'BF', 'NG', 'TD', 'MR', 'DZ'];

interface Sample {
  readonly point: GeoPoint;
  readonly reported: string;
}

/** Uniform over the region's 17 countries' bounding box (Sahara, sea and coasts included). */
function uniformOverRegion(seed: number): Sample[] {
  const next = createPrng(seed).float;
  return Array.from({ length: POINTS }, () => ({
    point: { lon: -17.6 + next() * (24.0 + 17.6), lat: 4.3 + next() * (37.1 - 4.3), geoPrecision: precision(next()) },
    reported: REPORTERS[Math.floor(next() * REPORTERS.length)]!,
  }));
}

/** Where incidents are reported: within ~50 km of the gazetteer's (mostly border) towns. */
function nearTowns(seed: number): Sample[] {
  const next = createPrng(seed).float;
  const places = parsePlaces(JSON.parse(readFileSync(join(SHIPPED_REFERENCE_DIR, 'sources', 'places.json'), 'utf8')));
  return Array.from({ length: POINTS }, () => {
    const place = places[Math.floor(next() * places.length)]!;
    return {
      point: { lon: place.lon + (next() - 0.5) * 0.9, lat: place.lat + (next() - 0.5) * 0.9, geoPrecision: precision(next()) },
      reported: place.country,
    };
  });
}

function measure(name: string, samples: readonly Sample[], run: (s: Sample) => unknown): void {
  for (const s of samples) run(s); // warm-up: JIT, h3 wasm heap
  let calls = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  while (process.hrtime.bigint() - started < budget) {
    for (const s of samples) run(s);
    calls += samples.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${name.padEnd(34)} ${Math.round(calls / seconds).toLocaleString('en-US').padStart(10)} lookups/s  (${calls.toLocaleString('en-US')} calls)`);
}

function main(): void {
  const started = performance.now();
  const ref = loadGeoReference();
  console.log(`reference ${ref.version}: loaded and indexed in ${(performance.now() - started).toFixed(0)} ms; ${POINTS.toLocaleString('en-US')} points per set`);
  const enrich = (s: Sample): unknown => enrichLocation(ref, s.point, s.reported);
  measure('enrichLocation, near towns (seed 1)', nearTowns(1), enrich);
  measure('enrichLocation, uniform (seed 2)', uniformOverRegion(2), enrich);
  measure('country lookup only, uniform', uniformOverRegion(2), (s) => ref.index.countryAt(s.point.lon, s.point.lat));
  measure('nearest border only, uniform', uniformOverRegion(2), (s) => ref.index.nearestBorder(s.point.lon, s.point.lat));
}

main();
