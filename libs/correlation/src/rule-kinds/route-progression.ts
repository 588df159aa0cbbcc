import { sortedNumericKeys, type Agg } from '../aggregate';
import type { ProgressionRule } from '../rule';
import { oneOf, positiveNumber } from '../rule-fields';
import type { RuleWindow } from '../rule-window';
import { formatNumber, type WindowKindSpec } from './rule-kind';

/** Extends the patience-sorting tails of a longest strictly increasing subsequence by one value. */
function pushTail(tails: number[], v: number): void {
  let lo = 0;
  let hi = tails.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tails[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  tails[lo] = v;
}

/**
 * The longest chains of segments visited bucket after bucket, within a bucket in the direction of
 * travel (same hour, further along): increasing chainage, and decreasing (read as increasing
 * negated chainage), in one pass over the window without building the sequences.
 */
function longestChains(window: RuleWindow, position: number, up: boolean, down: boolean): number {
  const rising: number[] = [];
  const falling: number[] = [];
  window.eachBucketAt(position, (_, agg) => {
    const segments = sortedNumericKeys(agg);
    if (up) for (let i = 0; i < segments.length; i++) pushTail(rising, segments[i] as number);
    if (down) for (let i = segments.length - 1; i >= 0; i--) pushTail(falling, -(segments[i] as number));
  });
  return Math.max(rising.length, falling.length);
}

/**
 * longestChains of what remains as the buckets leave, oldest first: element i of buckets i+1 on.
 * One pass from the newest bucket: read backwards, a chain rising forwards falls, so its negation
 * rises, and the order within each bucket is reversed too. After each bucket the patience tails
 * hold the longest chains of the buckets read so far, the suffix of the window.
 */
function chainsAsBucketsLeave(buckets: readonly Agg[], up: boolean, down: boolean): number[] {
  const rising: number[] = [];
  const falling: number[] = [];
  const scores = new Array<number>(buckets.length);
  for (let b = buckets.length - 1; b >= 0; b--) {
    scores[b] = Math.max(rising.length, falling.length);
    const segments = sortedNumericKeys(buckets[b] as Agg);
    if (up) for (let i = segments.length - 1; i >= 0; i--) pushTail(rising, -(segments[i] as number));
    if (down) for (let i = 0; i < segments.length; i++) pushTail(falling, segments[i] as number);
  }
  return scores;
}

/**
 * Score: the number of route segments (of `segmentKm`, by chainage) in the longest chain visited
 * in order of time with chainage only increasing (or only decreasing, or either): movement along
 * the corridor rather than scattered incidents on it.
 */
export const routeProgression: WindowKindSpec<ProgressionRule> = {
  family: 'window',
  fields: ['segmentKm', 'direction'],
  zoneKinds: ['ROUTE'],
  keepsDaily: false,
  positional: false,
  parse: (base, raw, path) => ({
    ...base,
    kind: 'route-progression',
    segmentKm: positiveNumber(raw.segmentKm, `${path}.segmentKm`, 50),
    direction: oneOf(raw.direction, `${path}.direction`, ['increasing', 'decreasing', 'either'] as const, 'either'),
  }),
  key: (rule, event) => (event.chainageKm === null ? undefined : { key: String(Math.floor(event.chainageKm / rule.segmentKm)), amount: 'count' }),
  score: (rule, { window, position }) => longestChains(window, position, rule.direction !== 'decreasing', rule.direction !== 'increasing'),
  // A chain's segments are distinct (chainage strictly rising or falling): no longer than the segments in the window.
  scoreBound: (_rule, { agg }) => agg.keyed.size,
  bucketBound: (_rule, bucket) => bucket.keyed.size,
  scoresAsBucketsLeave: (rule, buckets) => chainsAsBucketsLeave(buckets, rule.direction !== 'decreasing', rule.direction !== 'increasing'),
  measure: (rule, score, window) => {
    const km = (rule as ProgressionRule).segmentKm;
    return {
      en: `${score} successive ${km} km segments along the route in ${window}`,
      fr: `${formatNumber(score, 'fr')} tronçons successifs de ${km} km le long de l'axe en ${window}`,
    };
  },
};
