import type { EachBatchPayload } from 'kafkajs';

type CommitPayload = Pick<EachBatchPayload, 'commitOffsetsIfNecessary' | 'uncommittedOffsets'>;

/** How long resolved offsets may wait to be committed; what a crash may have to redo. */
export const COMMIT_INTERVAL_MS = 1_000;

/**
 * Commits resolved offsets in the background, once per interval, instead of after every batch.
 * kafkajs' autoCommit sends an OffsetCommit after each batch and fetches nothing until it is
 * acknowledged: tens of milliseconds per hop on Kafka 4 (measured: 4 hops p50 133 ms with it,
 * 7 ms without). Offsets are still resolved only after the outputs are acknowledged, so commits
 * stay at-least-once; `close` commits what is left at a graceful stop, and kafkajs (patched:
 * `commitResolvedOnRebalance`) before the member re-joins its group.
 *
 * Use with `consumer.run({ autoCommit: false })`: kafkajs keeps the resolved offsets, this commits them.
 */
export class OffsetCommitter {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private latest: CommitPayload | undefined;
  private closed = false;

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = COMMIT_INTERVAL_MS,
  ) {}

  /** After offsets were resolved: they are committed within the interval. */
  resolved(payload: CommitPayload): void {
    this.latest = payload;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => {
        this.onError(error);
        // Still uncommitted: try again at the next interval.
        if (this.latest) this.resolved(this.latest);
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Commits what is left and stops committing (the consumer is about to leave its group). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Commits every offset resolved so far (after any commit already running). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    const payload = this.latest;
    if (!payload) return;
    const pending = payload.uncommittedOffsets();
    if (pending.topics.length === 0) return;
    this.inFlight = payload.commitOffsetsIfNecessary(pending).finally(() => (this.inFlight = undefined));
    await this.inFlight;
  }
}
