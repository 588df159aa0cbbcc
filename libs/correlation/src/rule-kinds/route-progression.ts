import { sortedNumericKeys } from '../aggregate';
import type { ProgressionRule } from '../rule';
import { oneOf, positiveNumber } from '../rule-fields';
import type { RuleWindow } from '../rule-window';
import { formatNumber, type WindowKindSpec } from './rule-kind';

/** Length of the longest strictly increasing subsequence (patience sorting). */
function longestIncreasing(values: readonly number[]): number {
  const tails: number[] = [];
  for (const v of values) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
  }
  return tails.length;
}

/** Segments visited, bucket after bucket; within a bucket in the direction of travel (same hour, further along). */
function segmentsInOrder(window: RuleWindow, position: number, sign: 1 | -1): number[] {
  const out: number[] = [];
  for (const [, agg] of window.bucketsAt(position)) {
    const segments = sortedNumericKeys(agg);
    if (sign === 1) out.push(...segments);
    else for (let i = segments.length - 1; i >= 0; i--) out.push(-(segments[i] as number));
  }
  return out;
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
  score: (rule, { window, position }) => {
    const up = rule.direction === 'decreasing' ? 0 : longestIncreasing(segmentsInOrder(window, position, 1));
    const down = rule.direction === 'increasing' ? 0 : longestIncreasing(segmentsInOrder(window, position, -1));
    return Math.max(up, down);
  },
  measure: (rule, score, window) => {
    const km = (rule as ProgressionRule).segmentKm;
    return {
      en: `${score} successive ${km} km segments along the route in ${window}`,
      fr: `${formatNumber(score, 'fr')} tronçons successifs de ${km} km le long de l'axe en ${window}`,
    };
  },
};
