import type { AlertWindow } from '@vigie/contracts';
import { addContribution, cloneAgg, emptyAgg, mergeAgg, type Agg, type Contribution } from './aggregate';
import { emptySealed, mergeSealed, sealInto, type SealedBucket } from './sealed-bucket';
import type { WindowEvent } from './window-event';

/*
 * Event time in buckets. A rule's window at position k (the bucket `floor(t / resolution)` of the
 * zone's clock t) covers buckets k − n + 1 … k, i.e. [(k − n + 1)·res, (k + 1)·res): it slides
 * by one resolution step and always contains the clock.
 */

export const bucketOf = (time: number, resolutionMs: number): number => Math.floor(time / resolutionMs);

export const windowBounds = (position: number, buckets: number, resolutionMs: number): AlertWindow => ({
  startAt: (position - buckets + 1) * resolutionMs,
  endAt: (position + 1) * resolutionMs,
});

/**
 * One rule's aggregates in one zone: a sparse map of bucket aggregates, and the aggregate of the
 * window at the current position, kept up to date as incidents come and go and the clock moves.
 */
export class RuleWindow {
  private readonly buckets = new Map<number, Agg>();
  /** The part of each bucket's aggregate that sealed incidents make (see sealed-bucket.ts). */
  private readonly sealedBuckets = new Map<number, SealedBucket>();
  /** Bounds of the buckets present (possibly loose once some emptied). */
  private lowest = Infinity;
  private highest = -Infinity;
  private position: number | null = null;
  private current: Agg;

  constructor(
    /** Buckets per window. */
    readonly size: number,
    private readonly withCategories: boolean,
  ) {
    this.current = emptyAgg(withCategories);
  }

  get at(): number | null {
    return this.position;
  }

  /** The window at the current position (do not mutate). */
  get window(): Agg {
    return this.current;
  }

  add(bucket: number, contribution: Contribution, sign: 1 | -1): void {
    let agg = this.buckets.get(bucket);
    if (!agg) {
      this.buckets.set(bucket, (agg = emptyAgg(this.withCategories)));
      this.lowest = Math.min(this.lowest, bucket);
      this.highest = Math.max(this.highest, bucket);
    }
    addContribution(agg, contribution, sign);
    if (agg.n === 0) this.buckets.delete(bucket);
    if (this.position !== null && bucket <= this.position && bucket > this.position - this.size) addContribution(this.current, contribution, sign);
  }

  /** Records that a counted incident of `bucket` is sealed: its contribution stays in the aggregates. */
  seal(bucket: number, contribution: Contribution, event: WindowEvent): void {
    let sealed = this.sealedBuckets.get(bucket);
    if (!sealed) this.sealedBuckets.set(bucket, (sealed = emptySealed(this.withCategories)));
    sealInto(sealed, contribution, event);
  }

  /** A stored sealed bucket, on load: its aggregate counts in the window again. */
  restoreSealed(bucket: number, sealed: SealedBucket): void {
    const restored = this.sealedBuckets.get(bucket);
    if (restored) mergeSealed(restored, sealed);
    else this.sealedBuckets.set(bucket, sealed);
    let agg = this.buckets.get(bucket);
    if (!agg) {
      this.buckets.set(bucket, (agg = emptyAgg(this.withCategories)));
      this.lowest = Math.min(this.lowest, bucket);
      this.highest = Math.max(this.highest, bucket);
    }
    mergeAgg(agg, sealed.agg, 1);
    if (this.position !== null && bucket <= this.position && bucket > this.position - this.size) mergeAgg(this.current, sealed.agg, 1);
  }

  sealedBucket(bucket: number): SealedBucket | undefined {
    return this.sealedBuckets.get(bucket);
  }

  /** The sealed part of the window at `position`, or null when it holds no sealed incident. */
  sealedAt(position: number): SealedBucket | null {
    let merged: SealedBucket | null = null;
    for (const [b, sealed] of this.sealedBuckets) {
      if (b > position || b <= position - this.size) continue;
      merged ??= emptySealed(this.withCategories);
      mergeSealed(merged, sealed);
    }
    return merged;
  }

  /** Slides the window forward to `position` (never back: the clock is monotonic). */
  moveTo(position: number): void {
    if (this.position !== null && position <= this.position) return;
    if (this.position === null || position - this.position >= this.size) {
      this.current = this.aggAt(position);
      this.position = position;
      return;
    }
    for (let b = this.position - this.size + 1; b <= position - this.size; b++) {
      const leaving = this.buckets.get(b);
      if (leaving) mergeAgg(this.current, leaving, -1);
    }
    for (let b = this.position + 1; b <= position; b++) {
      const entering = this.buckets.get(b);
      if (entering) mergeAgg(this.current, entering, 1);
    }
    this.position = position;
  }

  /** The aggregate of the window at any position, from the buckets (past positions, or future ones with no new incidents). */
  aggAt(position: number): Agg {
    if (position === this.position) return this.current;
    return this.freshAggAt(position);
  }

  /**
   * A new aggregate of the window at `position`, the caller's to change (e.g. to slide it along).
   * Near the current position it is the current window moved by the few buckets that differ;
   * further away, the merge of the window's buckets (every aggregate is a sum: same result).
   */
  freshAggAt(position: number): Agg {
    const from = this.position;
    if (from !== null && this.isNear(position)) {
      const agg = cloneAgg(this.current);
      if (position > from) for (let j = from + 1; j <= position; j++) this.slide(agg, j);
      else for (let j = from; j > position; j--) this.slideBack(agg, j);
      return agg;
    }
    const agg = emptyAgg(this.withCategories);
    this.eachBucketAt(position, (_, bucket) => {
      mergeAgg(agg, bucket, 1);
    });
    return agg;
  }

  /** Slides an aggregate from the window at `position - 1` to the window at `position`; false when no bucket left or entered. */
  slide(agg: Agg, position: number): boolean {
    const leaving = this.buckets.get(position - this.size);
    if (leaving) mergeAgg(agg, leaving, -1);
    const entering = this.buckets.get(position);
    if (entering) mergeAgg(agg, entering, 1);
    return leaving !== undefined || entering !== undefined;
  }

  /** Whether the window at `position` is cheaper to reach from the current one than to merge from its buckets. */
  isNear(position: number): boolean {
    return this.position !== null && 2 * Math.abs(position - this.position) < this.size;
  }

  /** Slides an aggregate from the window at `position` back to the window at `position - 1`; false when no bucket left or entered. */
  slideBack(agg: Agg, position: number): boolean {
    const leaving = this.buckets.get(position);
    if (leaving) mergeAgg(agg, leaving, -1);
    const entering = this.buckets.get(position - this.size);
    if (entering) mergeAgg(agg, entering, 1);
    return leaving !== undefined || entering !== undefined;
  }

  /**
   * Visits the buckets of the window at `position`, oldest first, until `visit` returns false (for
   * scores that depend on order in time). A callback, not an iterator: nothing allocated per bucket.
   */
  eachBucketAt(position: number, visit: (bucket: number, agg: Agg) => boolean | void): void {
    this.eachBucketIn(position - this.size + 1, position, visit);
  }

  /** Visits the buckets from `first` to `last`, oldest first, until `visit` returns false. */
  eachBucketIn(first: number, last: number, visit: (bucket: number, agg: Agg) => boolean | void): void {
    // Only the range where buckets exist is probed: a sparse window costs what it holds.
    const end = Math.min(last, this.highest);
    for (let b = Math.max(first, this.lowest); b <= end; b++) {
      const agg = this.buckets.get(b);
      if (agg && visit(b, agg) === false) return;
    }
  }

  /** The aggregates of the buckets of the window at `position`, oldest first. */
  bucketsAt(position: number): Agg[] {
    const aggs: Agg[] = [];
    this.eachBucketAt(position, (_, agg) => {
      aggs.push(agg);
    });
    return aggs;
  }

  /** Forgets buckets before `bucket`; they are outside every window the zone can still evaluate. Returns the sealed buckets dropped. */
  evictBefore(bucket: number): number[] {
    for (const b of this.buckets.keys()) if (b < bucket) this.buckets.delete(b);
    this.lowest = Math.max(this.lowest, bucket);
    const dropped: number[] = [];
    for (const b of this.sealedBuckets.keys()) {
      if (b >= bucket) continue;
      this.sealedBuckets.delete(b);
      dropped.push(b);
    }
    return dropped;
  }

  get bucketCount(): number {
    return this.buckets.size;
  }
}
