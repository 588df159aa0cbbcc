import { ALERT_LEVELS, type AlertStatus, type RegionalAlert } from '@vigie/contracts';
import { maxTlpRank, mergeAgg, type Agg } from './aggregate';
import { buildVersion, tlpOfRank, type Evidence } from './alert-content';
import { evidenceMoved, isActive, mostRestrictiveTlp } from './alert-state';
import { heldLevel, lastAtLeast, recordSupport, type LevelStep } from './hysteresis';
import { PositionMemo } from './position-memo';
import { levelIndexFor, type WindowRule } from './rule';
import { windowKindOf, type ScoreView } from './rule-kinds';
import { bucketOf, windowBounds, type RuleWindow } from './rule-window';
import type { RuleRecord } from './zone-record';
import { countedWeight, type RuleTouch, type ZoneRuntime } from './zone-runtime';

/** A window rule in one zone at one evaluation: scores at any position, memoised (exported for its spec). */
export class RuleScores {
  private readonly levels: PositionMemo;
  readonly spec;
  readonly size: number;
  private readonly window: RuleWindow;
  private readonly record: RuleRecord;
  /** The days last totalled: the positions of a day share their baseline, so a run of them sums it once. */
  private lastTotal = { from: NaN, to: NaN, weight: 0 };
  /** One closure for every view: scoring a run of positions allocates no more than the views. */
  private readonly dailyTotal = (from: number, to: number): number => {
    if (from !== this.lastTotal.from || to !== this.lastTotal.to) {
      let weight = 0;
      for (let day = from; day < to; day++) weight += this.record.daily[String(day)] ?? 0;
      this.lastTotal = { from, to, weight };
    }
    return this.lastTotal.weight;
  };

  constructor(
    readonly zone: ZoneRuntime,
    readonly rule: WindowRule,
  ) {
    this.spec = windowKindOf(rule);
    this.size = rule.windowMs / rule.resolutionMs;
    this.window = zone.windowOf(rule);
    this.record = zone.ruleRecord(rule.id);
    // Around the zone's clock: what an evaluation scores lies within a lateness and a window of it.
    const clock = zone.record.clock;
    this.levels = new PositionMemo(clock === null ? 0 : bucketOf(clock, rule.resolutionMs));
  }

  view(position: number, agg?: Agg): ScoreView {
    return { zone: this.zone.zone, window: this.window, position, agg: agg ?? this.window.aggAt(position), dailyTotal: this.dailyTotal, dailySince: this.record.since ?? null };
  }

  score(position: number, agg?: Agg): number {
    return this.spec.score(this.rule, this.view(position, agg));
  }

  /** The level at `position`, memoised; `agg`, when given, is the window's aggregate there (spares rebuilding it). */
  level(position: number, agg?: Agg): number {
    let level = this.levels.get(position);
    if (level === undefined) {
      const view = this.view(position, agg);
      const bound = this.spec.scoreBound?.(this.rule, view);
      // Thresholds rise with the level (parse-rules checks it): below LOW, no level.
      level = bound !== undefined && bound < this.rule.levels.LOW ? -1 : levelIndexFor(this.spec.score(this.rule, view), this.rule.levels);
      this.levels.set(position, level);
    }
    return level;
  }

  /**
   * Levels of consecutive positions, the window slid bucket by bucket rather than rebuilt at each.
   * Unless the kind is positional, a level changes only where a bucket enters or leaves: it is
   * scored there only, and carried over the positions between.
   */
  levelsFrom(from: number, to: number): void {
    if (to - from < 2) return;
    const window = this.window;
    const carries = !this.spec.positional;
    if (window.at !== null && to <= window.at && window.isNear(from)) {
      // Up to the current position (an incident just added behind it): walked back from the
      // current window, each bucket between merged once rather than twice.
      const back = window.freshAggAt(to);
      let level = this.level(to, back);
      for (let j = to - 1; j >= from; j--) {
        const moved = window.slideBack(back, j + 1);
        level = carries && !moved ? this.carry(j, level) : this.level(j, back);
      }
      return;
    }
    const agg = window.freshAggAt(from);
    let level = this.level(from, agg);
    for (let j = from + 1; j <= to; j++) {
      const moved = window.slide(agg, j);
      level = carries && !moved ? this.carry(j, level) : this.level(j, agg);
    }
  }

  /** Memoises at `position` the level of the position next to it, the window there holding the same buckets. */
  private carry(position: number, level: number): number {
    if (this.levels.get(position) === undefined) this.levels.set(position, level);
    return level;
  }

  /**
   * The level over [from, to] when no incident enters the window after `from` (positions the zone
   * has not reached, or passed with no incident): it changes only where a bucket leaves the window,
   * so it is scored there only, as a list of steps. Positional kinds (baselines) are scored at every
   * position. The steps end with the first below `floor` (levels below it are not asked for).
   */
  stepsDown(from: number, to: number, floor = 0): LevelStep[] {
    if (this.spec.positional) {
      this.levelsFrom(from, to);
      const steps: [number, number][] = [];
      for (let j = from; j <= to; j++) if (steps.length === 0 || steps[steps.length - 1]![1] !== this.level(j)) steps.push([j, this.level(j)]);
      return steps;
    }
    const window = this.window;
    const rule = this.rule;
    // Kinds that score every departure in one pass only need the buckets; others score the window
    // after each departure, reading the buckets lazily and often stopping early.
    const scoresLeft = this.spec.scoresAsBucketsLeave?.(rule, window.bucketsAt(from));
    const agg = scoresLeft ? null : window.freshAggAt(from);
    const steps: [number, number][] = [[from, this.level(from, agg ?? undefined)]];
    if (steps[0]![1] < floor) return steps;
    let departed = 0;
    window.eachBucketAt(from, (bucket, leaving) => {
      const at = bucket + this.size;
      if (at > to) return false;
      let score: number;
      if (agg) {
        mergeAgg(agg, leaving, -1);
        score = this.spec.score(rule, this.view(at, agg));
      } else {
        score = (scoresLeft as number[])[departed++] as number;
      }
      const level = levelIndexFor(score, rule.levels);
      if (level !== steps[steps.length - 1]![1]) steps.push([at, level]);
      return level >= floor;
    });
    return steps;
  }

  /**
   * Whether some window at `from` … `to` may reach LOW; false is certain. The kind's bucket bounds,
   * summed over every bucket those windows hold, bound their scores; without them, every window may.
   */
  mayReachLow(from: number, to: number): boolean {
    if (from > to) return false;
    const bound = this.spec.bucketBound;
    if (!bound) return true;
    const low = this.rule.levels.LOW;
    let sum = 0;
    this.window.eachBucketIn(from - this.size + 1, to, (_, bucket) => (sum += bound(this.rule, bucket, this.zone.zone)) < low);
    return sum >= low;
  }

  evidence(position: number): Evidence {
    const window = windowBounds(position, this.size, this.rule.resolutionMs);
    const contributors = [];
    for (const event of this.zone.eventsBetween(window.startAt, window.endAt)) {
      const weight = countedWeight(this.rule, event, this.zone.zone);
      if (weight !== null) contributors.push({ event, weight });
    }
    return { window, score: this.score(position), contributors, digest: this.window.aggAt(position).digest, sealed: this.window.sealedAt(position) };
  }
}

/**
 * Hysteresis supports of the positions before `position`, after the zone's clock moved to it and
 * `touch` changed the aggregates (see hysteresis.ts). Between two evaluations with no new incident a window only
 * loses incidents, so levels do not rise: a binary search finds how long each level lasted. An
 * incident added in the past raises the levels of the positions after it; one taken out
 * (revision, retraction) can lower them, so the dwell's positions are scored again.
 */
function updateSupports(scores: RuleScores, supports: (number | null)[], anchor: number | null, position: number, dwell: number, touch: RuleTouch | null): void {
  const first = position - dwell + 1;
  const earliest = touch && touch.buckets.length ? Math.min(...touch.buckets) : position;
  if (touch?.removed) {
    supports.fill(null);
    scores.levelsFrom(first, position - 1);
    for (let j = first; j < position; j++) recordSupport(supports, scores.level(j), j);
  } else {
    // From the anchor on, not just the dwell: where LOW was last reached also says where an episode
    // ended. Levels do not rise after the anchor (unless the kind is positional), so if the anchor
    // itself did not reach LOW, none did.
    const lo = anchor === null ? position : anchor + 1;
    if (lo < position && (supports[0] === anchor || scores.spec.positional)) {
      const steps = scores.stepsDown(lo, position - 1);
      supports.forEach((at, i) => {
        if ((at ?? -Infinity) >= position - 1) return;
        const last = lastAtLeast(steps, i, position - 1);
        if (last !== null) recordSupport(supports, i, last);
      });
    }
    scores.levelsFrom(Math.max(earliest, first), position - 1);
    for (let j = Math.max(earliest, first); j < position; j++) recordSupport(supports, scores.level(j), j);
  }
}

/**
 * A newer burst late evidence completes: the first window reaching LOW, the last known to (its
 * support), and where its dwell ended (null: the burst is still going).
 */
type Burst = { readonly first: number; readonly last: number; readonly resolved: number | null };

/** What late evidence does to an alert that has ended (see lateEpisode). */
type LateEpisode =
  /** `end` null: the episode is still going; `newer`, a burst after the new end. */
  | { readonly kind: 'extended'; readonly end: number | null; readonly newer: Burst | null }
  | ({ readonly kind: 'past' } & Burst)
  | { readonly kind: 'amended'; readonly end: number };

/**
 * A late incident can change episodes an in-order run would have seen differently, and the alert
 * ends up where an in-order run would have:
 * - it extends the alert's last episode (a window reached LOW again within the dwell of its
 *   last one): the episode ends later (a new RESOLVED there), or not yet (the alert is on again);
 * - it completes a newer burst, after the last episode or its new end: published as the FIRING of
 *   the first window that reached LOW and, if it would have cooled by now, the RESOLVED where its
 *   dwell ended (else the alert is on);
 * - it falls in the window the alert ended with: that evidence is amended (when it moved).
 * Episodes older than the alert's last one change nothing: they would not be its last word either.
 */
function lateEpisode(scores: RuleScores, touch: RuleTouch, position: number, dwell: number): LateEpisode | null {
  const rec = scores.zone.ruleRecord(scores.rule.id);
  if (touch.removed || isActive(rec.alert)) return null;
  const from = Math.min(...touch.buckets);
  const to = Math.min(from + scores.size - 1, position);
  const lastEnd = rec.alert?.episodeTo ?? null;
  // Only windows from the last episode's dwell on can extend it or make a newer one; often none
  // of them can reach LOW, and none is scored.
  const start = lastEnd === null ? from : Math.max(from, lastEnd - dwell + 1);
  if (scores.mayReachLow(start, to)) {
    scores.levelsFrom(start, to);
    if (lastEnd !== null) {
      // A resolution at P ends the episode because the dwell passed (a timer at P, before any
      // incident of bucket P in order): a window at P reaching LOW begins a new episode. A
      // retraction ends it at P because it took P's own support away: that window reaching LOW
      // again (the retraction undone) means the episode never ended, so it is looked at too.
      // Once the episode is extended, so is the window its new end would be at: in order that end
      // shows the window without its own incidents, then a new episode fires with them; late, an
      // end there could only show them, at LOW. The episode goes on through it instead, and ends
      // where the in-order one after it does.
      const retracted = rec.alert?.status === 'RETRACTED';
      let low = lastEnd - dwell;
      for (let j = start; j <= to && j < low + dwell + (retracted || low > lastEnd - dwell ? 1 : 0); j++) if (scores.level(j) >= 0) low = j;
      if (low > lastEnd - dwell) {
        if (low + dwell > position) return { kind: 'extended', end: null, newer: null };
        return { kind: 'extended', end: low + dwell, newer: newerBurst(scores, Math.max(from, low + dwell), Math.min(to, position - dwell), dwell) };
      }
    }
    // From the window the alert ended with: if it reaches LOW, it begins a new episode (see above).
    const burst = newerBurst(scores, Math.max(from, lastEnd ?? -Infinity), Math.min(to, position - dwell), dwell);
    if (burst) return { kind: 'past', ...burst };
  }
  if (lastEnd === null || from > lastEnd || from <= lastEnd - scores.size) return null;
  // The window the alert ended with reaching LOW now begins a new episode there (a resolution at P
  // comes before P's incidents in order): an end is not amended to evidence that reaches LOW.
  return scores.level(lastEnd) >= 0 ? null : { kind: 'amended', end: lastEnd };
}

/**
 * The burst the windows at `from` … `to` (at most the current position − dwell) show: the first
 * reaching LOW, and where the dwell of the last ended, or null if none does.
 */
function newerBurst(scores: RuleScores, from: number, to: number, dwell: number): Burst | null {
  let first: number | null = null;
  let last: number | null = null;
  for (let j = from; j <= to; j++) {
    if (scores.level(j) < 0) continue;
    first ??= j;
    last = j;
  }
  if (first === null || last === null) return null;
  // The loop stops at position − dwell: a window after `last` reaching LOW again, up to the end it
  // would have (at most the current position), means the burst is still going (the level holds at
  // the current position, or an end there would show evidence at LOW): the alert is on, as in
  // order, and the evaluation ends it when its dwell has passed.
  for (let j = last + dwell; j > last; j--) if (scores.level(j) >= 0) return { first, last: j, resolved: null };
  return { first, last, resolved: last + dwell };
}

/** The position from which the level may fall without new incidents (its support ends and the dwell passes). */
function duePosition(scores: RuleScores, supports: readonly (number | null)[], position: number, level: number, dwell: number): number | null {
  if (level < 0) return null;
  // Only where the level first falls below `level` matters: the search stops there.
  const reached = lastAtLeast(scores.stepsDown(position, position + scores.size - 1, level), level, position + scores.size - 1);
  return Math.max(supports[level] ?? -Infinity, reached ?? -Infinity) + dwell;
}

/**
 * Evaluates one window rule in a zone at the zone's clock, after `touch` (null: a timer) and
 * returns the alert versions to publish, updating the rule's record. Versions: FIRING when a
 * level is first held; UPDATED when the level changes or the evidence moved (evidenceMoved);
 * RESOLVED when no level is held any more; RETRACTED when a retraction took the last support away.
 */
export function evaluateWindowRule(zone: ZoneRuntime, rule: WindowRule, touch: RuleTouch | null, now: number): RegionalAlert[] {
  const clock = zone.record.clock;
  if (clock === null) return [];
  const rec = zone.ruleRecord(rule.id);
  const position = bucketOf(clock, rule.resolutionMs);
  // Neither the rule's incidents nor its window position moved: nothing can have changed.
  if (touch === null && position === rec.anchor && (rec.due === null || rec.due > clock)) return [];
  const scores = new RuleScores(zone, rule);
  const window = zone.windowOf(rule);
  window.moveTo(position);
  const dwell = Math.max(1, Math.ceil(rule.dwellMs / rule.resolutionMs));
  const alerts: RegionalAlert[] = [];
  // A held level shows the evidence of the last window that reached it, not the quieter current one.
  const publish = (status: AlertStatus, levelIndex: number, at: number, held: boolean): void => {
    const evidenceAt = held ? (rec.support[levelIndex] ?? at) : at;
    const { alert, state } = buildVersion({ zone: zone.zone, rule, status, levelIndex, held, previous: rec.alert, evidence: scores.evidence(evidenceAt), position: at, now });
    rec.alert = state;
    alerts.push(alert);
  };

  const late = touch && touch.buckets.length > 0 ? lateEpisode(scores, touch, position, dwell) : null;
  if (late?.kind === 'extended' && late.end !== null) publish('RESOLVED', -1, late.end, false);
  const burst = late?.kind === 'past' ? late : late?.kind === 'extended' ? late.newer : null;
  if (burst) {
    publish('FIRING', scores.level(burst.first), burst.first, false);
    if (burst.resolved !== null) publish('RESOLVED', -1, burst.resolved, false);
  } else if (late?.kind === 'amended' && rec.alert) {
    const agg = window.aggAt(late.end);
    const touchedListed = touch !== null && rec.alert.listed.includes(touch.eventId);
    if (evidenceMoved(rec.alert, { tlp: mostRestrictiveTlp([tlpOfRank(maxTlpRank(agg))], rec.alert.tlp), countries: agg.countries, count: agg.n, digest: agg.digest }, touchedListed)) {
      publish(rec.alert.status, -1, late.end, false);
    }
  }

  const anchor = rec.anchor;
  const levelBefore = anchor === null ? -1 : heldLevel(rec.support, anchor, dwell);
  updateSupports(scores, rec.support, anchor, position, dwell, touch);
  // A burst a late incident showed to be still going is supported where it last reached LOW
  // (perhaps the current position), not where an older episode did: that would end it at once.
  if (burst?.resolved === null) recordSupport(rec.support, scores.level(burst.last), burst.last);
  // The clock may jump past the end of an episode (the zone's next incident, the watermark): the
  // end is published at its own position, with the evidence there, as a timer on time would have.
  const lastLow = rec.support[0] ?? null;
  if (isActive(rec.alert) && !touch?.removed && lastLow !== null && lastLow + dwell <= position) publish('RESOLVED', -1, lastLow + dwell, false);
  recordSupport(rec.support, scores.level(position), position);
  rec.anchor = position;
  const level = heldLevel(rec.support, position, dwell);
  const raw = scores.level(position);
  const previous = rec.alert;
  if (previous === null || !isActive(previous)) {
    // An episode a late incident showed to be still going on was never over: the alert is on again.
    // One it extended to an end that has passed is over: a level held now is a new episode.
    if (level >= 0) publish(late?.kind === 'extended' && late.end === null ? 'UPDATED' : 'FIRING', level, position, level > raw);
  } else if (level < 0) {
    publish(touch?.retraction ? 'RETRACTED' : 'RESOLVED', -1, position, false);
  } else {
    const agg = window.window;
    const touchedListed = touch !== null && touch.removed && previous.listed.includes(touch.eventId);
    const current = { tlp: tlpOfRank(maxTlpRank(agg)), countries: agg.countries, count: agg.n, digest: agg.digest };
    if (ALERT_LEVELS[level] !== previous.level || evidenceMoved(previous, current, touchedListed)) publish('UPDATED', level, position, level > raw);
  }
  // New incidents at the same position only make the level last longer: a timer set earlier fires
  // early at worst, and is set again then. This spares the search on every incident of a busy zone.
  // With no incident added, revised or retracted since a search found the due (no touch), the
  // window has only lost the incidents that search saw leave: it would find the same due again.
  // Not after a due was kept at the same position (it may be early, and an evaluation at an early
  // timer can publish), nor for kinds whose scores depend on the position itself.
  const unchanged = touch === null ? zone.dueSearched.has(rule.id) && !scores.spec.positional : anchor === position && !touch.removed;
  if (level === levelBefore && unchanged && rec.due !== null && rec.due > clock) {
    if (touch !== null) zone.dueSearched.delete(rule.id);
  } else {
    const due = duePosition(scores, rec.support, position, level, dwell);
    rec.due = due === null ? null : due * rule.resolutionMs;
    zone.dueSearched.add(rule.id);
  }
  zone.recordChanged = true;
  return alerts;
}
