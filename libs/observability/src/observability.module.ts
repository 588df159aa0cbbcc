import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { createLogger, VigieLogger } from './logger';
import { createMetricsRegistry, MetricsRegistry, PipelineMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness';

export interface ObservabilityOptions {
  readonly service: string;
  /** The logger the app was created with (so Nest and the app share one); a new info logger otherwise. */
  readonly logger?: VigieLogger;
  /** A registry built beforehand (e.g. to time start-up); a new one otherwise. */
  readonly registry?: MetricsRegistry;
  /** A readiness registry built beforehand, so checks can be registered before the app exists. */
  readonly readiness?: ReadinessRegistry;
}

/**
 * GET /metrics, /health, /health/live, /health/ready, and — global, injectable by type anywhere —
 * MetricsRegistry, PipelineMetrics, VigieLogger and ReadinessRegistry.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      // Terminus would log every failed probe; ReadinessRegistry logs changes of state instead.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: MetricsRegistry, useFactory: () => options.registry ?? createMetricsRegistry(options.service) },
        { provide: PipelineMetrics, useFactory: (registry: MetricsRegistry) => PipelineMetrics.of(registry), inject: [MetricsRegistry] },
        { provide: VigieLogger, useFactory: () => options.logger ?? createLogger(options.service) },
        {
          provide: ReadinessRegistry,
          useFactory: (logger: VigieLogger) => options.readiness ?? new ReadinessRegistry(logger),
          inject: [VigieLogger],
        },
      ],
      exports: [MetricsRegistry, PipelineMetrics, VigieLogger, ReadinessRegistry],
    };
  }
}
