import type { EntryStatus, ZoneEntry } from './correlation-store';
import { isLate } from './event-time';
import type { WindowEvent } from './window-event';

/** A zone's incident window as a store keeps it. */
export interface ZoneWindowState {
  watermark: number | null;
  /** Last applied offset per input partition. */
  readonly lastOffsets: Map<number, number>;
  readonly events: Map<string, WindowEvent>;
}

export const emptyZoneWindow = (): ZoneWindowState => ({ watermark: null, lastOffsets: new Map(), events: new Map() });

/**
 * The apply semantics every CorrelationStore implements (the Redis Lua script mirrors this
 * function line for line; an integration test compares them). The watermark first advances over
 * the batch's new entries, then each entry is judged against it, so the order of arrival within
 * a batch, and within the allowed lateness across batches, does not change the result.
 */
export function applyEntries(zone: ZoneWindowState, partition: number, entries: readonly ZoneEntry[], horizonMs: number): EntryStatus[] {
  const last = zone.lastOffsets.get(partition) ?? -1;
  let watermark = zone.watermark;
  let through = last;
  for (const { offset, event } of entries) {
    if (offset <= last) continue;
    through = Math.max(through, offset);
    if (watermark === null || event.occurredAt > watermark) watermark = event.occurredAt;
  }
  const statuses = entries.map(({ offset, event }): EntryStatus => {
    if (watermark !== null && isLate(event.occurredAt, watermark, horizonMs)) return 'late';
    if (offset <= last) return 'replayed';
    const kept = zone.events.get(event.eventId);
    if (kept && kept.revision >= event.revision) return 'stale';
    zone.events.set(event.eventId, event);
    return 'applied';
  });
  zone.watermark = watermark;
  zone.lastOffsets.set(partition, through);
  return statuses;
}

/** Removes incidents that occurred before `before` (they can no longer enter any window). */
export function evictBefore(zone: ZoneWindowState, before: number): void {
  for (const [id, event] of zone.events) if (event.occurredAt < before) zone.events.delete(id);
}
