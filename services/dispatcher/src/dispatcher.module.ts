import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import type { Config } from '@vigie/config';
import type { Codecs } from '@vigie/contracts';
import type { StructuredLogger } from '@vigie/kafka';
import { CODECS, LOGGER, METRICS, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER } from '@vigie/nest-kafka';
import { AlertMetrics, type PipelineMetrics } from '@vigie/observability';
import { parseAgencyDirectory } from '@vigie/sharing';
import { RedisDeliveryLedger, type RedisClient } from '@vigie/state';
import { DispatcherStage } from './dispatcher.stage';
import type { dispatcherConfigSpec } from './dispatcher.config';

type DispatcherConfig = Config<typeof dispatcherConfigSpec>;

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: STAGE_HANDLER,
      inject: [CODECS, REDIS, SERVICE_CONFIG, LOGGER, METRICS],
      useFactory: (codecs: Codecs, redis: RedisClient, config: DispatcherConfig, log: StructuredLogger, metrics: PipelineMetrics) => {
        const directory = parseAgencyDirectory(JSON.parse(readFileSync(config.AGENCIES_FILE, 'utf8')));
        log.info('agency directory loaded', { agencies: directory.agencies.length, subscriptions: directory.subscriptions.length });
        AlertMetrics.of(metrics.registry).setSubscriptions(directory.subscriptions.map((s) => s.agencyId), directory.agencies.map((a) => a.agencyId));
        return new DispatcherStage(codecs, directory, new RedisDeliveryLedger(redis, config.DELIVERY_TTL_DAYS * 86_400, config.REDIS_KEY_PREFIX));
      },
    },
  ],
  exports: [STAGE_HANDLER],
})
export class DispatcherModule {}
