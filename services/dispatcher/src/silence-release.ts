import { HEADERS, TOPICS, errorMessage, type Codecs, type Silence, type WireSelection } from '@vigie/contracts';
import { backoffMs, headerMillisIfAny, readTopicsSince, type BatchProducer, type OutboundMessage, type RetryPolicy, type StructuredLogger } from '@vigie/kafka';
import { ReleaseSelection, SILENCE_CLOCK_SLACK_MS, releasedWatermark, type ReleasedAlertHead } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';
import type { ControlView } from './control/control-view';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export interface SilenceReleaseOptions {
  /**
   * Silences that ended this long before the start are released at the start; later, a silence
   * ending releases those that ended within it (older ones stay in the control state, done with).
   */
  readonly lookbackMs: number;
  /** The delivery ledger's reach (its time to live): see releasedWatermark. */
  readonly ledgerReachMs: number;
  readonly now?: () => number;
  /** alerts.regional and alerts.released unless a test names its own topics. */
  readonly topics?: { readonly alerts: string; readonly released: string };
  /** How the alert topic is read: a test wraps readTopicsSince to count the reads. */
  readonly read?: typeof readTopicsSince;
  /** A failed release is tried again this long after (default 30 s), twice as long after each failure in a row, up to 10 minutes. */
  readonly retryMs?: number;
}

const DEFAULT_RETRY_MS = 30_000;
const MAX_RETRY_MS = 10 * 60_000;

interface PendingRelease {
  readonly silence: Silence;
  readonly why: string;
  /** `silenceId@endsAt`: a silence's end is released once per instance (again if it is moved). */
  readonly releaseKey: string;
}

/**
 * Releases what a silence held once it ends (or is deleted): the latest version of every alert it
 * covers that changed while it was on is read again from alerts.regional and offered to the
 * dispatcher stage through alerts.released, where the stage decides anew (another silence may
 * still hold it) and the delivery ledger drops what was already delivered. Every instance releases
 * every silence — duplicates cost a ledger look-up, a lost release would cost a missed alert — and
 * at startup silences that ended recently are released again, in case no instance was running.
 * Releases pending together (all those of a start, silences ending at the same instant, those that
 * came in while a read ran) share one read of alerts.regional: it is the costly part.
 */
export class SilenceReleaser {
  private known = new Map<string, Silence>();
  /** Release keys pending, in flight or done: each is released once unless its release failed. */
  private readonly claimed = new Set<string>();
  private pending: PendingRelease[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Silences that ended up to here have been looked at: the next timer is for the first end after it. */
  private checkedUpTo = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private toRetry: PendingRelease[] = [];
  private failuresInARow = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly heads: WireSelection<ReleasedAlertHead>;
  private readonly lookbackMs: number;
  private readonly ledgerReachMs: number;
  private readonly now: () => number;
  private readonly topics: { readonly alerts: string; readonly released: string };
  private readonly read: typeof readTopicsSince;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly kafka: Kafka,
    codecs: Codecs,
    private readonly view: Pick<ControlView, 'state' | 'onChange'>,
    private readonly producer: BatchProducer,
    private readonly log: StructuredLogger,
    options: SilenceReleaseOptions,
  ) {
    this.heads = codecs.regionalAlert.select<ReleasedAlertHead>({ alertId: true, version: true, zone: true, rule: true, evaluatedAt: true });
    this.lookbackMs = options.lookbackMs;
    this.ledgerReachMs = options.ledgerReachMs;
    this.now = options.now ?? Date.now;
    this.topics = options.topics ?? { alerts: TOPICS.regionalAlerts, released: TOPICS.releasedAlerts };
    this.read = options.read ?? readTopicsSince;
    // Retried until it succeeds: a lost release would cost a missed alert.
    this.retryPolicy = { maxAttempts: Number.POSITIVE_INFINITY, initialBackoffMs: options.retryMs ?? DEFAULT_RETRY_MS, maxBackoffMs: MAX_RETRY_MS };
  }

  /** Call once the view caught up. */
  start(): void {
    const now = this.now();
    this.checkedUpTo = now;
    for (const silence of this.view.state.silences()) {
      this.known.set(silence.silenceId, silence);
      if (this.endedRecently(silence, now)) this.release(silence, 'ended before this instance started');
    }
    this.view.onChange(() => this.onControlChange());
    this.schedule();
  }

  /** Waits for the release in progress, if any; those still waiting are left to the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    await this.queue;
  }

  private onControlChange(): void {
    const current = new Map(this.view.state.silences().map((s) => [s.silenceId, s]));
    const now = this.now();
    for (const [id, silence] of this.known) {
      const after = current.get(id);
      // Deleted, or cut short, while it was holding alerts.
      // A shortened one under its new end, which its timer would release again otherwise.
      if (silence.startsAt <= now && now < silence.endsAt && (!after || after.endsAt <= now)) this.release(after ?? silence, after ? 'shortened' : 'deleted');
    }
    this.known = current;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const next = Math.min(...[...this.known.values()].map((s) => s.endsAt).filter((end) => end > this.checkedUpTo));
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => {
      const at = this.now();
      // A timer can fire a millisecond before the wall clock reaches its time (timers run on a
      // monotonic clock): wait the rest, so that silences ending together are released together.
      if (at >= next) {
        // Silences that ended long ago stay in the control state: only those within the lookback count.
        for (const silence of this.known.values()) if (this.endedRecently(silence, at)) this.release(silence, 'ended');
        this.checkedUpTo = at;
      }
      this.schedule();
    }, Math.min(Math.max(0, next - this.now()), MAX_TIMER_MS));
    this.timer.unref();
  }

  private endedRecently(silence: Silence, now: number): boolean {
    return silence.endsAt <= now && silence.endsAt > now - this.lookbackMs;
  }

  private release(silence: Silence, why: string): void {
    const releaseKey = `${silence.silenceId}@${silence.endsAt}`;
    if (this.claimed.has(releaseKey) || this.stopped) return;
    this.claimed.add(releaseKey);
    // The first pending release queues a drain; those added before it runs share its read. drain
    // handles its own failures; the catch only keeps the chain alive should logging itself throw.
    if (this.pending.length === 0) this.queue = this.queue.then(() => this.drain()).catch(() => {});
    this.pending.push({ silence, why, releaseKey });
  }

  private async drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    // Stopping: what has not begun is left to the next start, which releases recent ends again.
    if (this.stopped) return;
    try {
      const counts = await this.releaseTogether(batch.map((p) => p.silence));
      this.failuresInARow = 0;
      batch.forEach(({ silence, why }, i) => this.log.info('silence released', { silenceId: silence.silenceId, why, alerts: counts[i], batch: batch.length }));
    } catch (error) {
      // Nothing of the batch is known to be out: each of its silences is released again later.
      for (const { releaseKey } of batch) this.claimed.delete(releaseKey);
      const delayMs = backoffMs(this.retryPolicy, ++this.failuresInARow);
      this.log.error(`silence release failed; tried again within ${Math.round(delayMs / 1000)} s`, { silenceIds: batch.map((p) => p.silence.silenceId), error: errorMessage(error) });
      this.retryLater(batch, delayMs);
    }
  }

  private retryLater(batch: readonly PendingRelease[], delayMs: number): void {
    this.toRetry.push(...batch);
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      const again = this.toRetry;
      this.toRetry = [];
      this.retryTimer = undefined;
      for (const { silence, why } of again) this.release(silence, why);
    }, delayMs);
    this.retryTimer.unref();
  }

  /** Reads the alert topic once, from the earliest start among the silences; returns how many alerts each released. */
  private async releaseTogether(silences: readonly Silence[]): Promise<number[]> {
    const selection = new ReleaseSelection<{ value: Buffer; watermark: number | undefined }>(silences);
    // A silence selects versions evaluated from SILENCE_CLOCK_SLACK_MS before it began; a record is
    // stamped when published, after its evaluatedAt, by the same correlator's clock, so reading from
    // records stamped as long before finds them all (the margin also absorbs a clock stepped back).
    const since = Math.min(...silences.map((s) => s.startsAt)) - SILENCE_CLOCK_SLACK_MS;
    await this.read(this.kafka, [this.topics.alerts], since, (message) => {
      if (!message.value) return;
      let alert: ReleasedAlertHead;
      try {
        alert = this.heads.decode(message.value);
      } catch {
        return; // the stage dead-letters it on its own path
      }
      selection.offer(alert, { value: message.value, watermark: headerMillisIfAny(message, HEADERS.arrivalWatermark) });
    });
    const { counts, released } = selection.result(this.view.state.silences(), this.now());
    await this.producer.send(
      released.map(({ alert, item, heldSince }): OutboundMessage => {
        const watermark = releasedWatermark(item.watermark, heldSince, this.ledgerReachMs);
        return { topic: this.topics.released, key: alert.alertId, value: item.value, headers: watermark === undefined ? undefined : { [HEADERS.arrivalWatermark]: String(watermark) } };
      }),
    );
    return counts;
  }
}
