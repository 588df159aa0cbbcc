import type { AlertOutbox } from './alert-outbox';
import type { AlertState } from './alert-state';
import type { WindowEvent } from './window-event';
import type { ZoneRecord } from './zone-record';
import type { StoredSealed } from './zone-runtime';

/**
 * The correlation state of one input partition. All of a zone's copies arrive on one partition
 * (the enricher keys them by zone), so a partition's state has one writer, the partition's owner,
 * and one atomic commit per batch covers every zone the batch touched.
 */
export interface PartitionMeta {
  /** Increases by one with each commit: the compare-and-set that fences a former owner (zombie). */
  readonly seq: number;
  /** Last input offset applied; -1 before the first. Offsets at or before it are replays. */
  readonly through: number;
  /** Event-time watermark: the latest occurredAt read on the partition (lateness is measured from it). */
  readonly watermark: number | null;
  /** Arrival-time watermark: the latest ingestedAt read (silent-feed clocks). */
  readonly arrival: number | null;
  readonly outbox: AlertOutbox | null;
}

export interface StoredZone {
  readonly zoneKey: string;
  readonly record: ZoneRecord;
  readonly events: readonly WindowEvent[];
  /** What the zone's sealed incidents add to its rules' buckets (see sealed-bucket.ts). */
  readonly sealed: readonly StoredSealed[];
}

export interface PartitionSnapshot extends PartitionMeta {
  readonly zones: readonly StoredZone[];
}

/** What one batch changes: proportional to the batch (its incidents, the records of the zones it touched). */
export interface PartitionCommit {
  readonly partition: number;
  /** The seq the batch started from; the commit is refused if the stored one differs. */
  readonly expectedSeq: number;
  /** The new meta (seq = expectedSeq + 1). */
  readonly meta: PartitionMeta;
  /**
   * Records of the zones the batch touched. A store may keep each rule's `alert` apart (it changes
   * only with a new version, the rest with every incident): `alertsChanged` names the rules whose
   * alert must be written (deleted, for a rule the record no longer has); the others' stored
   * alert is current.
   */
  readonly zones: readonly { readonly zoneKey: string; readonly record: ZoneRecord; readonly alertsChanged: readonly string[] }[];
  readonly setEvents: readonly { readonly zoneKey: string; readonly event: WindowEvent }[];
  readonly deleteEvents: readonly { readonly zoneKey: string; readonly eventId: string }[];
  readonly setSealed: readonly ({ readonly zoneKey: string } & StoredSealed)[];
  readonly deleteSealed: readonly { readonly zoneKey: string; readonly ruleId: string; readonly bucket: number }[];
}

/**
 * The stored alert states a commit's zone entry changes: each rule of `alertsChanged` the record
 * has, with its alert (null included), or `deleted` for a rule it no longer has.
 */
export function changedAlerts(entry: PartitionCommit['zones'][number]): { readonly ruleId: string; readonly alert: AlertState | null; readonly deleted: boolean }[] {
  return entry.alertsChanged.map((ruleId) => {
    const rule = entry.record.rules[ruleId];
    return { ruleId, alert: rule?.alert ?? null, deleted: !rule };
  });
}

export interface CorrelationStore {
  /** The partition's whole state (once per assignment: the correlator keeps it in memory), or null when it has none. */
  load(partition: number): Promise<PartitionSnapshot | null>;
  /** Atomic: all of it when the stored seq is `expectedSeq`, else nothing and false. */
  commit(commit: PartitionCommit): Promise<boolean>;
}
