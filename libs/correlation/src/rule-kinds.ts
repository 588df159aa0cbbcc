import { VigieError } from '@vigie/contracts';
import type { Rule, RuleBase } from './rule';
import type { WindowEvent } from './window-event';

/** A rule's reading of its window: a score (compared with the level thresholds) and the evidence. */
export interface Assessment {
  readonly score: number;
  readonly contributors: readonly WindowEvent[];
}

/**
 * Everything that differs between rule kinds. evaluateZone, parseRules and the alert lifecycle are
 * generic; adding a kind means adding one entry here (and its type to the Rule union).
 */
export interface RuleKindSpec {
  /** Fields the kind accepts beyond the common ones (parseRules rejects any other). */
  readonly fields: readonly string[];
  /** Builds the rule from the validated common fields and the raw object (for the kind's own fields). */
  parse(base: RuleBase, raw: Readonly<Record<string, unknown>>, path: string): Rule;
  /** Scores the candidates: the window's active incidents that pass the rule's filters. */
  assess(rule: Rule, candidates: readonly WindowEvent[]): Assessment;
  /** What the score measures, for explanations and summaries, e.g. "7 incidents in 72 h". */
  measure(score: number, window: string): { readonly en: string; readonly fr: string };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const threshold: RuleKindSpec = {
  fields: [],
  parse: (base) => ({ ...base, kind: 'threshold' }),
  assess: (_rule, candidates) => ({ score: candidates.length, contributors: candidates }),
  measure: (score, window) => ({ en: `${plural(score, 'incident')} in ${window}`, fr: `${plural(score, 'incident')} en ${window}` }),
};

export const RULE_KINDS: Readonly<Record<string, RuleKindSpec>> = { threshold };

export function ruleKindOf(rule: Pick<Rule, 'kind'>): RuleKindSpec {
  const spec = Object.hasOwn(RULE_KINDS, rule.kind) ? RULE_KINDS[rule.kind] : undefined;
  if (!spec) throw new VigieError('RULES_INVALID', `no rule kind "${rule.kind}"`, false);
  return spec;
}
