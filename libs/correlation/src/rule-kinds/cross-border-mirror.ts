import type { Agg } from '../aggregate';
import type { MirrorRule } from '../rule';
import type { Zone } from '../zone';
import { fromMilli } from '../weights';
import { formatNumber, type WindowKindSpec } from './rule-kind';

/** `pick` (Math.min or Math.max) of the weighted counts on the section's two sides; 0 for a zone with one country. */
function side(agg: Agg, zone: Zone, pick: (a: number, b: number) => number): number {
  const [a, b] = zone.countries;
  if (a === undefined || b === undefined) return 0;
  return fromMilli(pick(agg.keyed.get(a) ?? 0, agg.keyed.get(b) ?? 0));
}

/**
 * Score: the weaker side of the border section, i.e. the smaller of the (weighted) counts of
 * incidents that occurred in each of its two countries. Incidents elsewhere do not count.
 */
export const crossBorderMirror: WindowKindSpec<MirrorRule> = {
  family: 'window',
  fields: [],
  zoneKinds: ['SECTION'],
  keepsDaily: false,
  positional: false,
  parse: (base) => ({ ...base, kind: 'cross-border-mirror' }),
  key: (_rule, event, zone) => (event.side !== null && zone.countries.includes(event.side) ? { key: event.side, amount: 'weight' } : undefined),
  score: (_rule, { agg, zone }) => side(agg, zone, Math.min),
  // The weaker side of a window weighs no more than either side, so no more than its buckets' heavier sides.
  bucketBound: (_rule, bucket, zone) => side(bucket, zone, Math.max),
  measure: (_rule, score, window) => ({
    en: `${formatNumber(score, 'en')} on each side of the border in ${window}`,
    fr: `${formatNumber(score, 'fr')} de chaque côté de la frontière en ${window}`,
  }),
};
