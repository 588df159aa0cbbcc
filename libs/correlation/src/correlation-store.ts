import type { AlertOutbox } from './alert-outbox';
import type { AlertState } from './alert-state';
import type { WindowEvent } from './window-event';

/** What is kept per zone × rule: the alert's state and the versions not yet proven delivered. */
export interface AlertRecord {
  readonly state: AlertState;
  readonly outbox: AlertOutbox | null;
}

/** One incident copy read from the zone's input partition. */
export interface ZoneEntry {
  readonly offset: number;
  readonly event: WindowEvent;
}

export interface ZoneApply {
  readonly zoneKey: string;
  readonly partition: number;
  /** In offset order. */
  readonly entries: readonly ZoneEntry[];
  /** The zone's horizon (longest rule window + allowed lateness), see event-time.ts. */
  readonly horizonMs: number;
}

/**
 * How the store treated an entry: `applied`; `replayed` (offset at or before the last applied one
 * of its partition: a re-read after a crash or rebalance); `stale` (same or older revision than
 * the one kept); `late` (occurred before watermark − horizon; never applied, whether replayed or not).
 */
export type EntryStatus = 'applied' | 'replayed' | 'stale' | 'late';

export interface ZoneSnapshot {
  readonly zoneKey: string;
  /** One per entry of the apply, in order. */
  readonly statuses: readonly EntryStatus[];
  /** After the apply: the latest occurredAt the zone has seen. */
  readonly watermark: number;
  readonly events: readonly WindowEvent[];
  /** By rule id; absent until the rule first fires in the zone. */
  readonly records: ReadonlyMap<string, AlertRecord>;
}

export interface RuleCommit {
  readonly ruleId: string;
  /** Version of the stored record when the batch read it (0: none); the commit is refused if it moved. */
  readonly expectedVersion: number;
  readonly record: AlertRecord;
}

export interface ZoneCommit {
  readonly zoneKey: string;
  readonly rules: readonly RuleCommit[];
  /** Incidents that occurred before this instant leave the state. */
  readonly evictBefore: number;
}

/**
 * Per-zone correlation state. Both calls take every zone of a batch at once (one round trip each
 * in Redis) and are atomic per zone.
 */
export interface CorrelationStore {
  /**
   * Applies entries idempotently: skips offsets already applied for the partition, keeps the latest
   * revision per eventId, advances the watermark, refuses late entries; returns the zone's state.
   */
  apply(zones: readonly ZoneApply[]): Promise<ZoneSnapshot[]>;
  /**
   * Compare-and-set on every rule's version, then writes the records and evicts old incidents.
   * Per zone: true when written, false when another writer moved a version (nothing written).
   */
  commit(zones: readonly ZoneCommit[]): Promise<boolean[]>;
}
