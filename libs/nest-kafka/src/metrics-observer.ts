import type { StageObserver } from '@vigie/kafka';
import { AlertMetrics, FeedMetrics, feedCountryOfTopic, type PipelineMetrics } from '@vigie/observability';

/**
 * Turns the stage runner's hooks into the standard pipeline metrics; with `alerts`, also the alert
 * and delivery metrics of what the broker acknowledged (see AlertMetrics). A dead letter from a
 * feed topic is also a rejected report (FeedMetrics), whether ingest refused it or the runner gave
 * up on it after its retries: only this hook sees both.
 */
export function metricsObserver(metrics: PipelineMetrics, options: { readonly alerts?: boolean } = {}): StageObserver {
  const alerts = options.alerts ? AlertMetrics.of(metrics.registry) : undefined;
  return {
    consumed: (topic, count) => metrics.consumed.inc({ topic }, count),
    produced: (topic, count) => metrics.produced.inc({ topic }, count),
    deadLettered: (topic, code) => {
      metrics.deadLetters.inc({ topic, reason: code });
      if (feedCountryOfTopic(topic)) FeedMetrics.of(metrics.registry).recordDeadLetter(topic);
    },
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
    // Input topics become known here, before their first batch: their series start at 0.
    groupJoined: (assignment) => {
      metrics.expectInputTopics(Object.keys(assignment));
    },
    fetchPaced: (busy) => metrics.fetchBusy.set(busy ? 1 : 0),
    ...(alerts ? { published: (messages) => alerts.recordPublished(messages, Date.now()) } : {}),
  };
}
