import { upliftedTotal } from '../aggregate';
import type { ThresholdRule } from '../rule';
import { fromMilli } from '../weights';
import { countText, formatNumber, type WindowKindSpec } from './rule-kind';

/** Score: the incidents in the window, weighted as the rule says (each counts 1 without weights). */
export const threshold: WindowKindSpec<ThresholdRule> = {
  family: 'window',
  fields: [],
  zoneKinds: null,
  keepsDaily: false,
  positional: false,
  parse: (base) => ({ ...base, kind: 'threshold' }),
  key: () => ({ key: null, amount: 'weight' }),
  score: (rule, { agg }) => fromMilli(upliftedTotal(agg, rule.weights?.grading?.corroboration?.min ?? Infinity)),
  measure: (rule, score, window) => {
    if (!rule.weights) {
      const n = countText(score, 'incident', 'incident');
      return { en: `${n.en} in ${window}`, fr: `${n.fr} en ${window}` };
    }
    return { en: `weighted score ${formatNumber(score, 'en')} in ${window}`, fr: `score pondéré ${formatNumber(score, 'fr')} en ${window}` };
  },
};
