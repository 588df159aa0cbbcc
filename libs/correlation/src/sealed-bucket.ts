import { addContribution, emptyAgg, mergeAgg, type Agg, type Contribution } from './aggregate';
import { NO_ORIGINS, mergeOrigins, withIncident, type AlertOrigins } from './alert-origins';
import type { WindowEvent } from './window-event';

/*
 * A zone holds the detail of its most recent incidents only (ZoneRuntime's detail limit). Older
 * ones are sealed: they go on counting in every window that holds them, but their records are
 * dropped, so they can no longer be revised, and an alert lists only incidents still held. What
 * they added to one rule's bucket is kept here: the aggregate the bucket is rebuilt from after a
 * restart, and the facts an alert states besides its score (counts by category, first and last
 * occurrence, latest report).
 */

/** What one rule counted of the sealed incidents of one bucket (or of a whole window). */
export interface SealedBucket {
  readonly agg: Agg;
  /** Incidents per category. */
  readonly categories: Map<string, number>;
  /** Earliest and latest occurredAt, latest reportedAt: extremes are exact because sealed incidents never leave. */
  first: number;
  last: number;
  reported: number;
  /** Who reported them, for the sharing rules an alert counting them carries. */
  origins: AlertOrigins;
}

export const emptySealed = (withCategories: boolean): SealedBucket => ({
  agg: emptyAgg(withCategories),
  categories: new Map(),
  first: Infinity,
  last: -Infinity,
  reported: -Infinity,
  origins: NO_ORIGINS,
});

/** Adds a sealed incident's contribution. */
export function sealInto(sealed: SealedBucket, contribution: Contribution, event: WindowEvent): void {
  addContribution(sealed.agg, contribution, 1);
  sealed.categories.set(event.category, (sealed.categories.get(event.category) ?? 0) + 1);
  sealed.first = Math.min(sealed.first, event.occurredAt);
  sealed.last = Math.max(sealed.last, event.occurredAt);
  sealed.reported = Math.max(sealed.reported, event.reportedAt);
  sealed.origins = withIncident(sealed.origins, event);
}

/** Adds a whole sealed bucket into `target` (the sealed part of a window is the merge of its buckets'). */
export function mergeSealed(target: SealedBucket, source: SealedBucket): void {
  mergeAgg(target.agg, source.agg, 1);
  for (const [category, n] of source.categories) target.categories.set(category, (target.categories.get(category) ?? 0) + n);
  target.first = Math.min(target.first, source.first);
  target.last = Math.max(target.last, source.last);
  target.reported = Math.max(target.reported, source.reported);
  target.origins = mergeOrigins(target.origins, source.origins);
}
