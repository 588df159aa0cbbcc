import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Config } from '@vigie/config';
import type { Codecs } from '@vigie/contracts';
import { loadGeoLayers, zoneCatalogue } from '@vigie/geo';
import { BatchProducer, type StructuredLogger } from '@vigie/kafka';
import { CODECS, KAFKA, LOGGER, METRICS, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER, metricsObserver, type Kafka } from '@vigie/nest-kafka';
import { AlertMetrics, ReadinessRegistry, type PipelineMetrics } from '@vigie/observability';
import { RedisDeliveryLedger, type RedisClient } from '@vigie/state';
import { ensureAgencyTopics } from './control/agency-topics';
import { ControlView } from './control/control-view';
import { ControlWriter } from './control/control-writer';
import { seedOnce } from './control/seed';
import { DispatcherStage } from './dispatcher.stage';
import { restoreDeliveryLedger } from './ledger-restore';
import { dispatcherMetrics, ledgerRestoreMetrics, type LedgerRestoreTrigger } from './dispatcher.metrics';
import type { dispatcherConfigSpec } from './dispatcher.config';
import { CONTROL_CONTROLLERS } from './http/control.controllers';
import { ControlService } from './http/control.service';
import { OpenApiController } from './http/openapi.controller';
import { OperatorTokens } from './http/operator-tokens';
import { OperatorGuard } from './http/operator.guard';
import { SilenceReleaser } from './silence-release';

type DispatcherConfig = Config<typeof dispatcherConfigSpec>;

const deliveryTtlSeconds = (config: DispatcherConfig): number => config.DELIVERY_TTL_DAYS * 86_400;

const ZONE_EXISTS = Symbol('ZONE_EXISTS');
const RELEASE_PRODUCER = Symbol('RELEASE_PRODUCER');

/** Stops following, releasing and writing after the stage has drained. */
@Injectable()
class ControlCloser implements OnApplicationShutdown {
  constructor(
    @Inject(SilenceReleaser) private readonly releaser: SilenceReleaser,
    @Inject(ControlView) private readonly view: ControlView,
    @Inject(ControlWriter) private readonly writer: ControlWriter,
    @Inject(RELEASE_PRODUCER) private readonly producer: BatchProducer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.releaser.stop();
    await this.view.stop();
    await Promise.all([this.writer.disconnect(), this.producer.disconnect()]);
  }
}

@Module({
  imports: [RedisModule],
  controllers: [...CONTROL_CONTROLLERS, OpenApiController],
  providers: [
    {
      provide: ZONE_EXISTS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: DispatcherConfig) => {
        const zones = zoneCatalogue(loadGeoLayers(config.GEO_REFERENCE_DIR ? { dir: config.GEO_REFERENCE_DIR } : {}));
        return (key: string): boolean => zones.has(key);
      },
    },
    {
      // Not ready before the control topics are read to the end: deciding with half a directory would misdeliver.
      provide: ControlView,
      inject: [KAFKA, CODECS, LOGGER, METRICS, ReadinessRegistry],
      useFactory: async (kafka: Kafka, codecs: Codecs, log: StructuredLogger, metrics: PipelineMetrics, readiness: ReadinessRegistry) => {
        const view = new ControlView(kafka, codecs, log);
        readiness.register('control-topics', () => view.isFollowing());
        const alertMetrics = AlertMetrics.of(metrics.registry);
        view.onChange(() => {
          const { agencies, subscriptions } = view.state.directory();
          const agencyIds = agencies.map((a) => a.agencyId);
          alertMetrics.expectAgencies(agencyIds).setSubscriptions(subscriptions.map((s) => s.agencyId), agencyIds);
        });
        await view.start();
        log.info('control topics read', { agencies: view.state.directory().agencies.length, subscriptions: view.state.directory().subscriptions.length, silences: view.state.silences().length });
        return view;
      },
    },
    {
      provide: ControlWriter,
      inject: [KAFKA, CODECS, ControlView, LOGGER, SERVICE_CONFIG, ZONE_EXISTS],
      useFactory: async (kafka: Kafka, codecs: Codecs, view: ControlView, log: StructuredLogger, config: DispatcherConfig, zoneExists: (key: string) => boolean) => {
        const writer = new ControlWriter(kafka, codecs, view, log);
        await writer.connect();
        await seedOnce(view, writer, { agencies: config.AGENCIES_FILE, sharingPolicy: config.SHARING_POLICY_FILE, zoneExists }, log);
        await ensureAgencyTopics(kafka, view.state.directory().agencies.map((a) => a.agencyId), config.KAFKA_REPLICATION_FACTOR, log);
        return writer;
      },
    },
    { provide: OperatorTokens, inject: [SERVICE_CONFIG], useFactory: (config: DispatcherConfig) => OperatorTokens.parse(config.CONTROL_API_TOKENS) },
    OperatorGuard,
    {
      provide: ControlService,
      inject: [ControlView, ControlWriter, ZONE_EXISTS, KAFKA, SERVICE_CONFIG, LOGGER],
      useFactory: (view: ControlView, writer: ControlWriter, zoneExists: (key: string) => boolean, kafka: Kafka, config: DispatcherConfig, log: StructuredLogger) =>
        new ControlService(view, writer, { zoneExists, ensureAgencyTopic: (id) => ensureAgencyTopics(kafka, [id], config.KAFKA_REPLICATION_FACTOR, log) }),
    },
    {
      provide: RELEASE_PRODUCER,
      inject: [KAFKA, METRICS],
      useFactory: async (kafka: Kafka, metrics: PipelineMetrics) => {
        const producer = new BatchProducer(kafka, metricsObserver(metrics));
        await producer.connect();
        return producer;
      },
    },
    {
      provide: SilenceReleaser,
      inject: [KAFKA, CODECS, ControlView, RELEASE_PRODUCER, LOGGER, SERVICE_CONFIG, ControlWriter],
      useFactory: (kafka: Kafka, codecs: Codecs, view: ControlView, producer: BatchProducer, log: StructuredLogger, config: DispatcherConfig) => {
        const releaser = new SilenceReleaser(kafka, codecs, view, producer, log, { lookbackMs: config.SILENCE_RELEASE_LOOKBACK_HOURS * 3_600_000, ledgerReachMs: deliveryTtlSeconds(config) * 1_000 });
        releaser.start();
        return releaser;
      },
    },
    {
      // After a loss of Redis, the ledger is restored from the agency topics before the stage
      // consumes, and again if Redis is emptied while it runs (the ledger notices at its next claim).
      provide: STAGE_HANDLER,
      inject: [CODECS, REDIS, SERVICE_CONFIG, ControlView, METRICS, KAFKA, LOGGER, ControlWriter],
      useFactory: async (codecs: Codecs, redis: RedisClient, config: DispatcherConfig, view: ControlView, metrics: PipelineMetrics, kafka: Kafka, log: StructuredLogger) => {
        const restoreMetrics = ledgerRestoreMetrics(metrics.registry);
        const ledger = new RedisDeliveryLedger(redis, deliveryTtlSeconds(config), config.REDIS_KEY_PREFIX, {
          restoreWhenLost: async () => {
            log.warn('the delivery ledger is gone from Redis (emptied or replaced), or was restored for a shorter DELIVERY_TTL_DAYS: restoring it before delivering more');
            await restoreLedger('lost');
          },
        });
        async function restoreLedger(trigger: LedgerRestoreTrigger): Promise<void> {
          const agencyIds = view.state.directory().agencies.map((a) => a.agencyId);
          try {
            const summary = await restoreDeliveryLedger(kafka, codecs, ledger, { agencyIds, log });
            if (summary) restoreMetrics.restored(trigger, summary);
          } catch (error) {
            restoreMetrics.failed(trigger);
            throw error;
          }
        }
        await restoreLedger('start');
        return new DispatcherStage(codecs, view.state, ledger, Date.now, dispatcherMetrics(metrics.registry));
      },
    },
    ControlCloser,
  ],
  exports: [STAGE_HANDLER],
})
export class DispatcherModule {}
