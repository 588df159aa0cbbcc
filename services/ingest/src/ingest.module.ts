import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { FeedRegistry, type Codecs } from '@vigie/contracts';
import { BatchProducer, type StageHandler } from '@vigie/kafka';
import { CODECS, KAFKA, METRICS, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER, metricsObserver, type Kafka } from '@vigie/nest-kafka';
import { ReportDedupStore, type RedisClient } from '@vigie/state';
import { FeedMetrics, type PipelineMetrics } from '@vigie/observability';
import type { Config } from '@vigie/config';
import { readFeedsFile } from './feeds-file';
import { FeedIngestController, HTTP_PRODUCER } from './http/feed-ingest.controller';
import { FeedTokens } from './http/feed-tokens';
import { ingestJsonBodyProvider } from './http/json-body';
import { ingestMetrics } from './ingest.metrics';
import { IngestStage } from './ingest.stage';
import type { ingestConfigSpec } from './ingest.config';

type IngestConfig = Config<typeof ingestConfigSpec>;

/** Closes the HTTP producer after the stage has drained. */
@Injectable()
class HttpProducerCloser implements OnApplicationShutdown {
  constructor(@Inject(HTTP_PRODUCER) private readonly producer: BatchProducer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

@Module({
  imports: [RedisModule],
  controllers: [FeedIngestController],
  providers: [
    {
      provide: HTTP_PRODUCER,
      inject: [KAFKA, METRICS],
      useFactory: async (kafka: Kafka, metrics: PipelineMetrics) => {
        const producer = new BatchProducer(kafka, metricsObserver(metrics));
        await producer.connect();
        return producer;
      },
    },
    {
      provide: FeedRegistry,
      inject: [SERVICE_CONFIG],
      useFactory: (config: IngestConfig) => readFeedsFile(config.FEEDS_FILE),
    },
    {
      // Feed activity per country; registered countries start at zero so that silent feeds show.
      provide: FeedMetrics,
      inject: [METRICS, FeedRegistry],
      useFactory: (metrics: PipelineMetrics, feeds: FeedRegistry) => ingestMetrics(metrics.registry, feeds.all().map((f) => f.country)),
    },
    { provide: FeedTokens, inject: [SERVICE_CONFIG], useFactory: (config: IngestConfig) => FeedTokens.parse(config.INGEST_FEED_TOKENS) },
    ingestJsonBodyProvider,
    {
      provide: STAGE_HANDLER,
      inject: [CODECS, FeedRegistry, REDIS, SERVICE_CONFIG],
      // Its reports are counted by outcome (FeedMetrics) once the runner had their outputs and dead
      // letters acknowledged (metricsObserver's `completed`), not as it returns: a chunk redone after
      // a failed produce is counted once.
      useFactory: (codecs: Codecs, feeds: FeedRegistry, redis: RedisClient, config: IngestConfig): StageHandler =>
        new IngestStage(codecs, feeds, new ReportDedupStore(redis, config.DEDUP_TTL_DAYS * 86_400, config.REDIS_KEY_PREFIX)),
    },
    HttpProducerCloser,
  ],
  exports: [STAGE_HANDLER],
})
export class IngestModule {}
