import { upliftedTotal, type CategoryAgg } from '../aggregate';
import type { ThresholdRule } from '../rule';
import { fromMilli } from '../weights';
import { countText, formatNumber, type WindowKindSpec } from './rule-kind';

function largerWeights(categories: ReadonlyMap<string, CategoryAgg>): number {
  let sum = 0;
  for (const cat of categories.values()) sum += Math.max(cat.w, cat.up);
  return sum;
}

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
  // A window counts each category's weights as corroborated or not: at most the larger of the two, bucket by bucket.
  bucketBound: (_rule, bucket) => fromMilli(bucket.categories ? largerWeights(bucket.categories) : bucket.w),
  measure: (rule, score, window) => {
    if (!rule.weights) {
      const n = countText(score, 'incident', 'incident');
      return { en: `${n.en} in ${window}`, fr: `${n.fr} en ${window}` };
    }
    return { en: `weighted score ${formatNumber(score, 'en')} in ${window}`, fr: `score pondéré ${formatNumber(score, 'fr')} en ${window}` };
  },
};
