import { VigieError } from '@vigie/contracts';
import type { Rule, WindowRule } from '../rule';
import { corroboration } from './corroboration';
import { crossBorderMirror } from './cross-border-mirror';
import { routeProgression } from './route-progression';
import type { RuleKindSpec, WindowKindSpec } from './rule-kind';
import { silentFeed } from './silent-feed';
import { spike } from './spike';
import { threshold } from './threshold';

export * from './rule-kind';
export { DAY_MS } from './spike';

export const RULE_KINDS: Readonly<Record<string, RuleKindSpec>> = {
  threshold,
  corroboration,
  'cross-border-mirror': crossBorderMirror,
  'route-progression': routeProgression,
  spike,
  'silent-feed': silentFeed,
} as Readonly<Record<string, RuleKindSpec>>;

export function ruleKindOf(rule: Pick<Rule, 'kind'>): RuleKindSpec {
  const spec = Object.hasOwn(RULE_KINDS, rule.kind) ? RULE_KINDS[rule.kind] : undefined;
  if (!spec) throw new VigieError('RULES_INVALID', `no rule kind "${rule.kind}"`, false);
  return spec;
}

export const windowKindOf = (rule: WindowRule): WindowKindSpec => ruleKindOf(rule) as WindowKindSpec;
