import { Module } from '@nestjs/common';
import type { Config } from '@vigie/config';
import { encodeOncePerValue, type Codecs } from '@vigie/contracts';
import { parseDuration } from '@vigie/correlation';
import { loadGeoLayers } from '@vigie/geo';
import type { StructuredLogger } from '@vigie/kafka';
import { CODECS, LOGGER, METRICS, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER } from '@vigie/nest-kafka';
import type { PipelineMetrics } from '@vigie/observability';
import { RedisCorrelationStore, type RedisClient } from '@vigie/state';
import { correlatorMetrics } from './correlator.metrics';
import { CorrelatorStage } from './correlator.stage';
import type { correlatorConfigSpec } from './correlator.config';
import { readRulesFile } from './rules-file';
import { zoneDirectory } from './zone-directory';

type CorrelatorConfig = Config<typeof correlatorConfigSpec>;

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: STAGE_HANDLER,
      inject: [CODECS, REDIS, SERVICE_CONFIG, LOGGER, METRICS],
      useFactory: (codecs: Codecs, redis: RedisClient, config: CorrelatorConfig, log: StructuredLogger, metrics: PipelineMetrics) => {
        const rules = readRulesFile(config.RULES_FILE);
        // Zone names only: the spatial indexes are the enricher's.
        const geo = loadGeoLayers(config.GEO_REFERENCE_DIR ? { dir: config.GEO_REFERENCE_DIR } : {});
        const allowedLatenessMs = parseDuration(config.CORRELATOR_ALLOWED_LATENESS, 'CORRELATOR_ALLOWED_LATENESS');
        const zoneDetailLimit = config.CORRELATOR_ZONE_DETAIL_LIMIT;
        log.info('rules loaded', { rules: rules.map((r) => `${r.id} (${r.kind})`), referenceVersion: geo.version, allowedLatenessMs, zoneDetailLimit });
        // Each alert version is encoded once, for its publication and the outbox alike.
        const alertCodec = encodeOncePerValue(codecs.regionalAlert);
        const store = new RedisCorrelationStore(redis, `${config.REDIS_KEY_PREFIX}corr:`, alertCodec);
        const { observer, heldFrom } = correlatorMetrics(metrics.registry);
        const stage = new CorrelatorStage(codecs, store, rules, zoneDirectory(geo), { allowedLatenessMs, zoneDetailLimit, log, observer, alertCodec });
        heldFrom(() => stage.heldIncidents());
        return stage;
      },
    },
  ],
  exports: [STAGE_HANDLER],
})
export class CorrelatorModule {}
