import { Module } from '@nestjs/common';
import type { Config } from '@vigie/config';
import type { Codecs } from '@vigie/contracts';
import { parseDuration } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import type { StructuredLogger } from '@vigie/kafka';
import { CODECS, LOGGER, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER } from '@vigie/nest-kafka';
import { RedisCorrelationStore, type RedisClient } from '@vigie/state';
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
      inject: [CODECS, REDIS, SERVICE_CONFIG, LOGGER],
      useFactory: (codecs: Codecs, redis: RedisClient, config: CorrelatorConfig, log: StructuredLogger) => {
        const rules = readRulesFile(config.RULES_FILE);
        const geo = loadGeoReference(config.GEO_REFERENCE_DIR ? { dir: config.GEO_REFERENCE_DIR } : {});
        const allowedLatenessMs = parseDuration(config.CORRELATOR_ALLOWED_LATENESS, 'CORRELATOR_ALLOWED_LATENESS');
        log.info('rules loaded', { rules: rules.map((r) => `${r.id} (${r.kind})`), referenceVersion: geo.version, allowedLatenessMs });
        const store = new RedisCorrelationStore(redis, `${config.REDIS_KEY_PREFIX}corr:`);
        return new CorrelatorStage(codecs, store, rules, zoneDirectory(geo), { allowedLatenessMs, log });
      },
    },
  ],
  exports: [STAGE_HANDLER],
})
export class CorrelatorModule {}
