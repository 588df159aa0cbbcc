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
} from './metrics';
export { ReadinessRegistry } from './readiness';
export type { ReadinessCheck, ReadinessCheckOptions, ReadinessResult } from './readiness';
export { HealthController } from './health.controller';
export { MetricsController } from './metrics.controller';
export { ObservabilityModule } from './observability.module';
export type { ObservabilityOptions } from './observability.module';
