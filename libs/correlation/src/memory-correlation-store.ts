import { applyEntries, emptyZoneWindow, evictBefore, type ZoneWindowState } from './apply-entries';
import type { AlertRecord, CorrelationStore, ZoneApply, ZoneCommit, ZoneSnapshot } from './correlation-store';

interface MemoryZone extends ZoneWindowState {
  readonly records: Map<string, AlertRecord>;
}

/**
 * The CorrelationStore semantics in memory: for unit tests of the correlator and as the reference
 * model the Redis store is compared with. Returns copies, as a remote store would.
 */
export class MemoryCorrelationStore implements CorrelationStore {
  private readonly zones = new Map<string, MemoryZone>();

  async apply(zones: readonly ZoneApply[]): Promise<ZoneSnapshot[]> {
    return zones.map(({ zoneKey, partition, entries, horizonMs }) => {
      const zone = this.zone(zoneKey);
      const statuses = applyEntries(zone, partition, entries, horizonMs);
      return {
        zoneKey,
        statuses,
        watermark: zone.watermark as number,
        events: structuredClone([...zone.events.values()]),
        records: structuredClone(zone.records),
      };
    });
  }

  async commit(zones: readonly ZoneCommit[]): Promise<boolean[]> {
    return zones.map(({ zoneKey, rules, evictBefore: before }) => {
      const zone = this.zone(zoneKey);
      const moved = rules.some((r) => (zone.records.get(r.ruleId)?.state.version ?? 0) !== r.expectedVersion);
      if (moved) return false;
      for (const r of rules) zone.records.set(r.ruleId, structuredClone(r.record));
      evictBefore(zone, before);
      return true;
    });
  }

  /** Test view: how many incidents the zone keeps. */
  size(zoneKey: string): number {
    return this.zones.get(zoneKey)?.events.size ?? 0;
  }

  private zone(zoneKey: string): MemoryZone {
    let zone = this.zones.get(zoneKey);
    if (!zone) this.zones.set(zoneKey, (zone = { ...emptyZoneWindow(), records: new Map() }));
    return zone;
  }
}
