import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per process. Every series carries the default label `service`, so dashboards can
 * tell the stages apart without each metric repeating it. Node's standard metrics keep their
 * usual unprefixed names (`process_*`, `nodejs_*`), as Prometheus users and stock dashboards expect.
 *
 * A class (not just prom-client's Registry) so Nest injects it by type.
 */
export class MetricsRegistry extends Registry {
  constructor(readonly service: string) {
    super();
    this.setDefaultLabels({ service });
  }
}

export function createMetricsRegistry(service: string, options: { readonly nodeMetrics?: boolean } = {}): MetricsRegistry {
  const registry = new MetricsRegistry(service);
  if (options.nodeMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Batch and Redis timings: sub-millisecond to seconds. */
export const DURATION_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Messages per batch: kafkajs hands over up to a fetch's worth. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
/** Report to publication: 1 ms to 1 h, so that a backlog being worked off still has a measurable quantile. */
export const END_TO_END_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

const pipelineMetricsByRegistry = new WeakMap<Registry, PipelineMetrics>();

/**
 * Dead-letter reasons any stage may give: `UNEXPECTED`, the stage runner's once an error it does
 * not know outlasts the retries; the others, every stage's checks of a message's bytes (an empty
 * value, the wire codec's framing, schema and decoding failures).
 */
export const SHARED_DEAD_LETTER_REASONS = ['UNEXPECTED', 'EMPTY_MESSAGE', 'WIRE_FORMAT', 'UNKNOWN_SCHEMA_ID', 'SCHEMA_INCOMPATIBLE', 'DECODE_FAILED'] as const;

/**
 * The metrics every stage reports, named `vigie_<noun>_<unit>`; the `service` label says which
 * stage. Labels are bounded: topic, partition, and a stable error code as reason — never an
 * event, alert or message id.
 *
 * Services add their own metrics to the same registry:
 * `new Counter({ name: 'vigie_correlator_alerts_fired_total', help: '…', labelNames: ['level'], registers: [metrics.registry] })`.
 */
export class PipelineMetrics {
  readonly consumed: Counter<'topic'>;
  readonly produced: Counter<'topic'>;
  readonly batchDuration: Histogram;
  readonly batchSize: Histogram;
  readonly deadLetters: Counter<'topic' | 'reason'>;
  readonly deduplicated: Counter;
  readonly lateEvents: Counter;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** 1 while the consumer batches its fetches (busy), 0 while it fetches at the first message (calm). */
  readonly fetchBusy: Gauge;
  readonly rebalances: Counter;
  readonly crashes: Counter;
  readonly redisRoundtrip: Histogram<'command'>;
  readonly endToEndLatency: Histogram;
  readonly retries: Counter;
  private readonly inputTopics = new Set<string>();
  private readonly deadLetterReasons = new Set<string>(SHARED_DEAD_LETTER_REASONS);

  /** The registry's one instance: libs/kafka and the Nest module may both ask for it without clashing names. */
  static of(registry: Registry): PipelineMetrics {
    let metrics = pipelineMetricsByRegistry.get(registry);
    if (!metrics) {
      metrics = new PipelineMetrics(registry);
      pipelineMetricsByRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(readonly registry: Registry) {
    const registers = [registry];
    this.consumed = new Counter({ name: 'vigie_messages_consumed_total', help: 'Messages read from Kafka.', labelNames: ['topic'], registers });
    this.produced = new Counter({ name: 'vigie_messages_produced_total', help: 'Messages acknowledged by Kafka.', labelNames: ['topic'], registers });
    this.batchDuration = new Histogram({
      name: 'vigie_batch_processing_duration_seconds',
      help: 'Time to process one consumed batch, commit included.',
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    this.batchSize = new Histogram({ name: 'vigie_batch_size', help: 'Messages per consumed batch.', buckets: BATCH_SIZE_BUCKETS, registers });
    this.deadLetters = new Counter({
      name: 'vigie_dead_letters_total',
      help: 'Messages sent to a dead-letter topic, by source topic and error code.',
      labelNames: ['topic', 'reason'],
      registers,
    });
    this.deduplicated = new Counter({ name: 'vigie_events_deduplicated_total', help: 'Events dropped as already seen.', registers });
    this.lateEvents = new Counter({ name: 'vigie_late_events_total', help: 'Events later than the allowed lateness, routed aside.', registers });
    this.consumerLag = new Gauge({
      name: 'vigie_consumer_lag_messages',
      help: "Messages between the consumer group's committed offset and the partition end, polled from the broker.",
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.fetchBusy = new Gauge({
      name: 'vigie_consumer_fetch_busy',
      help: 'Whether the consumer is busy: 1 while its fetches wait for 64 KiB (KAFKA_FETCH_BUSY_RATE reached), 0 while they return at the first message.',
      registers,
    });
    this.rebalances = new Counter({ name: 'vigie_consumer_rebalances_total', help: 'Consumer group rebalances joined.', registers });
    this.crashes = new Counter({ name: 'vigie_consumer_crashes_total', help: 'Consumer crashes (kafkajs CRASH events).', registers });
    this.redisRoundtrip = new Histogram({
      name: 'vigie_redis_roundtrip_duration_seconds',
      help: 'Redis round trip of one command (scripts are evalsha), from sending to its reply.',
      labelNames: ['command'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    this.endToEndLatency = new Histogram({
      name: 'vigie_end_to_end_latency_seconds',
      help: "From the reportedAt of the newest report behind an alert version to the broker's acknowledgement of its publication (correlator) or delivery (dispatcher).",
      buckets: END_TO_END_BUCKETS_SECONDS,
      registers,
    });
    this.retries = new Counter({ name: 'vigie_retries_total', help: 'Retried attempts at processing a message or batch.', registers });
  }

  /*
   * A labelled series is born at its first increment; Prometheus then first sees it above zero, and
   * increase() and rate() never count that first step. The series the stage can know of start at 0.
   */

  /** Topics the stage consumes (learnt from its group assignment): consumption and dead letters start at 0. */
  expectInputTopics(topics: Iterable<string>): this {
    for (const topic of topics) {
      if (this.inputTopics.has(topic)) continue;
      this.inputTopics.add(topic);
      this.consumed.inc({ topic }, 0);
      for (const reason of this.deadLetterReasons) this.deadLetters.inc({ topic, reason }, 0);
    }
    return this;
  }

  /** Error codes the stage's own checks dead-letter with, beside SHARED_DEAD_LETTER_REASONS: they start at 0 on every input topic. */
  expectDeadLetterReasons(reasons: Iterable<string>): this {
    for (const reason of reasons) {
      if (this.deadLetterReasons.has(reason)) continue;
      this.deadLetterReasons.add(reason);
      for (const topic of this.inputTopics) this.deadLetters.inc({ topic, reason }, 0);
    }
    return this;
  }
}
