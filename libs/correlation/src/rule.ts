import { ALERT_LEVELS, type AlertLevel, type ZoneKind } from '@vigie/contracts';

/** Score needed for each level; LOW is required (below it nothing fires), higher levels optional. */
export type LevelThresholds = Readonly<Partial<Record<AlertLevel, number>>> & { readonly LOW: number };

/** What every rule kind shares: identity, event-time window, filters and level thresholds. */
export interface RuleBase {
  /** Stable id, part of alert ids: changing it starts new alerts. */
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  readonly windowMs: number;
  /** Categories the rule counts; empty = every category. */
  readonly categories: readonly string[];
  /** Zone kinds the rule watches; empty = every kind. */
  readonly zoneKinds: readonly ZoneKind[];
  readonly levels: LevelThresholds;
}

/** At least N incidents in a zone within the window. */
export interface ThresholdRule extends RuleBase {
  readonly kind: 'threshold';
}

/** Union of the rule kinds; a new kind adds a member here and an entry in RULE_KINDS. */
export type Rule = ThresholdRule;

/** The highest level whose threshold the score reaches, or null below LOW. */
export function levelFor(score: number, levels: LevelThresholds): AlertLevel | null {
  for (let i = ALERT_LEVELS.length - 1; i >= 0; i--) {
    const level = ALERT_LEVELS[i] as AlertLevel;
    const threshold = levels[level];
    if (threshold !== undefined && score >= threshold) return level;
  }
  return null;
}

export const ruleAppliesTo = (rule: RuleBase, zoneKind: ZoneKind): boolean =>
  rule.zoneKinds.length === 0 || rule.zoneKinds.includes(zoneKind);
