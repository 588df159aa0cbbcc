import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, execPipeline, type RedisClient } from './redis-connection';
import { observeRoundTrips } from './redis-round-trips';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:16379';

describe('observeRoundTrips (real Redis)', () => {
  let redis: RedisClient;
  const timed: { command: string; seconds: number }[] = [];
  const key = `vigie-test-${randomUUID()}:round-trips`;

  beforeAll(async () => {
    redis = createRedis(REDIS_URL);
    observeRoundTrips(redis, (command, seconds) => timed.push({ command, seconds }));
    await redis.connect();
  });

  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });

  it('times single commands, every command of a pipeline and scripts, once each, with their replies unchanged', async () => {
    timed.length = 0;
    expect(await redis.set(key, '1')).toBe('OK');
    const pipeline = redis.pipeline();
    pipeline.incr(key);
    pipeline.get(key);
    expect(await execPipeline(pipeline)).toEqual([2, '2']);
    redis.defineCommand('vigieRoundTripTest', { numberOfKeys: 1, lua: "return redis.call('GET', KEYS[1])" });
    expect(await (redis as unknown as { vigieRoundTripTest(key: string): Promise<string> }).vigieRoundTripTest(key)).toBe('2');

    // ioredis tries EVALSHA first and falls back to EVAL when the script is not cached yet.
    const commands = timed.map((t) => t.command);
    expect(commands.slice(0, 3)).toEqual(['set', 'incr', 'get']);
    expect(commands.slice(3).every((c) => c === 'evalsha' || c === 'eval')).toBe(true);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(timed.every((t) => t.seconds > 0 && t.seconds < 10)).toBe(true);
  });

  it('times failed commands too', async () => {
    timed.length = 0;
    await expect(redis.call('NOSUCHCOMMAND')).rejects.toThrow();
    expect(timed.map((t) => t.command)).toEqual(['nosuchcommand']);
  });
});
