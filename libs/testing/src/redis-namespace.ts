import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { deleteKeysWithPrefix } from './redis-keys';

export interface RedisNamespace {
  /** The connection, open from `beforeAll` to `afterAll`. */
  readonly redis: () => Redis;
  /** Prefix of every key the test writes; its keys are deleted afterwards. */
  readonly prefix: string;
}

/**
 * A real Redis connection and a fresh key namespace for one test file, so reruns and other tests
 * on the same Redis never see each other's keys. Call at the top of a `describe`. (Plain ioredis,
 * not @vigie/state, so that libs/state's own tests may use it without a dependency cycle.)
 */
export function useRedisNamespace(label = 'test'): RedisNamespace {
  const prefix = `vigie-${label}-${randomUUID()}:`;
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:16379', { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });
  return {
    prefix,
    redis: () => {
      if (!redis) throw new Error('useRedisNamespace: the connection opens in beforeAll');
      return redis;
    },
  };
}
