import { Module } from '@nestjs/common';
import type { Config } from '@vigie/config';
import type { Codecs } from '@vigie/contracts';
import { loadGeoReference } from '@vigie/geo';
import { CODECS, LOGGER, METRICS, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER } from '@vigie/nest-kafka';
import { IncidentZoneMemory, type RedisClient } from '@vigie/state';
import type { PipelineMetrics } from '@vigie/observability';
import type { StructuredLogger } from '@vigie/kafka';
import { enricherMetrics } from './enricher.metrics';
import { EnricherStage } from './enricher.stage';
import type { enricherConfigSpec } from './enricher.config';

type EnricherConfig = Config<typeof enricherConfigSpec>;

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: STAGE_HANDLER,
      inject: [CODECS, SERVICE_CONFIG, LOGGER, METRICS, REDIS],
      useFactory: (codecs: Codecs, config: EnricherConfig, log: StructuredLogger, metrics: PipelineMetrics, redis: RedisClient) => {
        const geo = loadGeoReference(config.GEO_REFERENCE_DIR ? { dir: config.GEO_REFERENCE_DIR } : {});
        log.info('geographic reference loaded', { referenceVersion: geo.version });
        const zoneMemory = new IncidentZoneMemory(redis, config.ZONE_MEMORY_TTL_DAYS * 86_400, config.REDIS_KEY_PREFIX);
        return new EnricherStage(codecs, geo, zoneMemory, Date.now, enricherMetrics(metrics.registry));
      },
    },
  ],
  exports: [STAGE_HANDLER],
})
export class EnricherModule {}
