import type { ZoneKind } from '@vigie/contracts';
import type { Agg } from '../aggregate';
import type { Rule, RuleBase, WindowRule } from '../rule';
import type { Raw } from '../rule-fields';
import type { RuleWindow } from '../rule-window';
import type { WindowEvent } from '../window-event';
import type { Zone } from '../zone';

export interface Text {
  readonly en: string;
  readonly fr: string;
}

/** What a window kind scores: the window's aggregate at a position, and the buckets behind it. */
export interface ScoreView {
  readonly zone: Zone;
  readonly window: RuleWindow;
  readonly position: number;
  readonly agg: Agg;
  /** Weight (milli) of the UTC days `from` … `to` − 1 (days since the epoch), for baselines; 0 unless the kind keeps them. */
  dailyTotal(from: number, to: number): number;
  /** First day the zone's daily weights cover (null: none yet). */
  readonly dailySince: number | null;
}

/**
 * Everything that differs between rule kinds. parseRules, the zone engine and the alert lifecycle
 * are generic; adding a kind means one file here, an entry in RULE_KINDS and a member of Rule.
 */
export interface RuleKindSpecBase {
  /** Fields the kind accepts beyond the common ones (parseRules rejects any other). */
  readonly fields: readonly string[];
  /** Zone kinds the kind can watch (null: any); a rule naming none watches all of these. */
  readonly zoneKinds: readonly ZoneKind[] | null;
  /** Builds the rule from the validated common fields and the raw object (for the kind's own fields). */
  parse(base: RuleBase, raw: Raw, path: string): Rule;
  /** What the score measures, for explanations and summaries, e.g. "7 incidents in 72 h". */
  measure(rule: Rule, score: number, window: string): Text;
}

/** Kinds scored over event-time windows of incidents. */
export interface WindowKindSpec<R extends WindowRule = WindowRule> extends RuleKindSpecBase {
  readonly family: 'window';
  /** Whether the zone engine keeps the rule's daily weights (baselines). */
  readonly keepsDaily: boolean;
  /**
   * Whether the score can change with the window's position alone, with the same incidents in it
   * (a baseline that moves with the window); otherwise it changes only when incidents come or go.
   */
  readonly positional: boolean;
  /**
   * The key an incident is summed under and what is summed (its weight or 1), or undefined when the
   * kind does not count the incident at all (e.g. a mirror incident on neither side).
   */
  key(rule: R, event: WindowEvent, zone: Zone): { readonly key: string | null; readonly amount: 'weight' | 'count' } | undefined;
  score(rule: R, view: ScoreView): number;
  /**
   * An upper bound of `score` from the window's aggregate alone, for kinds whose score costs more
   * than that: a window whose bound is below the lowest level is scored no further (its level is
   * none either way).
   */
  scoreBound?(rule: R, view: ScoreView): number;
  /**
   * The scores of a window as its buckets (`bucketsAt`, oldest first) leave it one by one, with
   * none entering: element i once buckets 0..i have left. What RuleScores.stepsDown asks to find
   * when a level falls; for kinds whose score reads the buckets in order, one pass over them costs
   * what a single score does, where scoring after each departure would cost one per bucket.
   */
  scoresAsBucketsLeave?(rule: R, buckets: readonly Agg[]): number[];
  /**
   * What one bucket can add to a window's score at most: summed over a span's buckets, it bounds
   * the score of every window within the span. Absent for kinds scored against a baseline that
   * moves with the window. Lets a late incident that cannot raise any window of its span to LOW
   * be passed over without scoring each.
   */
  bucketBound?(rule: R, bucket: Agg, zone: Zone): number;
}

/** The silent-feed kind: arrival time, per feed, no windows of incidents. */
export interface SilenceKindSpec extends RuleKindSpecBase {
  readonly family: 'silence';
}

export type RuleKindSpec = WindowKindSpec | SilenceKindSpec;

/** Up to two decimals, with the reader's decimal separator. */
export const formatNumber = (n: number, lang: 'en' | 'fr'): string => {
  const text = String(Math.round(n * 100) / 100);
  return lang === 'fr' ? text.replace('.', ',') : text;
};

/** "1 incident", "7 incidents" in both languages (the nouns used here take an s in both). */
export const countText = (n: number, en: string, fr: string): Text =>
  // French takes the singular below 2 ("0 incident", "1,5 incident"), English only for 1.
  ({ en: `${formatNumber(n, 'en')} ${en}${n === 1 ? '' : 's'}`, fr: `${formatNumber(n, 'fr')} ${fr}${Math.abs(n) < 2 ? '' : 's'}` });
