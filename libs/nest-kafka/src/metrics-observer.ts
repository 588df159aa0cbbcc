import type { StageObserver } from '@vigie/kafka';
import { AlertMetrics, type PipelineMetrics } from '@vigie/observability';

/**
 * Turns the stage runner's hooks into the standard pipeline metrics; with `alerts`, also the alert
 * and delivery metrics of what the broker acknowledged (see AlertMetrics).
 */
export function metricsObserver(metrics: PipelineMetrics, options: { readonly alerts?: boolean } = {}): StageObserver {
  const alerts = options.alerts ? AlertMetrics.of(metrics.registry) : undefined;
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
    // Lag is polled from the broker by the ConsumerLagMonitor (stage-service.ts): a batch's view freezes when fetching stops.
    lag: () => {},
    rebalanced: () => metrics.rebalances.inc(),
    crashed: () => metrics.crashes.inc(),
    retried: () => metrics.retries.inc(),
    groupJoined: () => {},
    fetchPaced: (busy) => metrics.fetchBusy.set(busy ? 1 : 0),
    ...(alerts ? { published: (messages) => alerts.recordPublished(messages, Date.now()) } : {}),
  };
}
