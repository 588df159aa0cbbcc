import { HEADERS, TOPICS, VigieError, ZONE_KINDS, type Codecs, type RegionalAlert, type ValueCodec, type WireSelection, type ZoneKind } from '@vigie/contracts';
import {
  copyIsInZone,
  provisionalZone,
  PartitionRuntime,
  isWindowRule,
  ruleAppliesTo,
  toWindowEvent,
  WINDOW_EVENT_SOURCE_FIELDS,
  type BatchEntry,
  type CorrelationSettings,
  type CorrelationStore,
  type EntryStatus,
  type Rule,
  type SilentFeedRule,
  type WindowEvent,
  type WindowEventSource,
  type WindowRule,
  type Zone,
  type ZoneRules,
} from '@vigie/correlation';
import { attemptEach, type InboundMessage, type MessageOutcome, type OutboundMessage, type StageHandler, type StructuredLogger } from '@vigie/kafka';

/*
 * Correlator: incidents.enriched (keyed by zone) → alerts.regional (keyed by alert id), and
 * incidents.late. Why no alert version is lost, duplicated under another content or renumbered,
 * on at-least-once Kafka:
 *
 * 1. Determinism. A partition's messages are correlated one by one in offset order, with clocks
 *    read from the messages (libs/correlation PartitionRuntime): the versions are a function of
 *    the partition's messages alone, whatever the batches, crashes, restarts or rebalances.
 * 2. One atomic commit per batch. The partition's state (all its zones) is committed by one Lua
 *    script with the last offset applied; a re-read after a crash or rebalance skips what was
 *    applied, so nothing counts twice and nothing is lost.
 * 3. Fencing. The commit is a compare-and-set on the partition's seq: a former owner (zombie) or
 *    a stale in-memory copy writes nothing; the batch fails retriably and is redone from Redis.
 * 4. Outbox. The versions a batch produced are committed with it and re-emitted by every batch
 *    that replays it, until a batch starting after it proves them delivered (alert-outbox.ts):
 *    the runner hands a partition's batches over one at a time, each after the previous batch's
 *    outputs were acknowledged.
 * The price is duplicates of the same (alertId, version) after a crash, which the dispatcher
 * recognises.
 *
 * Redis work per batch: one round trip (the commit), with what the batch changed; the partition
 * is loaded once (one round trip) when this instance first meets it, and kept in memory.
 */

export interface CorrelatorOptions {
  /** How long after the partition's watermark an incident is still applied (default 7 days in config). */
  readonly allowedLatenessMs: number;
  /** Incidents a zone holds in detail before sealing the oldest (default DEFAULT_ZONE_DETAIL_LIMIT of libs/correlation). */
  readonly zoneDetailLimit?: number;
  /** A partition not seen for this long is dropped from memory (it was probably reassigned); reloaded if it comes back. */
  readonly idlePartitionMs?: number;
  /** Told when a partition's state is loaded (what a rebalance costs). */
  readonly log?: Pick<StructuredLogger, 'info' | 'warn'>;
  readonly observer?: CorrelatorObserver;
  /** Encodes the alert versions it publishes; default the RegionalAlert codec (share one with the store's outbox: encodeOncePerValue). */
  readonly alertCodec?: ValueCodec<RegionalAlert>;
}

/** What the correlator tells its metrics. */
export interface CorrelatorObserver {
  /** A committed batch sealed this many incidents (zones at their detail limit). */
  sealed(count: number): void;
}

/** A message that decoded, with the zone its key names. */
interface Decoded {
  readonly zoneKey: string;
  readonly zone: Zone;
  readonly event: WindowEvent;
  readonly value: Buffer;
}

const PROCESSED: MessageOutcome = { kind: 'emit', disposition: 'processed', messages: [] };
const DEDUPLICATED: MessageOutcome = { kind: 'emit', disposition: 'deduplicated', messages: [] };
const DEFAULT_IDLE_PARTITION_MS = 10 * 60_000;

function rulesByZoneKind(rules: readonly Rule[]): Map<ZoneKind, ZoneRules> {
  const byKind = new Map<ZoneKind, ZoneRules>();
  for (const kind of ZONE_KINDS) {
    const watching = rules.filter((r) => ruleAppliesTo(r, kind));
    byKind.set(kind, {
      window: watching.filter((r): r is WindowRule => isWindowRule(r)),
      silence: watching.filter((r): r is SilentFeedRule => r.kind === 'silent-feed'),
    });
  }
  return byKind;
}

export class CorrelatorStage implements StageHandler {
  private readonly settings: CorrelationSettings;
  private readonly partitions = new Map<number, { runtime: PartitionRuntime; usedAt: number }>();
  private readonly idlePartitionMs: number;
  private readonly log: Pick<StructuredLogger, 'info' | 'warn'> | undefined;
  private readonly observer: CorrelatorObserver | undefined;
  private readonly alertCodec: ValueCodec<RegionalAlert>;
  /** Decodes of each EnrichedIncident only what correlation reads. */
  private readonly windowEventSources: WireSelection<WindowEventSource>;

  constructor(
    private readonly codecs: Codecs,
    private readonly store: CorrelationStore,
    rules: readonly Rule[],
    private readonly zones: (key: string) => Zone | undefined,
    options: CorrelatorOptions,
    private readonly now: () => number = Date.now,
  ) {
    const byKind = rulesByZoneKind(rules);
    this.settings = {
      allowedLatenessMs: options.allowedLatenessMs,
      rulesFor: (kind) => byKind.get(kind) as ZoneRules,
      zoneOf: zones,
      ...(options.zoneDetailLimit === undefined ? {} : { zoneDetailLimit: options.zoneDetailLimit }),
    };
    this.idlePartitionMs = options.idlePartitionMs ?? DEFAULT_IDLE_PARTITION_MS;
    this.alertCodec = options.alertCodec ?? codecs.regionalAlert;
    this.windowEventSources = codecs.enrichedIncident.select<WindowEventSource>(WINDOW_EVENT_SOURCE_FIELDS);
    this.log = options.log;
    this.observer = options.observer;
  }

  /** Incidents held in detail across the partitions in memory. */
  heldIncidents(): number {
    let held = 0;
    for (const { runtime } of this.partitions.values()) held += runtime.heldIncidents;
    return held;
  }

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const decoded: (Decoded | undefined)[] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      decoded[i] = this.decode(message);
      return PROCESSED;
    });
    // The runner hands this stage one partition at a time (inputOrder 'per-partition'); be correct for any mix anyway.
    for (const partition of new Set(messages.map((m) => m.partition))) {
      const indexes = messages.flatMap((m, i) => (m.partition === partition ? [i] : []));
      await this.correlatePartition(partition, indexes, messages, decoded, outcomes);
    }
    return outcomes;
  }

  private async correlatePartition(
    partition: number,
    indexes: readonly number[],
    messages: readonly InboundMessage[],
    decoded: readonly (Decoded | undefined)[],
    outcomes: MessageOutcome[],
  ): Promise<void> {
    const entries: BatchEntry[] = indexes.map((i) => {
      const d = outcomes[i]?.kind === 'emit' ? decoded[i] : undefined;
      return { offset: Number((messages[i] as InboundMessage).offset), incident: d ? { zone: d.zone, event: d.event } : null };
    });
    const runtime = await this.runtimeFor(partition, entries[0]?.offset ?? 0);
    try {
      const result = runtime.correlate(entries, this.now());
      if (result.commit) {
        if (!(await this.store.commit(result.commit))) {
          throw new VigieError('CORRELATION_CONFLICT', `another writer moved the correlation state of partition ${partition}; the batch is redone on fresh state`, true, { partition });
        }
        runtime.committed();
        if (result.sealed > 0) this.observer?.sealed(result.sealed);
      }
      indexes.forEach((i, e) => {
        if (outcomes[i]?.kind === 'emit') outcomes[i] = this.outcomeOf(result.statuses[e] as EntryStatus, decoded[i] as Decoded);
      });
      const carrier = [...indexes].reverse().find((i) => outcomes[i]?.kind === 'emit');
      if (carrier !== undefined && result.alerts.length > 0) {
        const alerts = result.alerts.map((a, k): OutboundMessage => {
          const arrival = result.arrivals[k];
          const headers = arrival == null ? undefined : { [HEADERS.arrivalWatermark]: String(arrival) };
          return { topic: TOPICS.regionalAlerts, key: a.alertId, value: this.alertCodec.encode(a), decoded: a, headers };
        });
        const outcome = outcomes[carrier] as Extract<MessageOutcome, { kind: 'emit' }>;
        // The alerts travel with the batch's last message: its offset resolves only once they are sent.
        outcomes[carrier] = { ...outcome, messages: [...outcome.messages, ...alerts] };
      }
    } catch (error) {
      // The in-memory state may be ahead of Redis now: forget it, the retry reloads.
      this.partitions.delete(partition);
      throw error;
    }
  }

  private async runtimeFor(partition: number, firstOffset: number): Promise<PartitionRuntime> {
    const now = this.now();
    for (const [p, held] of this.partitions) if (now - held.usedAt > this.idlePartitionMs) this.partitions.delete(p);
    let held = this.partitions.get(partition);
    if (!held) {
      const began = Date.now();
      const snapshot = await this.store.load(partition);
      this.partitions.set(partition, (held = { runtime: new PartitionRuntime(partition, this.settings, snapshot), usedAt: now }));
      this.log?.info('partition state loaded', {
        partition,
        lastOffset: snapshot?.through ?? null,
        zones: snapshot?.zones.length ?? 0,
        incidents: snapshot?.zones.reduce((n, z) => n + z.events.length, 0) ?? 0,
        sealedBuckets: snapshot?.zones.reduce((n, z) => n + z.sealed.length, 0) ?? 0,
        ms: Date.now() - began,
      });
      if (!snapshot && firstOffset > 0) {
        // Redis lost (or a new key prefix) under a group that already consumed: the state starts here.
        this.log?.warn('no correlation state for a partition already consumed: windows start empty', {
          partition,
          firstOffset,
          rebuild: 'stop the correlators, reset group vigie-correlator on incidents.enriched to the earliest offsets, start them again',
        });
      }
    }
    held.usedAt = now;
    return held.runtime;
  }

  private decode(message: InboundMessage): Decoded {
    if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const enriched = this.windowEventSources.decode(message.value);
    if (!message.key) throw new VigieError('MISSING_KEY', 'enriched incident has no zone key', false);
    const zoneKey = message.key.toString();
    const zone = this.zones(zoneKey) ?? this.provisional(zoneKey, enriched);
    if (!zone) throw new VigieError('UNKNOWN_ZONE', `"${zoneKey}" is not a zone key (<KIND>:<id>, KIND one of SECTION, HOTSPOT, ROUTE, COUNTRY)`, false);
    return { zoneKey, zone, event: toWindowEvent(enriched, zone), value: message.value };
  }

  /**
   * A zone the reference does not know yet, with the countries of the copy — unless the copy
   * withdraws its incident from the zone: it locates the incident elsewhere, so it says nothing of
   * the zone's countries.
   */
  private provisional(zoneKey: string, enriched: WindowEventSource): Zone | undefined {
    const zone = provisionalZone(zoneKey, []);
    if (!zone || !copyIsInZone(enriched.correlationKeys, zone)) return zone;
    return provisionalZone(zoneKey, [enriched.geo.country, enriched.geo.neighbourCountry]);
  }

  private outcomeOf(status: EntryStatus, decoded: Decoded): MessageOutcome {
    switch (status) {
      case 'late':
        return { kind: 'emit', disposition: 'late', messages: [{ topic: TOPICS.late, key: decoded.zoneKey, value: decoded.value }] };
      case 'replayed':
      case 'stale':
        return DEDUPLICATED;
      case 'applied':
      case 'ignored':
        return PROCESSED;
    }
  }
}
