import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionClaimer } from './position-claims';
import { createRedis, type RedisClient } from './redis-connection';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:16379';

describe('PositionClaimer (real Redis)', () => {
  let redis: RedisClient;
  let pipelines = 0;
  const prefix = `vigie-test-${randomUUID()}:claims:`;

  beforeAll(async () => {
    redis = createRedis(REDIS_URL);
    // Counts the round trips: each claim call is one pipeline.
    const pipeline = redis.pipeline.bind(redis);
    redis.pipeline = ((...args: Parameters<RedisClient['pipeline']>) => {
      pipelines++;
      return pipeline(...args);
    }) as RedisClient['pipeline'];
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('grants a new key and a replay of its own position, refuses a copy from another position', async () => {
    const claimer = new PositionClaimer(redis, 60);
    expect(await claimer.claim([{ key: `${prefix}a`, position: 'feed.ml/0/1' }])).toEqual(['granted']);
    expect(await claimer.claim([{ key: `${prefix}a`, position: 'feed.ml/0/1' }, { key: `${prefix}a`, position: 'feed.ml/1/7' }])).toEqual(['granted', 'duplicate']);
    expect(await redis.ttl(`${prefix}a`)).toBeGreaterThan(0);
  });

  it('tells a copy with other content (a conflict) from one with the same content (a duplicate), and reads claims stored without content', async () => {
    const claimer = new PositionClaimer(redis, 60);
    const claim = (position: string, content?: string) => ({ key: `${prefix}d`, position, ...(content === undefined ? {} : { content }) });
    expect(await claimer.claim([claim('feed.ml/0/1', 'c1'), claim('feed.ml/0/9', 'c1'), claim('feed.ml/0/8', 'c2'), claim('feed.ml/0/1', 'c1')])).toEqual(['granted', 'duplicate', 'conflict', 'granted']);
    // A claim an earlier release stored (its position alone): its replay is granted, any other copy a duplicate.
    await redis.set(`${prefix}old`, 'feed.ml/0/2');
    const old = (position: string) => ({ key: `${prefix}old`, position, content: 'c3' });
    expect(await claimer.claim([old('feed.ml/0/2'), old('feed.ml/0/3')])).toEqual(['granted', 'duplicate']);
  });

  it('sends the claims of concurrent callers together, each caller getting its own answers in order', async () => {
    const claimer = new PositionClaimer(redis, 60);
    pipelines = 0;
    const callers = Array.from({ length: 12 }, (_, i) =>
      claimer.claim([
        { key: `${prefix}b${i}`, position: `p/${i}/1` },
        // Every caller claims the shared key too: the first in order wins it, the others see a copy.
        { key: `${prefix}shared`, position: `p/${i}/2` },
      ]),
    );
    const answers = await Promise.all(callers);
    expect(answers).toEqual(answers.map((_, i) => ['granted', i === 0 ? 'granted' : 'duplicate']));
    // The first caller leaves at once; the other eleven wait for it and leave together.
    expect(pipelines).toBe(2);
    expect(await redis.get(`${prefix}shared`)).toBe('p/0/2');
  });

  it('answers more claims than one script call takes, in order across the calls', async () => {
    const claimer = new PositionClaimer(redis, 60);
    const claims = Array.from({ length: 2_500 }, (_, i) => ({ key: `${prefix}many${i}`, position: `feed.ml/0/${i}` }));
    claims[1_200] = { key: `${prefix}many10`, position: 'feed.ml/3/1200' }; // a copy of claim 10, from another position
    claims[2_400] = { key: `${prefix}many5`, position: 'feed.ml/0/5' }; // claim 5 replayed
    const answers = await claimer.claim(claims);
    expect(answers).toHaveLength(2_500);
    expect(answers.flatMap((answer, i) => (answer === 'granted' ? [] : [i]))).toEqual([1_200]);
    expect(await redis.get(`${prefix}many10`)).toBe('feed.ml/0/10');
    expect(await redis.ttl(`${prefix}many2499`)).toBeGreaterThan(0);
  });

  it('fails every caller of a pipeline that fails, and serves the next callers again', async () => {
    const claimer = new PositionClaimer(redis, 60);
    await redis.sadd(`${prefix}set`, 'member');
    // SET ... GET on a set is a WRONGTYPE error: that pipeline's callers fail (retriably, as any Redis failure).
    const first = claimer.claim([{ key: `${prefix}c1`, position: 'p/0/1' }]);
    const failing = [claimer.claim([{ key: `${prefix}set`, position: 'p/0/2' }]), claimer.claim([{ key: `${prefix}c2`, position: 'p/0/3' }])];
    expect(await first).toEqual(['granted']);
    for (const outcome of await Promise.allSettled(failing)) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'REDIS_COMMAND_FAILED', retriable: true } });
    expect(await claimer.claim([{ key: `${prefix}c3`, position: 'p/0/4' }])).toEqual(['granted']);
  });
});
