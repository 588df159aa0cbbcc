import type { RegionalAlert } from '@vigie/contracts';

/**
 * Alert versions committed to the partition's state but not yet known to be on Kafka, and the
 * last input offset whose batch emitted them. They are (re)emitted by every batch of the
 * partition until a batch proves them delivered: the stage runner hands a partition's batches
 * over one at a time and only after the previous batch's outputs were acknowledged, so a batch
 * that starts after `throughOffset` means the emitting batch's outputs are on Kafka; a batch that
 * starts at or before it is a replay of the emitting batch (crash, rebalance, retry).
 */
export interface AlertOutbox {
  /** In version order. */
  readonly alerts: readonly RegionalAlert[];
  /**
   * For each alert, the partition's arrival watermark when it was evaluated (see
   * BatchResult.arrivals); null when unknown (an outbox stored before arrivals were kept).
   */
  readonly arrivals: readonly (number | null)[];
  /** Offsets of the input messages the same batches routed to incidents.late (re-routed by a replay, like the alerts). */
  readonly late?: readonly number[];
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

/** The outbox after a batch: what is still unproven, plus the batch's new versions, emitted by this batch. */
export function nextOutbox(
  previous: AlertOutbox | null,
  fresh: readonly RegionalAlert[],
  freshArrivals: readonly (number | null)[],
  span: BatchSpan,
  freshLate: readonly number[] = [],
): AlertOutbox | null {
  const unproven = previous !== null && !isDeliveredBefore(previous, span);
  const pending = unproven ? previous.alerts : [];
  const pendingLate = unproven ? (previous.late ?? []) : [];
  const alerts = [...pending, ...fresh];
  const arrivals = [...(unproven ? previous.arrivals : []), ...freshArrivals];
  const late = [...pendingLate, ...freshLate];
  if (alerts.length === 0 && late.length === 0) return null;
  // A replay batch may be shorter than the one that emitted: never move the mark backwards.
  const samePartition = previous !== null && previous.partition === span.partition && unproven && (pending.length > 0 || pendingLate.length > 0);
  const throughOffset = samePartition ? Math.max(previous.throughOffset, span.lastOffset) : span.lastOffset;
  return late.length > 0 ? { alerts, arrivals, late, partition: span.partition, throughOffset } : { alerts, arrivals, partition: span.partition, throughOffset };
}

/** Whether a replayed message was routed to incidents.late by the batch being replayed. */
export const wasRoutedLate = (outbox: AlertOutbox | null, offset: number): boolean => outbox?.late?.includes(offset) ?? false;
