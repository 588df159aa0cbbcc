import type { ConsumerConfig } from 'kafkajs';

/** A calm member's fetch long-polls this long when there is nothing to read. */
export const CALM_FETCH_WAIT_MS = 500;
/** What a busy member's fetch waits for before its wait runs out. */
export const BUSY_FETCH_MIN_BYTES = 64 * 1024;

export interface FetchPacingOptions {
  /** Messages per second, received by this member over the last second, at which it turns busy. */
  readonly busyRate: number;
  /** How long a busy member's fetch waits for BUSY_FETCH_MIN_BYTES (ms). */
  readonly busyWaitMs: number;
  readonly now?: () => number;
  /** Told when the member turns busy or calm. */
  readonly onChange?: (busy: boolean) => void;
}

/**
 * How a stage's consumer fetches, chosen again before every fetch from the rate it receives.
 *
 * Calm (the usual state of a regional pipeline): a fetch returns as soon as one message is there,
 * so a report crosses a stage in a round trip. Busy (a burst, a replay): a fetch waits up to
 * `busyWaitMs` for 64 KiB, so each batch carries many messages. Per message that costs the
 * services and the broker far less CPU, and on a saturated machine CPU is what the queues, and so
 * the latency, are made of. The member turns busy as soon as the current window holds `busyRate`
 * messages (a flood is met within a fraction of a second, not after a second of one-message
 * fetches), and calm again only after a whole window below half of it, so a rate near the
 * threshold does not flap.
 */
export class FetchPacing {
  private readonly now: () => number;
  private windowStart: number;
  private windowCount = 0;
  private busy: boolean;

  constructor(private readonly options: FetchPacingOptions) {
    this.now = options.now ?? Date.now;
    this.busy = options.busyRate === 0;
    this.windowStart = this.now();
  }

  /** Counts messages this member received. */
  received(count: number): void {
    this.windowCount += count;
    this.update();
  }

  isBusy(): boolean {
    this.update();
    return this.busy;
  }

  minBytes(): number {
    return this.isBusy() ? BUSY_FETCH_MIN_BYTES : 1;
  }

  maxWaitMs(): number {
    return this.isBusy() ? this.options.busyWaitMs : CALM_FETCH_WAIT_MS;
  }

  /**
   * A consumer's minBytes and maxWaitTimeInMs, asked again before every fetch: patches/kafkajs
   * reads functions there (kafkajs' types say numbers).
   */
  consumerOptions(): Pick<ConsumerConfig, 'minBytes' | 'maxWaitTimeInMs'> {
    return {
      minBytes: (() => this.minBytes()) as unknown as number,
      maxWaitTimeInMs: (() => this.maxWaitMs()) as unknown as number,
    };
  }

  /**
   * Within a window, reaching `busyRate` messages already proves the rate: busy at once, and the
   * window goes on counting. Otherwise the window's rate decides at its end, after at least a second.
   */
  private update(): void {
    if (!this.busy && this.windowCount >= this.options.busyRate) this.change(true);
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < 1000) return;
    const rate = (this.windowCount * 1000) / elapsed;
    this.change(this.busy ? rate >= this.options.busyRate / 2 : rate >= this.options.busyRate);
    this.windowStart = now;
    this.windowCount = 0;
  }

  private change(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.options.onChange?.(busy);
  }
}
