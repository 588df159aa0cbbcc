import { RedisCorrelationStore, createRedis, type RedisClient } from '@vigie/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsIn, batch, report, stageOver, versionsIn } from './testing/correlator-fixtures';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:16379';
const PREFIX = `vigie:test:correlator:${process.pid}-${Date.now()}:`;

let redis: RedisClient;

beforeAll(async () => {
  redis = createRedis(REDIS_URL);
  await redis.connect();
});

afterAll(async () => {
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('CorrelatorStage on Redis', () => {
  it('loses no alert version to a SIGKILL between the Redis commit and the Kafka publish, and renumbers none', async () => {
    const first = batch(0, report('A', 10), report('B', 11), report('C', 12));
    // The instance commits version 1 to Redis and dies before its outputs reach Kafka.
    const [fired] = alertsIn(await stageOver(new RedisCorrelationStore(redis, PREFIX)).handleBatch(first));
    expect(fired).toMatchObject({ version: 1, status: 'FIRING' });

    // Its successor loads the partition from Redis and resumes from the last committed offset: the same batch.
    const successor = stageOver(new RedisCorrelationStore(redis, PREFIX));
    expect(alertsIn(await successor.handleBatch(first))).toEqual([fired]);
    // Once a later batch shows the replay's outputs were acknowledged, only new versions go out.
    expect(versionsIn(await successor.handleBatch(batch(3, report('D', 13), report('E', 14))))).toEqual(['2:UPDATED', '3:UPDATED']);
    expect(versionsIn(await successor.handleBatch(batch(5, report('F', 15))))).toEqual(['4:UPDATED']);
    // Four retractions, one after the other: the alert follows each, and is retracted once below LOW.
    const retractions = alertsIn(
      await successor.handleBatch(batch(6, ...['A', 'B', 'C', 'D'].map((id, i) => report(id, 10 + i, { revision: 2, status: 'RETRACTED' })))),
    );
    expect(retractions.map((a) => `${a.version}:${a.status}:${a.level}:${a.score}`)).toEqual(['5:UPDATED:MEDIUM:5', '6:UPDATED:LOW:4', '7:UPDATED:LOW:3', '8:RETRACTED:LOW:2']);
  });
});
