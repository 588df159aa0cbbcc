import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import type { Config } from '@vigie/config';
import type { Codecs } from '@vigie/contracts';
import { parseDuration, parseRules } from '@vigie/correlation';
import { loadGeoReference, zoneOf } from '@vigie/geo';
import type { StructuredLogger } from '@vigie/kafka';
import { CODECS, LOGGER, REDIS, RedisModule, SERVICE_CONFIG, STAGE_HANDLER } from '@vigie/nest-kafka';
import { RedisCorrelationStore, type RedisClient } from '@vigie/state';
import { CorrelatorStage } from './correlator.stage';
import type { correlatorConfigSpec } from './correlator.config';

type CorrelatorConfig = Config<typeof correlatorConfigSpec>;

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: STAGE_HANDLER,
      inject: [CODECS, REDIS, SERVICE_CONFIG, LOGGER],
      useFactory: (codecs: Codecs, redis: RedisClient, config: CorrelatorConfig, log: StructuredLogger) => {
        const rules = parseRules(readFileSync(config.RULES_FILE, 'utf8'));
        const geo = loadGeoReference(config.GEO_REFERENCE_DIR ? { dir: config.GEO_REFERENCE_DIR } : {});
        const allowedLatenessMs = parseDuration(config.CORRELATOR_ALLOWED_LATENESS, 'CORRELATOR_ALLOWED_LATENESS');
        log.info('rules loaded', { rules: rules.map((r) => r.id), referenceVersion: geo.version, allowedLatenessMs });
        const store = new RedisCorrelationStore(redis, `${config.REDIS_KEY_PREFIX}corr:`);
        return new CorrelatorStage(codecs, store, rules, (key) => zoneOf(geo, key), { allowedLatenessMs });
      },
    },
  ],
  exports: [STAGE_HANDLER],
})
export class CorrelatorModule {}
