import { ALERT_LEVELS, type AlertLevel, type SourceReliability, type ZoneKind } from '@vigie/contracts';

/** Score needed for each level; LOW is required (below it nothing fires), higher levels optional. */
export type LevelThresholds = Readonly<Partial<Record<AlertLevel, number>>> & { readonly LOW: number };

/** What makes sources distinct: the feeds that reported, or their countries. */
export type Distinct = 'feeds' | 'countries';

/**
 * Admiralty grading as a factor: reliability of the source (A–F) times credibility of the
 * information (1–6). With `corroboration`, an incident whose category the scored window shows from
 * at least `min` distinct sources is read as credibility 1 ("confirmed by other sources"), whose
 * factor must then be the largest (parse-rules checks it): corroboration never lowers a weight.
 */
export interface GradingWeights {
  readonly reliability: Readonly<Record<SourceReliability, number>>;
  /** Factor by credibility 1..6 (index 0 unused). */
  readonly credibility: readonly number[];
  readonly corroboration: { readonly min: number; readonly distinct: Distinct } | null;
}

/** How much one incident weighs in a rule's score; absent from a rule = every incident weighs 1. */
export interface WeightSpec {
  /** × severityOf(category, subCategory) of libs/contracts (0–1). */
  readonly severity: boolean;
  /** × (1 + min(max, perDeath × fatalities)). */
  readonly fatalities: { readonly perDeath: number; readonly max: number } | null;
  readonly grading: GradingWeights | null;
}

/** What every rule kind shares: identity, event-time window, filters, levels and their hysteresis. */
export interface RuleBase {
  /** Stable id, part of alert ids: changing it starts new alerts. */
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  readonly windowMs: number;
  /** Granularity of windows (the window slides by this step); divides windowMs. */
  readonly resolutionMs: number;
  /** A level falls only once no window of the last `dwellMs` supported it. */
  readonly dwellMs: number;
  /** Categories the rule counts; empty = every category. */
  readonly categories: readonly string[];
  /** Zone kinds the rule watches; empty = every kind the rule kind allows. */
  readonly zoneKinds: readonly ZoneKind[];
  readonly levels: LevelThresholds;
  readonly weights: WeightSpec | null;
  /** Most event ids an alert lists (the counts stay complete). */
  readonly maxContributors: number;
}

/** At least a (weighted) number of incidents in a zone within the window. */
export interface ThresholdRule extends RuleBase {
  readonly kind: 'threshold';
}

/** Reports of the zone from at least N distinct feeds or countries within the window. */
export interface CorroborationRule extends RuleBase {
  readonly kind: 'corroboration';
  readonly distinct: Distinct;
}

/** Incidents on both sides of one border section: the score is the weaker side's (weighted) count. */
export interface MirrorRule extends RuleBase {
  readonly kind: 'cross-border-mirror';
}

/** Incidents moving along a route: the longest chain of segments visited in order of chainage. */
export interface ProgressionRule extends RuleBase {
  readonly kind: 'route-progression';
  readonly segmentKm: number;
  readonly direction: 'increasing' | 'decreasing' | 'either';
}

/** The window's (weighted) count against the zone's own baseline of the preceding days. */
export interface SpikeRule extends RuleBase {
  readonly kind: 'spike';
  readonly baselineMs: number;
  /** Fewer incidents than this in the window is no spike, whatever the baseline. */
  readonly minCount: number;
  /** Floor of the expected count, so that a zone that was silent does not spike on one report. */
  readonly minExpected: number;
}

/** A national feed silent for longer than its usual rhythm (arrival time; COUNTRY zones). */
export interface SilentFeedRule extends RuleBase {
  readonly kind: 'silent-feed';
  /** Gaps needed before a feed's rhythm is trusted. */
  readonly minGaps: number;
  /** Floor of a feed's usual gap, so that a feed that reports in bursts is not silent after minutes. */
  readonly minRhythmMs: number;
}

export type WindowRule = ThresholdRule | CorroborationRule | MirrorRule | ProgressionRule | SpikeRule;
/** Union of the rule kinds; a new kind adds a member here and an entry in RULE_KINDS. */
export type Rule = WindowRule | SilentFeedRule;

export const isWindowRule = (rule: Rule): rule is WindowRule => rule.kind !== 'silent-feed';

/**
 * The levels, read here once: compiled to CommonJS, every use of an imported binding goes through
 * the exporting module's getter, and levelIndexFor runs for every position a window is scored at.
 */
const LEVELS: readonly AlertLevel[] = ALERT_LEVELS;

/** Index of the highest level whose threshold the score reaches (0 = LOW), or -1 below LOW. */
export function levelIndexFor(score: number, levels: LevelThresholds): number {
  for (let i = LEVELS.length - 1; i >= 0; i--) {
    const threshold = levels[LEVELS[i] as AlertLevel];
    if (threshold !== undefined && score >= threshold) return i;
  }
  return -1;
}

/** The highest level whose threshold the score reaches, or null below LOW. */
export function levelFor(score: number, levels: LevelThresholds): AlertLevel | null {
  const index = levelIndexFor(score, levels);
  return index < 0 ? null : (ALERT_LEVELS[index] as AlertLevel);
}

/** The threshold of a level, or of the next defined one below it (levels may skip some). */
export function thresholdOf(levels: LevelThresholds, index: number): number {
  for (let i = index; i >= 0; i--) {
    const threshold = levels[ALERT_LEVELS[i] as AlertLevel];
    if (threshold !== undefined) return threshold;
  }
  return levels.LOW;
}

export const ruleAppliesTo = (rule: Pick<RuleBase, 'zoneKinds'>, zoneKind: ZoneKind): boolean =>
  rule.zoneKinds.length === 0 || rule.zoneKinds.includes(zoneKind);
