import { maskUrlCredentials } from '@vigie/config';
import { VigieError } from '@vigie/contracts';
import Redis from 'ioredis';

export type RedisClient = Redis;

/** Where a connection reports its outages (the service's structured logger). */
export interface RedisConnectionLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Connects with bounded command retries so a Redis outage surfaces as a retriable error, not a hang.
 * With a `log`, the connection's failures go there, once per outage (see logConnectionState);
 * without one, ioredis prints every failed reconnection to stderr.
 */
export function createRedis(url: string, options: { readonly log?: RedisConnectionLog } = {}): RedisClient {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  if (options.log) logConnectionState(redis, url, options.log);
  return redis;
}

/**
 * Logs when the connection starts failing and when it is ready again: ioredis emits an error at
 * every reconnection attempt (several a second), which would drown the logs during an outage.
 */
function logConnectionState(redis: RedisClient, url: string, log: RedisConnectionLog): void {
  const fields = { variable: 'REDIS_URL', redisUrl: maskUrlCredentials(url) };
  let failing = false;
  redis.on('error', (error: unknown) => {
    if (failing) return;
    failing = true;
    log.error('Redis connection failing; reconnecting until it answers', { ...fields, error: String(error) });
  });
  redis.on('ready', () => {
    if (!failing) return;
    failing = false;
    log.info('Redis connection recovered', fields);
  });
}

/**
 * Connects, or fails naming REDIS_URL and why: ioredis itself rejects with "Connection is closed."
 * and reports the cause (refused, unknown host, authentication) only as an error event.
 */
export async function connectRedis(redis: RedisClient, url: string): Promise<void> {
  let cause: unknown;
  const remember = (error: unknown): void => {
    cause ??= error;
  };
  redis.on('error', remember);
  try {
    await redis.connect();
  } catch (error) {
    throw new VigieError('REDIS_UNAVAILABLE', `cannot connect to Redis at REDIS_URL=${maskUrlCredentials(url)}: ${String(cause ?? error)}`, true, {
      variable: 'REDIS_URL',
    });
  } finally {
    redis.off('error', remember);
  }
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
