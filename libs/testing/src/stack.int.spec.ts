import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TOPICS } from '@vigie/contracts';

// The harness (global-setup.ts) resolved a stack and created the catalogue before this file ran.
describe('test stack harness', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'stack-int-spec', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 1 });

  afterAll(async () => {
    await admin.disconnect();
    redis.disconnect();
  });

  it('hands the stack to worker processes through the environment too', () => {
    expect(process.env['KAFKA_BROKERS']).toBe(inject('kafkaBrokers').join(','));
    expect(process.env['REDIS_URL']).toBe(inject('redisUrl'));
  });

  it('yields a broker that holds the catalogue topics', async () => {
    await admin.connect();
    const topics = await admin.listTopics();
    expect(topics).toContain('incidents.validated');
    expect(topics).toContain(TOPICS.regionalAlerts);
    expect(topics).toContain('feeds.ml.incidents');
  });

  it('yields a broker that rejects topics outside the catalogue (auto-creation off)', async () => {
    const producer = kafka.producer({ retry: { retries: 1 } });
    await producer.connect();
    try {
      const send = producer.send({ topic: `not.in.catalogue.${Date.now()}`, messages: [{ value: 'x' }] });
      await expect(send).rejects.toThrow(/does not host this topic-partition/);
    } finally {
      await producer.disconnect();
    }
  });

  it('yields a Redis that answers PING', async () => {
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
  });
});
