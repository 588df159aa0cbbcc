export { createLogger, logProcessWarnings, serializeError, VigieLogger } from './logger';
export type { LogFields, LoggerOptions } from './logger';
export { JsonNestLogger } from './nest-logger';
export {
  BATCH_SIZE_BUCKETS,
  createMetricsRegistry,
  DURATION_BUCKETS_SECONDS,
  END_TO_END_BUCKETS_SECONDS,
  MetricsRegistry,
  PipelineMetrics,
  SHARED_DEAD_LETTER_REASONS,
} from './metrics';
export { AlertMetrics } from './alert-metrics';
export type { PublishedMessage } from './alert-metrics';
export { FEED_OUTCOMES, FeedMetrics, feedCountryOfTopic } from './feed-metrics';
export type { FeedOutcome } from './feed-metrics';
export { ConsumerLagMonitor, DEFAULT_LAG_POLL_INTERVAL_MS } from './consumer-lag-monitor';
export type { ConsumerLagSource } from './consumer-lag-monitor';
export { perRegistry } from './per-registry';
export { ReadinessRegistry } from './readiness';
export type { ReadinessCheck, ReadinessCheckOptions, ReadinessResult } from './readiness';
export { HealthController } from './health.controller';
export { MetricsController } from './metrics.controller';
export { ObservabilityModule } from './observability.module';
export type { ObservabilityOptions } from './observability.module';
