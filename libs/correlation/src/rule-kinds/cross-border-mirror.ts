import type { MirrorRule } from '../rule';
import { fromMilli } from '../weights';
import { formatNumber, type WindowKindSpec } from './rule-kind';

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
  score: (_rule, { agg, zone }) => {
    if (zone.countries.length < 2) return 0;
    return fromMilli(Math.min(...zone.countries.slice(0, 2).map((country) => agg.keyed.get(country) ?? 0)));
  },
  measure: (_rule, score, window) => ({
    en: `${formatNumber(score, 'en')} on each side of the border in ${window}`,
    fr: `${formatNumber(score, 'fr')} de chaque côté de la frontière en ${window}`,
  }),
};
