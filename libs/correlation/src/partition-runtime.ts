import type { RegionalAlert, ZoneKind } from '@vigie/contracts';
import { nextOutbox, wasRoutedLate, type AlertOutbox, type BatchSpan } from './alert-outbox';
import type { PartitionCommit, PartitionSnapshot } from './correlation-store';
import { recordArrival, evaluateSilence } from './silence-evaluation';
import { TimerHeap } from './timer-heap';
import type { WindowRule } from './rule';
import type { RuleWindow } from './rule-window';
import type { SealedBucket } from './sealed-bucket';
import type { WindowEvent } from './window-event';
import { evaluateWindowRule } from './window-evaluation';
import { DEFAULT_ZONE_DETAIL_LIMIT, ZoneRuntime, type RuleTouch, type ZoneRules } from './zone-runtime';
import type { Zone } from './zone';
import type { ZoneRecord } from './zone-record';

export interface CorrelationSettings {
  /** Incidents that occurred more than this before the partition's watermark are late. */
  readonly allowedLatenessMs: number;
  readonly rulesFor: (kind: ZoneKind) => ZoneRules;
  /** The zone a stored zone key names (undefined: no longer in the reference; its state is dropped). */
  readonly zoneOf: (zoneKey: string) => Zone | undefined;
  /** Incidents a zone holds in detail before it seals the oldest (default DEFAULT_ZONE_DETAIL_LIMIT). */
  readonly zoneDetailLimit?: number;
}

/** One message of a batch: its offset, and its incident copy when it decoded. */
export interface BatchEntry {
  readonly offset: number;
  readonly incident: { readonly zone: Zone; readonly event: WindowEvent } | null;
}

/**
 * applied; replayed (at or before the last offset applied: a re-read after a crash or rebalance);
 * stale (an older or equal revision than the one kept); late (beyond the allowed lateness: routed,
 * not applied); ignored (undecodable, or a zone no rule watches).
 */
export type EntryStatus = 'applied' | 'replayed' | 'stale' | 'late' | 'ignored';

export interface BatchResult {
  readonly statuses: EntryStatus[];
  /** Versions to publish, in order: those a replay must re-emit, then the batch's new ones. */
  readonly alerts: readonly RegionalAlert[];
  /**
   * For each alert, the partition's arrival watermark (the latest ingestedAt read, on ingest's
   * clock) when it was evaluated: a rebuild evaluates it again at the same watermark, and its first
   * evaluation came after ingest accepted that report, so the version cannot have been delivered
   * before it. Null when unknown (re-emitted from an outbox stored before arrivals were kept).
   */
  readonly arrivals: readonly (number | null)[];
  /** What to write, or null when the batch changed nothing (a pure replay). */
  readonly commit: PartitionCommit | null;
  /** Incidents the batch sealed (see sealed-bucket.ts). */
  readonly sealed: number;
}

/** How far back a zone's rules reach from its clock, in event time: what eviction must keep. */
interface Reach {
  /** Longest window plus one step. */
  readonly window: number;
  readonly dwell: number;
  /** Longest spike baseline (0: none). */
  readonly baseline: number;
}

const reachOf = (rules: readonly WindowRule[]): Reach => ({
  window: Math.max(0, ...rules.map((r) => r.windowMs + r.resolutionMs)),
  dwell: Math.max(0, ...rules.map((r) => r.dwellMs)),
  baseline: Math.max(0, ...rules.map((r) => (r.kind === 'spike' ? r.baselineMs : 0))),
});

/** The earliest due of the rules' records (null: none). */
function minDue(rules: readonly { readonly id: string }[], record: ZoneRecord): number | null {
  let min: number | null = null;
  for (const rule of rules) {
    const due = record.rules[rule.id]?.due ?? null;
    if (due !== null && (min === null || due < min)) min = due;
  }
  return min;
}

/**
 * The correlation of one input partition, in memory between batches (its owner loads it once and
 * commits each batch's changes). Everything happens message by message in offset order, with
 * clocks read from the messages themselves — the event-time watermark, the arrival watermark and
 * zone clocks — and timers fired as those clocks pass them. So the alert versions are a function
 * of the partition's messages alone: not of how they were cut into batches, nor of crashes,
 * restarts or rebalances in between.
 */
export class PartitionRuntime {
  private seq: number;
  private through: number;
  private watermark: number | null;
  private arrival: number | null;
  private outbox: AlertOutbox | null;
  readonly zones = new Map<string, ZoneRuntime>();
  private readonly eventTimers = new TimerHeap();
  private readonly arrivalTimers = new TimerHeap();
  private readonly changedZones = new Set<string>();
  /** Per set of zone rules (one per zone kind): computed once. */
  private readonly reaches = new Map<ZoneRules, Reach>();

  constructor(
    readonly partition: number,
    private readonly settings: CorrelationSettings,
    snapshot: PartitionSnapshot | null = null,
  ) {
    this.seq = snapshot?.seq ?? 0;
    this.through = snapshot?.through ?? -1;
    this.watermark = snapshot?.watermark ?? null;
    this.arrival = snapshot?.arrival ?? null;
    this.outbox = snapshot?.outbox ?? null;
    for (const stored of snapshot?.zones ?? []) {
      const zone = settings.zoneOf(stored.zoneKey);
      if (!zone) continue;
      const runtime = new ZoneRuntime(zone, settings.rulesFor(zone.kind), stored.record, stored.events, stored.sealed, this.detailLimit);
      runtime.forgetRemovedRules();
      this.zones.set(stored.zoneKey, runtime);
      this.armTimers(runtime);
    }
  }

  private get detailLimit(): number {
    return this.settings.zoneDetailLimit ?? DEFAULT_ZONE_DETAIL_LIMIT;
  }

  /** Incidents its zones hold in detail. */
  get heldIncidents(): number {
    let held = 0;
    for (const zone of this.zones.values()) held += zone.events.size;
    return held;
  }

  /** Last input offset applied (-1: none). */
  get lastOffset(): number {
    return this.through;
  }

  correlate(entries: readonly BatchEntry[], now: number): BatchResult {
    const statuses: EntryStatus[] = [];
    const fresh: RegionalAlert[] = [];
    const freshArrivals: (number | null)[] = [];
    const before = this.through;
    for (const entry of entries) {
      statuses.push(this.process(entry, fresh, now));
      while (freshArrivals.length < fresh.length) freshArrivals.push(this.arrival);
    }
    if (entries.length === 0) return { statuses, alerts: [], arrivals: [], commit: null, sealed: 0 };
    const span: BatchSpan = { partition: this.partition, firstOffset: entries[0]!.offset, lastOffset: entries[entries.length - 1]!.offset };
    const late = entries.filter((e, i) => statuses[i] === 'late' && e.offset > before).map((e) => e.offset);
    this.outbox = nextOutbox(this.outbox, fresh, freshArrivals, span, late);
    const alerts = this.outbox?.alerts ?? [];
    const arrivals = this.outbox?.arrivals ?? [];
    let sealed = 0;
    for (const key of this.changedZones) sealed += (this.zones.get(key) as ZoneRuntime).sealedSinceCommit;
    return { statuses, alerts, arrivals, commit: this.through === before ? null : this.commitOf(), sealed };
  }

  /** The commit of `correlate` was written: what it changed is now the stored state. */
  committed(): void {
    this.seq += 1;
    for (const key of this.changedZones) (this.zones.get(key) as ZoneRuntime).committed();
    this.changedZones.clear();
  }

  private process(entry: BatchEntry, fresh: RegionalAlert[], now: number): EntryStatus {
    // A replay routes again what the replayed batch routed: its outputs may not have reached Kafka.
    if (entry.offset <= this.through) return wasRoutedLate(this.outbox, entry.offset) ? 'late' : 'replayed';
    this.through = entry.offset;
    if (!entry.incident) return 'ignored';
    const { zone, event } = entry.incident;
    this.watermark = Math.max(this.watermark ?? event.occurredAt, event.occurredAt);
    this.arrival = Math.max(this.arrival ?? event.ingestedAt, event.ingestedAt);
    this.fireTimers(fresh, now);
    const rules = this.settings.rulesFor(zone.kind);
    if (rules.window.length === 0 && rules.silence.length === 0) return 'ignored';
    const runtime = this.zoneRuntime(zone);
    recordArrival(runtime, event);
    let status: EntryStatus;
    // Beyond the lateness, or before what the zone has sealed (it no longer holds those incidents).
    if (event.occurredAt < Math.max(this.watermark - this.settings.allowedLatenessMs, runtime.sealedBefore)) {
      status = 'late';
    } else {
      const result = runtime.apply(event);
      status = result.status;
      if (result.status === 'applied') this.evaluateWindows(runtime, result.touches, fresh, now);
    }
    if (event.sourceCountry === zone.id) for (const rule of runtime.rules.silence) fresh.push(...evaluateSilence(runtime, rule, this.arrival, now));
    this.settle(runtime);
    // A zone whose clock lags the watermark may now be due already: at once, not at the next message.
    this.fireTimers(fresh, now);
    return status;
  }

  private evaluateWindows(runtime: ZoneRuntime, touches: ReadonlyMap<string, RuleTouch> | null, fresh: RegionalAlert[], now: number): void {
    for (const rule of runtime.rules.window) fresh.push(...evaluateWindowRule(runtime, rule, touches?.get(rule.id) ?? null, now));
  }

  /** Evaluates the zones whose timers the watermarks have passed, each at its timer's time. */
  private fireTimers(fresh: RegionalAlert[], now: number): void {
    for (let due = this.eventTimers.popDue(this.watermark ?? -Infinity); due; due = this.eventTimers.popDue(this.watermark ?? -Infinity)) {
      const runtime = this.zones.get(due.zoneKey) as ZoneRuntime;
      runtime.advanceClock(due.due);
      this.evaluateWindows(runtime, null, fresh, now);
      this.settle(runtime);
    }
    for (let due = this.arrivalTimers.popDue(this.arrival ?? -Infinity); due; due = this.arrivalTimers.popDue(this.arrival ?? -Infinity)) {
      const runtime = this.zones.get(due.zoneKey) as ZoneRuntime;
      for (const rule of runtime.rules.silence) fresh.push(...evaluateSilence(runtime, rule, due.due, now));
      this.settle(runtime);
    }
  }

  private zoneRuntime(zone: Zone): ZoneRuntime {
    const key = `${zone.kind}:${zone.id}`;
    let runtime = this.zones.get(key);
    if (!runtime) this.zones.set(key, (runtime = new ZoneRuntime(zone, this.settings.rulesFor(zone.kind), undefined, [], [], this.detailLimit)));
    return runtime;
  }

  /** After a zone changed: its timers, its eviction, and its place in the next commit. */
  private settle(runtime: ZoneRuntime): void {
    this.armTimers(runtime);
    const clock = runtime.record.clock;
    if (clock !== null && this.watermark !== null) {
      let reach = this.reaches.get(runtime.rules);
      if (!reach) this.reaches.set(runtime.rules, (reach = reachOf(runtime.rules.window)));
      const before = Math.min(this.watermark - this.settings.allowedLatenessMs, clock - reach.dwell) - reach.window;
      runtime.evictBefore(before, before - reach.baseline);
    }
    this.changedZones.add(runtime.key);
  }

  private armTimers(runtime: ZoneRuntime): void {
    this.eventTimers.set(runtime.key, minDue(runtime.rules.window, runtime.record));
    this.arrivalTimers.set(runtime.key, minDue(runtime.rules.silence, runtime.record));
  }

  private commitOf(): PartitionCommit {
    const zones: PartitionCommit['zones'][number][] = [];
    const setEvents: PartitionCommit['setEvents'][number][] = [];
    const deleteEvents: PartitionCommit['deleteEvents'][number][] = [];
    const setSealed: PartitionCommit['setSealed'][number][] = [];
    const deleteSealed: PartitionCommit['deleteSealed'][number][] = [];
    for (const key of this.changedZones) {
      const zone = this.zones.get(key) as ZoneRuntime;
      const alertsChanged = zone.alertsChanged();
      if (zone.recordChanged || alertsChanged.length > 0) zones.push({ zoneKey: key, record: zone.record, alertsChanged });
      for (const id of zone.changedEvents) setEvents.push({ zoneKey: key, event: zone.events.get(id) as WindowEvent });
      for (const id of zone.deletedEvents) deleteEvents.push({ zoneKey: key, eventId: id });
      for (const [ruleId, buckets] of zone.changedSealed) {
        const window = zone.windows.get(ruleId) as RuleWindow;
        for (const bucket of buckets) setSealed.push({ zoneKey: key, ruleId, bucket, sealed: window.sealedBucket(bucket) as SealedBucket });
      }
      for (const [ruleId, buckets] of zone.deletedSealed) for (const bucket of buckets) deleteSealed.push({ zoneKey: key, ruleId, bucket });
    }
    return {
      partition: this.partition,
      expectedSeq: this.seq,
      meta: { seq: this.seq + 1, through: this.through, watermark: this.watermark, arrival: this.arrival, outbox: this.outbox },
      zones,
      setEvents,
      deleteEvents,
      setSealed,
      deleteSealed,
    };
  }
}
