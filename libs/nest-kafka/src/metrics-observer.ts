import type { StageObserver } from '@vigie/kafka';
import { AlertMetrics, FeedMetrics, feedCountryOfTopic, type PipelineMetrics } from '@vigie/observability';

/**
 * Turns the stage runner's hooks into the standard pipeline metrics; with `alerts`, also the alert
 * and delivery metrics of what the broker acknowledged (see AlertMetrics). Messages read from a
 * feed topic are also reports (FeedMetrics), counted by outcome once completed: accepted,
 * duplicate, or rejected whether ingest refused them or the runner gave up on them after its
 * retries, and once even when a failed produce made the runner redo their chunk.
 */
export function metricsObserver(metrics: PipelineMetrics, options: { readonly alerts?: boolean } = {}): StageObserver {
  const alerts = options.alerts ? AlertMetrics.of(metrics.registry) : undefined;
  // Whether each topic read is a feed topic: the stages that read none never register the feed metrics.
  const feedTopics = new Map<string, boolean>();
  const isFeedTopic = (topic: string): boolean => {
    let feed = feedTopics.get(topic);
    if (feed === undefined) feedTopics.set(topic, (feed = feedCountryOfTopic(topic) !== undefined));
    return feed;
  };
  return {
    consumed: (topic, count) => metrics.consumed.inc({ topic }, count),
    produced: (topic, count) => metrics.produced.inc({ topic }, count),
    completed: (messages, outcomes) => {
      if (messages.some((m) => isFeedTopic(m.topic))) FeedMetrics.of(metrics.registry).recordCompleted(messages, outcomes);
    },
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
    // Input topics become known here, before their first batch: their series start at 0.
    groupJoined: (assignment) => {
      metrics.expectInputTopics(Object.keys(assignment));
    },
    fetchPaced: (busy) => metrics.fetchBusy.set(busy ? 1 : 0),
    ...(alerts ? { published: (messages) => alerts.recordPublished(messages, Date.now()) } : {}),
  };
}
