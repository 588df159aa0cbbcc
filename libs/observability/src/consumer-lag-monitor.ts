import type { PartitionLag } from '@vigie/kafka';
import type { Gauge } from 'prom-client';
import type { VigieLogger } from './logger';

/** Reads the lag of one consumer group from the broker (libs/kafka's ConsumerGroupLagReader). */
export type ConsumerLagSource = () => Promise<readonly PartitionLag[]>;

type Log = Pick<VigieLogger, 'info' | 'warn'>;

export const DEFAULT_LAG_POLL_INTERVAL_MS = 10_000;

/**
 * Polls the group's lag from the broker on a timer and publishes it as a gauge. The consumer's own
 * view (a fetched batch's offsetLag) freezes when it stops fetching, which is exactly when lag
 * matters; committed offsets against the log end keep growing with a stuck or slow consumer, and
 * are what KEDA's Kafka scaler reads too. Polling off the scrape path keeps /metrics fast while the
 * broker is unreachable (the last values stay; the failure is logged once).
 */
export class ConsumerLagMonitor {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private failing = false;

  constructor(
    private readonly gauge: Gauge<'topic' | 'partition'>,
    private readonly source: ConsumerLagSource,
    private readonly log: Log,
    private readonly intervalMs: number = DEFAULT_LAG_POLL_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** One reading; overlapping calls share it. Never rejects. */
  poll(): Promise<void> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<void> {
    let lags: readonly PartitionLag[];
    try {
      lags = await this.source();
    } catch (error) {
      if (!this.failing) this.log.warn('consumer lag could not be read; keeping the last values', { error: String(error) });
      this.failing = true;
      return;
    }
    if (this.failing) this.log.info('consumer lag readable again');
    this.failing = false;
    // Reset and refill in one synchronous step: a scrape sees the old set or the new one, and
    // partitions no longer consumed (a topic deleted, a pattern narrowed) disappear.
    this.gauge.reset();
    for (const { topic, partition, lag } of lags) this.gauge.set({ topic, partition: String(partition) }, lag);
  }
}
