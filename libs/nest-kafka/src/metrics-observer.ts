import type { StageObserver } from '@vigie/kafka';
import type { PipelineMetrics } from '@vigie/observability';

/** Turns the stage runner's hooks into the standard pipeline metrics. */
export function metricsObserver(metrics: PipelineMetrics): StageObserver {
  return {
    consumed: (topic, count) => metrics.consumed.inc({ topic }, count),
    produced: (topic, count) => metrics.produced.inc({ topic }, count),
    deadLettered: (topic, code) => metrics.deadLetters.inc({ topic, reason: code }),
    deduplicated: (count) => metrics.deduplicated.inc(count),
    late: (count) => metrics.lateEvents.inc(count),
    batchProcessed: (seconds, size) => {
      metrics.batchDuration.observe(seconds);
      metrics.batchSize.observe(size);
    },
    lag: (topic, partition, messages) => metrics.consumerLag.set({ topic, partition: String(partition) }, messages),
    rebalanced: () => metrics.rebalances.inc(),
    crashed: () => metrics.crashes.inc(),
    retried: () => metrics.retries.inc(),
    groupJoined: () => {},
  };
}
