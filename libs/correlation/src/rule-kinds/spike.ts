import { upliftedTotal } from '../aggregate';
import type { SpikeRule } from '../rule';
import { fail, optionalDuration, positiveNumber } from '../rule-fields';
import { windowBounds } from '../rule-window';
import { MILLI } from '../weights';
import { formatNumber, type WindowKindSpec } from './rule-kind';

export const DAY_MS = 86_400_000;

/**
 * Score: the window's (weighted) count divided by what the zone's own baseline expects for a
 * window that long: the daily weights of the `baseline` days before the window, scaled to the
 * window. Below `minCount` incidents there is no spike; the expectation never falls below
 * `minExpected`, so a zone that was silent does not spike on its first reports; and a zone first
 * seen less than a baseline ago has none yet.
 */
export const spike: WindowKindSpec<SpikeRule> = {
  family: 'window',
  fields: ['baseline', 'minCount', 'minExpected'],
  zoneKinds: null,
  keepsDaily: true,
  positional: true,
  parse: (base, raw, path) => {
    const baselineMs = optionalDuration(raw.baseline, `${path}.baseline`, 28 * DAY_MS);
    if (baselineMs % DAY_MS !== 0) fail(`${path}.baseline`, 'expected whole days, e.g. "28d"');
    return {
      ...base,
      kind: 'spike',
      baselineMs,
      minCount: positiveNumber(raw.minCount, `${path}.minCount`, 3, { integer: true }),
      minExpected: positiveNumber(raw.minExpected, `${path}.minExpected`, 1),
    };
  },
  key: () => ({ key: null, amount: 'weight' }),
  score: (rule, { agg, window, position, dailyTotal, dailySince }) => {
    if (agg.n < rule.minCount) return 0;
    const firstDay = Math.floor(windowBounds(position, window.size, rule.resolutionMs).startAt / DAY_MS);
    const days = rule.baselineMs / DAY_MS;
    // A zone first seen less than a baseline ago has no usual level yet: no spike while it is learnt.
    if (dailySince === null || firstDay - dailySince < days) return 0;
    const baseline = dailyTotal(firstDay - days, firstDay);
    const expected = Math.max((baseline * rule.windowMs) / rule.baselineMs, rule.minExpected * MILLI);
    const recent = upliftedTotal(agg, rule.weights?.grading?.corroboration?.min ?? Infinity);
    return Math.round((recent / expected) * 100) / 100;
  },
  measure: (_rule, score, window) => ({
    en: `${formatNumber(score, 'en')}× the zone's usual level in ${window}`,
    fr: `${formatNumber(score, 'fr')} fois le niveau habituel de la zone en ${window}`,
  }),
};
