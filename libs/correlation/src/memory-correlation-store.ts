import type { AlertState } from './alert-state';
import { changedAlerts, type CorrelationStore, type PartitionCommit, type PartitionMeta, type PartitionSnapshot } from './correlation-store';
import type { WindowEvent } from './window-event';
import { withAlerts, withoutAlerts, type ZoneRecord } from './zone-record';
import type { StoredSealed } from './zone-runtime';

interface StoredPartition {
  meta: PartitionMeta;
  /** Zone records without their rules' alert states, which are kept apart, as the Redis store does. */
  readonly records: Map<string, ZoneRecord>;
  /** Per zone, alert states by rule id: written only when a commit says they changed. */
  readonly alerts: Map<string, Map<string, AlertState | null>>;
  readonly events: Map<string, Map<string, WindowEvent>>;
  /** Per zone, sealed buckets by `<ruleId>|<bucket>`. */
  readonly sealed: Map<string, Map<string, StoredSealed>>;
}

const sealedField = (ruleId: string, bucket: number): string => `${ruleId}|${bucket}`;

/**
 * The CorrelationStore semantics in memory: for unit tests of the correlator and as the reference
 * the Redis store is compared with. Stores and returns copies, as a remote store would.
 */
export class MemoryCorrelationStore implements CorrelationStore {
  private readonly partitions = new Map<number, StoredPartition>();
  /** Calls made, as a remote store's round trips. */
  roundTrips = 0;

  async load(partition: number): Promise<PartitionSnapshot | null> {
    this.roundTrips++;
    const stored = this.partitions.get(partition);
    if (!stored) return null;
    const zoneKeys = new Set([...stored.records.keys(), ...stored.events.keys(), ...stored.sealed.keys()]);
    return structuredClone({
      ...stored.meta,
      zones: [...zoneKeys].map((zoneKey) => ({
        zoneKey,
        record: withAlerts(stored.records.get(zoneKey) ?? { clock: null, rules: {}, feeds: {} }, stored.alerts.get(zoneKey)),
        events: [...(stored.events.get(zoneKey)?.values() ?? [])],
        sealed: [...(stored.sealed.get(zoneKey)?.values() ?? [])],
      })),
    });
  }

  async commit(commit: PartitionCommit): Promise<boolean> {
    this.roundTrips++;
    let stored = this.partitions.get(commit.partition);
    if ((stored?.meta.seq ?? 0) !== commit.expectedSeq) return false;
    if (!stored) this.partitions.set(commit.partition, (stored = { meta: commit.meta, records: new Map(), alerts: new Map(), events: new Map(), sealed: new Map() }));
    stored.meta = structuredClone(commit.meta);
    for (const entry of commit.zones) {
      const { zoneKey, record } = entry;
      stored.records.set(zoneKey, structuredClone(withoutAlerts(record)));
      let alerts = stored.alerts.get(zoneKey);
      if (!alerts) stored.alerts.set(zoneKey, (alerts = new Map()));
      for (const { ruleId, alert, deleted } of changedAlerts(entry)) {
        if (deleted) alerts.delete(ruleId);
        else alerts.set(ruleId, structuredClone(alert));
      }
    }
    for (const { zoneKey, event } of commit.setEvents) {
      let events = stored.events.get(zoneKey);
      if (!events) stored.events.set(zoneKey, (events = new Map()));
      events.set(event.eventId, structuredClone(event));
    }
    for (const { zoneKey, eventId } of commit.deleteEvents) stored.events.get(zoneKey)?.delete(eventId);
    for (const { zoneKey, ...sealed } of commit.setSealed) {
      let buckets = stored.sealed.get(zoneKey);
      if (!buckets) stored.sealed.set(zoneKey, (buckets = new Map()));
      buckets.set(sealedField(sealed.ruleId, sealed.bucket), structuredClone(sealed));
    }
    for (const { zoneKey, ruleId, bucket } of commit.deleteSealed) stored.sealed.get(zoneKey)?.delete(sealedField(ruleId, bucket));
    return true;
  }

  /** Test view: how many incidents the zone keeps. */
  size(partition: number, zoneKey: string): number {
    return this.partitions.get(partition)?.events.get(zoneKey)?.size ?? 0;
  }
}
