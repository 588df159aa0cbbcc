import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@vigie/observability';
import { createRedis, pingRedis, type RedisClient } from '@vigie/state';
import { SERVICE_CONFIG } from './tokens';

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

/** One Redis connection per service, from REDIS_URL, part of readiness, closed last. */
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [SERVICE_CONFIG, ReadinessRegistry],
      useFactory: async (config: { REDIS_URL: string }, readiness: ReadinessRegistry): Promise<RedisClient> => {
        const redis = createRedis(config.REDIS_URL);
        await redis.connect();
        readiness.register('redis', () => pingRedis(redis));
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
