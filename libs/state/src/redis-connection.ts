import { VigieError } from '@vigie/contracts';
import Redis from 'ioredis';

export type RedisClient = Redis;

/** Connects with bounded command retries so a Redis outage surfaces as a retriable error, not a hang. */
export function createRedis(url: string): RedisClient {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

/**
 * Items per script call (claims, restored deliveries): the arguments of one call are spread on
 * the stack, and a call of a few milliseconds at most lets Redis serve other clients between them.
 */
const SCRIPT_CHUNK = 1_000;

/** `items` cut into script calls of SCRIPT_CHUNK, in order. */
export function scriptChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += SCRIPT_CHUNK) chunks.push(items.slice(at, at + SCRIPT_CHUNK));
  return chunks;
}

/** Runs a pipeline and turns any command or connection failure into a retriable VigieError. */
export async function execPipeline(pipeline: ReturnType<RedisClient['pipeline']>): Promise<unknown[]> {
  let results: [Error | null, unknown][] | null;
  try {
    results = await pipeline.exec();
  } catch (error) {
    throw new VigieError('REDIS_UNAVAILABLE', `Redis pipeline failed: ${String(error)}`, true);
  }
  if (!results) throw new VigieError('REDIS_UNAVAILABLE', 'Redis pipeline was discarded', true);
  return results.map(([error, value]) => {
    if (error) throw new VigieError('REDIS_COMMAND_FAILED', `Redis command failed: ${error.message}`, true);
    return value;
  });
}

export async function pingRedis(redis: RedisClient): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
