import type { CorroborationRule, Distinct } from '../rule';
import { oneOf } from '../rule-fields';
import { formatNumber, type WindowKindSpec } from './rule-kind';

const NOUN: Readonly<Record<Distinct, { en: string; fr: string }>> = {
  feeds: { en: 'distinct feeds', fr: 'sources distinctes' },
  countries: { en: 'distinct countries', fr: 'pays distincts' },
};

/**
 * Score: the distinct feeds (or their countries) reporting the zone in the window. Incidents seen
 * by several sources also gain credibility in graded weights (see GradingWeights.corroboration).
 */
export const corroboration: WindowKindSpec<CorroborationRule> = {
  family: 'window',
  fields: ['distinct'],
  zoneKinds: null,
  keepsDaily: false,
  positional: false,
  parse: (base, raw, path) => ({ ...base, kind: 'corroboration', distinct: oneOf<Distinct>(raw.distinct, `${path}.distinct`, ['feeds', 'countries'], 'countries') }),
  key: (rule, event) => ({ key: rule.distinct === 'feeds' ? event.feedId : event.sourceCountry, amount: 'count' }),
  score: (_rule, { agg }) => agg.keyed.size,
  // Distinct sources of a window: no more than those of its buckets, each counted once per bucket.
  bucketBound: (_rule, bucket) => bucket.keyed.size,
  measure: (rule, score, window) => {
    const { distinct } = rule as CorroborationRule;
    return { en: `${score} ${NOUN[distinct].en} in ${window}`, fr: `${formatNumber(score, 'fr')} ${NOUN[distinct].fr} en ${window}` };
  },
};
