import type { Agg } from '../aggregate';
import type { MirrorRule } from '../rule';
import type { Zone } from '../zone';
import { fromMilli } from '../weights';
import { formatNumber, type WindowKindSpec } from './rule-kind';

const sides = (agg: Agg, zone: Zone): number[] => zone.countries.slice(0, 2).map((country) => agg.keyed.get(country) ?? 0);
const weakerSide = (agg: Agg, zone: Zone): number => (zone.countries.length < 2 ? 0 : fromMilli(Math.min(...sides(agg, zone))));
const heavierSide = (agg: Agg, zone: Zone): number => (zone.countries.length < 2 ? 0 : fromMilli(Math.max(...sides(agg, zone))));

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
  score: (_rule, { agg, zone }) => weakerSide(agg, zone),
  // The weaker side of a window weighs no more than either side, so no more than its buckets' heavier sides.
  bucketBound: (_rule, bucket, zone) => heavierSide(bucket, zone),
  measure: (_rule, score, window) => ({
    en: `${formatNumber(score, 'en')} on each side of the border in ${window}`,
    fr: `${formatNumber(score, 'fr')} de chaque côté de la frontière en ${window}`,
  }),
};
