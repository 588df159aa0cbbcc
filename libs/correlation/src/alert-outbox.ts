import type { RegionalAlert } from '@vigie/contracts';

/**
 * Alert versions committed to the zone's state but not yet known to be on Kafka, and the last
 * input position whose batch emitted them. They are (re)emitted by every batch touching the zone
 * until a batch proves them delivered: the stage runner hands a partition's batches over one at a
 * time and only after the previous batch's outputs were acknowledged, so a batch on the same
 * partition that starts after `throughOffset` means the emitting batch's outputs are on Kafka; a
 * batch that starts at or before it is a replay of the emitting batch (crash, rebalance, retry).
 */
export interface AlertOutbox {
  /** In version order. */
  readonly alerts: readonly RegionalAlert[];
  readonly partition: number;
  readonly throughOffset: number;
}

/** Where a batch sits in its input partition. */
export interface BatchSpan {
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

export const isDeliveredBefore = (outbox: AlertOutbox, span: BatchSpan): boolean =>
  outbox.partition === span.partition && span.firstOffset > outbox.throughOffset;

/** The outbox after a batch: what is still unproven, plus the batch's new version, emitted by this batch. */
export function nextOutbox(previous: AlertOutbox | null, fresh: RegionalAlert | null, span: BatchSpan): AlertOutbox | null {
  const pending = previous && !isDeliveredBefore(previous, span) ? previous.alerts : [];
  const alerts = fresh ? [...pending, fresh] : pending;
  if (alerts.length === 0) return null;
  // A replay batch may be shorter than the one that emitted: never move the mark backwards.
  const samePartition = previous !== null && previous.partition === span.partition && pending.length > 0;
  return { alerts, partition: span.partition, throughOffset: samePartition ? Math.max(previous.throughOffset, span.lastOffset) : span.lastOffset };
}
