import { TLP_LEVELS } from '@vigie/contracts';
import { evidenceHash, type Contribution } from './aggregate';
import type { AlertState } from './alert-state';
import { type SilentFeedRule, type WindowRule } from './rule';
import { DAY_MS, windowKindOf, type WindowKindSpec } from './rule-kinds';
import { bucketOf, RuleWindow } from './rule-window';
import type { SealedBucket } from './sealed-bucket';
import { isRetracted, type WindowEvent } from './window-event';
import { weightsOf } from './weights';
import { emptyRuleRecord, emptyZoneRecord, type RuleRecord, type ZoneRecord } from './zone-record';
import { zoneKeyOf, type Zone } from './zone';

/** The rules watching a zone, split by clock. */
export interface ZoneRules {
  readonly window: readonly WindowRule[];
  readonly silence: readonly SilentFeedRule[];
}

/** How one applied report changed one rule's aggregates. */
export interface RuleTouch {
  readonly eventId: string;
  /** Buckets whose aggregates changed (its previous and its new contribution). */
  readonly buckets: readonly number[];
  /** An earlier contribution of the incident was taken out (revision or retraction). */
  readonly removed: boolean;
  /** The report is a retraction of an incident the rule counted. */
  readonly retraction: boolean;
}

/** A sealed bucket as stored: which rule's, which bucket. */
export interface StoredSealed {
  readonly ruleId: string;
  readonly bucket: number;
  readonly sealed: SealedBucket;
}

/** Incidents a zone holds in detail by default (see sealed-bucket.ts); older ones are sealed. */
export const DEFAULT_ZONE_DETAIL_LIMIT = 1_000;

export type ApplyResult = { readonly status: 'stale' } | { readonly status: 'applied'; readonly touches: ReadonlyMap<string, RuleTouch> };

const dayOf = (time: number): number => Math.floor(time / DAY_MS);

/**
 * How many of `held` (sorted by occurrence) to seal, about `target`, so that the first incident
 * kept occurred strictly after the last sealed: the cut moves back over incidents that share the
 * first kept one's time, or, when they reach back to the oldest, forward past that time; 0 when
 * every incident shares one time.
 */
function sealCut(held: readonly WindowEvent[], target: number): number {
  const timeAt = (i: number): number => (held[i] as WindowEvent).occurredAt;
  const boundary = timeAt(target);
  let count = target;
  while (count > 0 && timeAt(count - 1) === boundary) count--;
  if (count > 0) return count;
  count = target;
  while (count < held.length && timeAt(count) === boundary) count++;
  return count < held.length ? count : 0;
}

/** The key the rule sums an incident under in this zone, or undefined when the rule does not count it. */
function keyOf(rule: WindowRule, event: WindowEvent, zone: Zone): ReturnType<WindowKindSpec['key']> {
  if (isRetracted(event) || (rule.categories.length > 0 && !rule.categories.includes(event.category))) return undefined;
  return windowKindOf(rule).key(rule, event, zone);
}

/** The weight (milli) an incident counts for in a rule's windows in this zone, or null when the rule does not count it. */
export function countedWeight(rule: WindowRule, event: WindowEvent, zone: Zone): number | null {
  return keyOf(rule, event, zone) ? weightsOf(event, rule.weights).weight : null;
}

/** What an incident adds to a window rule's aggregates in this zone, or null when the rule does not count it. */
export function contributionOf(rule: WindowRule, event: WindowEvent, zone: Zone, digest?: number): Contribution | null {
  const keyed = keyOf(rule, event, zone);
  if (!keyed) return null;
  const { weight, corroborated } = weightsOf(event, rule.weights);
  const uplift = rule.weights?.grading?.corroboration ?? null;
  return {
    digest: digest ?? evidenceHash(event.eventId, event.revision),
    weight,
    corroborated,
    category: event.category,
    source: uplift ? (uplift.distinct === 'feeds' ? event.feedId : event.sourceCountry) : null,
    key: keyed.key,
    keyAmount: keyed.amount === 'weight' ? weight : 1,
    tlpRank: TLP_LEVELS.indexOf(event.tlp),
    country: event.sourceCountry,
  };
}

/**
 * One zone in memory: its incidents (latest revision each), each window rule's bucket aggregates,
 * and its persisted record. It tracks what changed since the last commit, so that a batch writes
 * only its own incidents and the (small) record of the zones it touched.
 *
 * Its state is bounded twice: in event time, by eviction (nothing before the reach of its windows
 * and the allowed lateness), and in count, by the detail limit: beyond it, the oldest incidents
 * are sealed (see sealed-bucket.ts), so a zone flooded within its windows holds aggregates per
 * bucket, not every incident.
 */
export class ZoneRuntime {
  readonly key: string;
  readonly events = new Map<string, WindowEvent>();
  /** Event ids by UTC day of occurrence: eviction, and the incidents of a window for alert text. */
  private readonly days = new Map<number, Set<string>>();
  readonly windows = new Map<string, RuleWindow>();
  readonly changedEvents = new Set<string>();
  readonly deletedEvents = new Set<string>();
  /** Sealed buckets written or dropped since the last commit, by rule id. */
  readonly changedSealed = new Map<string, Set<number>>();
  readonly deletedSealed = new Map<string, Set<number>>();
  recordChanged = false;
  /** Incidents sealed since the last commit (a metric). */
  sealedSinceCommit = 0;
  /**
   * Each rule's alert state as last committed. Stores keep alert states apart from the rest of the
   * record (which changes with every incident) and write them only when they changed; empty after
   * a load, so the first commit of a loaded zone writes its alerts once (whatever the store held).
   */
  private readonly committedAlerts = new Map<string, AlertState | null>();
  /** Rules whose records were dropped since the last commit (no longer configured): the store forgets their alerts. */
  private readonly removedRules = new Set<string>();
  /**
   * Rules whose due the last evaluation found by a search rather than carried over (see
   * evaluateWindowRule). In memory only: after a load none is, and the search runs again, which
   * finds the due a zone that never reloaded carries, so the versions do not depend on reloads.
   */
  readonly dueSearched = new Set<string>();
  /** Days before this one were evicted (no incident can enter them again). */
  private evictedBeforeDay = Number.NEGATIVE_INFINITY;

  constructor(
    readonly zone: Zone,
    readonly rules: ZoneRules,
    readonly record: ZoneRecord = emptyZoneRecord(),
    events: Iterable<WindowEvent> = [],
    sealed: Iterable<StoredSealed> = [],
    private readonly detailLimit = DEFAULT_ZONE_DETAIL_LIMIT,
  ) {
    this.key = zoneKeyOf(zone);
    for (const rule of rules.window) {
      this.windows.set(rule.id, new RuleWindow(rule.windowMs / rule.resolutionMs, rule.weights?.grading?.corroboration != null));
    }
    // Rebuilt from the stored incidents and sealed buckets; daily baselines are stored as they are (they outlive incidents).
    for (const event of events) {
      this.index(event);
      for (const rule of rules.window) this.contribute(rule, event, 1, false);
    }
    for (const { ruleId, bucket, sealed: stored } of sealed) {
      const rule = rules.window.find((r) => r.id === ruleId);
      if (!rule) {
        mark(this.deletedSealed, ruleId, bucket); // a rule since removed
        continue;
      }
      // A bucket stored under another resolution (the rule was redefined) is kept whole, in the
      // bucket of its latest incident: it leaves the window no earlier than its incidents would.
      const current = bucketOf(stored.last, rule.resolutionMs);
      this.windowOf(rule).restoreSealed(current, stored);
      if (current !== bucket) {
        mark(this.deletedSealed, ruleId, bucket);
        mark(this.changedSealed, ruleId, current);
      }
    }
    for (const [ruleId, buckets] of this.changedSealed) for (const bucket of buckets) this.deletedSealed.get(ruleId)?.delete(bucket);
  }

  /** Incidents before this occurrence time are sealed: the zone cannot take them (new or revised) any more. */
  get sealedBefore(): number {
    return this.record.sealedBefore ?? Number.NEGATIVE_INFINITY;
  }

  ruleRecord(ruleId: string): RuleRecord {
    let record = this.record.rules[ruleId];
    if (!record) this.record.rules[ruleId] = record = emptyRuleRecord();
    return record;
  }

  windowOf(rule: WindowRule): RuleWindow {
    return this.windows.get(rule.id) as RuleWindow;
  }

  /** Moves the event-time clock forward (never back). */
  advanceClock(time: number): void {
    if (this.record.clock === null || time > this.record.clock) {
      this.record.clock = time;
      this.recordChanged = true;
    }
  }

  /** Keeps the latest revision of the incident and moves its contributions; an older or equal revision is stale. */
  apply(event: WindowEvent): ApplyResult {
    const kept = this.events.get(event.eventId);
    if (kept && kept.revision >= event.revision) return { status: 'stale' };
    this.advanceClock(event.occurredAt);
    const touches = new Map<string, RuleTouch>();
    // The same for every rule: hashed once.
    const keptDigest = kept ? evidenceHash(kept.eventId, kept.revision) : 0;
    const digest = evidenceHash(event.eventId, event.revision);
    for (const rule of this.rules.window) {
      const removed = kept ? this.contribute(rule, kept, -1, true, keptDigest) : null;
      const added = this.contribute(rule, event, 1, true, digest);
      if (removed === null && added === null) continue;
      touches.set(rule.id, {
        eventId: event.eventId,
        buckets: [removed, added].filter((b): b is number => b !== null),
        removed: removed !== null,
        retraction: removed !== null && isRetracted(event),
      });
    }
    if (kept) this.unindex(kept);
    this.index(event);
    this.changedEvents.add(event.eventId);
    this.deletedEvents.delete(event.eventId);
    if (this.sealDue()) this.sealOldest();
    return { status: 'applied', touches };
  }

  /** Incidents a seal keeps: about three quarters of the limit (sealing in steps keeps its cost per incident small). */
  private get sealKeeps(): number {
    return Math.max(1, Math.floor((this.detailLimit * 3) / 4));
  }

  /**
   * Over the limit, a seal is tried when the zone first goes over it, then again each time it
   * holds a step (limit − keep) more, should a cut have found nothing to seal. Decided by the
   * number of incidents held alone, which the store keeps: a reloaded zone seals where one that
   * never reloaded does.
   */
  private sealDue(): boolean {
    const over = this.events.size - this.detailLimit;
    return over > 0 && (over - 1) % Math.max(1, this.detailLimit - this.sealKeeps) === 0;
  }

  /**
   * Seals the oldest incidents, down to about three quarters of the limit. The cut falls between
   * two occurrence times, so that one time separates sealed incidents from held ones and a report
   * at a held incident's time is never late. Incidents sharing the newest time are never sealed:
   * when nothing else can be, the zone stays over its limit until newer incidents arrive.
   */
  private sealOldest(): void {
    const held = [...this.events.values()].sort((a, b) => a.occurredAt - b.occurredAt);
    const count = sealCut(held, held.length - this.sealKeeps);
    if (count === 0) return;
    for (let i = 0; i < count; i++) this.seal(held[i] as WindowEvent);
    this.record.sealedBefore = Math.max(this.record.sealedBefore ?? 0, (held[count] as WindowEvent).occurredAt);
    this.recordChanged = true;
  }

  private seal(event: WindowEvent): void {
    const digest = evidenceHash(event.eventId, event.revision);
    for (const rule of this.rules.window) {
      const contribution = contributionOf(rule, event, this.zone, digest);
      if (!contribution) continue;
      const bucket = bucketOf(event.occurredAt, rule.resolutionMs);
      this.windowOf(rule).seal(bucket, contribution, event);
      mark(this.changedSealed, rule.id, bucket);
      this.deletedSealed.get(rule.id)?.delete(bucket);
    }
    this.events.delete(event.eventId);
    this.unindex(event);
    this.changedEvents.delete(event.eventId);
    this.deletedEvents.add(event.eventId);
    this.sealedSinceCommit++;
  }

  /** The zone's incidents that occurred in [from, to), any status. */
  *eventsBetween(from: number, to: number): Generator<WindowEvent> {
    for (let day = dayOf(from); day <= dayOf(to - 1); day++) {
      for (const id of this.days.get(day) ?? []) {
        const event = this.events.get(id) as WindowEvent;
        if (event.occurredAt >= from && event.occurredAt < to) yield event;
      }
    }
  }

  /**
   * Forgets incidents that occurred before `before` (whole days), and the aggregates and baselines
   * no window can reach any more: this is what bounds a zone's state.
   */
  evictBefore(before: number, baselineBefore: number): void {
    const day = dayOf(before);
    if (day <= this.evictedBeforeDay) return;
    this.evictedBeforeDay = day;
    for (const [d, ids] of this.days) {
      if (d >= day) continue;
      for (const id of ids) {
        this.events.delete(id);
        this.changedEvents.delete(id);
        this.deletedEvents.add(id);
      }
      this.days.delete(d);
    }
    for (const rule of this.rules.window) {
      for (const bucket of this.windowOf(rule).evictBefore(bucketOf(before, rule.resolutionMs))) {
        this.changedSealed.get(rule.id)?.delete(bucket);
        mark(this.deletedSealed, rule.id, bucket);
      }
      const daily = this.record.rules[rule.id]?.daily;
      if (!daily) continue;
      for (const d of Object.keys(daily)) {
        if (Number(d) < dayOf(baselineBefore)) {
          delete daily[d];
          this.recordChanged = true;
        }
      }
    }
  }

  /** Adds or removes the incident's contribution to the rule; returns the bucket, or null if the rule does not count it. */
  private contribute(rule: WindowRule, event: WindowEvent, sign: 1 | -1, keepDaily: boolean, digest?: number): number | null {
    const contribution = contributionOf(rule, event, this.zone, digest);
    if (!contribution) return null;
    const bucket = bucketOf(event.occurredAt, rule.resolutionMs);
    this.windowOf(rule).add(bucket, contribution, sign);
    if (keepDaily && windowKindOf(rule).keepsDaily) {
      const record = this.ruleRecord(rule.id);
      const daily = record.daily;
      record.since = Math.min(record.since ?? Infinity, dayOf(event.occurredAt));
      const day = String(dayOf(event.occurredAt));
      const next = (daily[day] ?? 0) + sign * contribution.weight;
      if (next === 0) delete daily[day];
      else daily[day] = next;
      this.recordChanged = true;
    }
    return bucket;
  }

  private index(event: WindowEvent): void {
    this.events.set(event.eventId, event);
    const day = dayOf(event.occurredAt);
    let ids = this.days.get(day);
    if (!ids) this.days.set(day, (ids = new Set()));
    ids.add(event.eventId);
  }

  /**
   * Rules whose alert state changed since the last commit: a new version, or any rule not
   * committed since the zone was loaded, null alert included (a rule removed then added again must
   * overwrite what the store kept of its former alert); and removed rules, which have no record:
   * their stored alert is deleted.
   */
  alertsChanged(): string[] {
    const changed: string[] = [...this.removedRules];
    for (const id in this.record.rules) {
      const alert = (this.record.rules[id] as RuleRecord).alert;
      if (!this.committedAlerts.has(id) || this.committedAlerts.get(id) !== alert) changed.push(id);
    }
    return changed;
  }

  /** Drops the records of rules no longer configured (a loaded zone), and their stored alerts at the next commit. */
  forgetRemovedRules(): void {
    for (const ruleId of Object.keys(this.record.rules)) {
      if ([...this.rules.window, ...this.rules.silence].some((r) => r.id === ruleId)) continue;
      delete this.record.rules[ruleId];
      this.removedRules.add(ruleId);
    }
  }

  /** What the next commit must write: the commit has been written. */
  committed(): void {
    this.removedRules.clear();
    for (const id in this.record.rules) this.committedAlerts.set(id, (this.record.rules[id] as RuleRecord).alert);
    this.changedEvents.clear();
    this.deletedEvents.clear();
    this.changedSealed.clear();
    this.deletedSealed.clear();
    this.recordChanged = false;
    this.sealedSinceCommit = 0;
  }

  private unindex(event: WindowEvent): void {
    const day = dayOf(event.occurredAt);
    const ids = this.days.get(day);
    ids?.delete(event.eventId);
    if (ids?.size === 0) this.days.delete(day);
  }
}

function mark(sets: Map<string, Set<number>>, ruleId: string, bucket: number): void {
  let buckets = sets.get(ruleId);
  if (!buckets) sets.set(ruleId, (buckets = new Set()));
  buckets.add(bucket);
}
