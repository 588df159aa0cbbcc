import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry, type PipelineMetrics } from '@vigie/observability';
import type { StructuredLogger } from '@vigie/kafka';
import { connectRedis, createRedis, observeRoundTrips, pingRedis, type RedisClient } from '@vigie/state';
import { LOGGER, METRICS, SERVICE_CONFIG } from './tokens';

/** Injection token of the service's Redis connection. */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  /** Runs after the stage has drained (Nest closes microservices before shutdown hooks). */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One Redis connection per service, from REDIS_URL, part of readiness, timed, its outages logged, closed last. */
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [SERVICE_CONFIG, ReadinessRegistry, METRICS, LOGGER],
      useFactory: async (config: { REDIS_URL: string }, readiness: ReadinessRegistry, metrics: PipelineMetrics, log: StructuredLogger): Promise<RedisClient> => {
        const redis = createRedis(config.REDIS_URL, { log });
        observeRoundTrips(redis, (command, seconds) => metrics.redisRoundtrip.observe({ command }, seconds));
        await connectRedis(redis, config.REDIS_URL);
        readiness.register('redis', () => pingRedis(redis));
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
