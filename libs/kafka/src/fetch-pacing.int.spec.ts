/**
 * patches/kafkajs lets a consumer's minBytes and maxWaitTimeInMs be functions, read before every
 * fetch: that is how StageRunner switches a member between calm and busy fetches (FetchPacing).
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

describe('a consumer with paced fetches, against a real broker', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'fetch-pacing-int-spec', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const topic = `fetch-pacing-${Date.now()}`;

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('reads minBytes and maxWaitTimeInMs from functions before each fetch, and receives what is sent', async () => {
    const asked = { minBytes: 0, maxWait: 0 };
    const consumer = kafka.consumer({
      groupId: `${topic}-group`,
      minBytes: (() => ++asked.minBytes && 1) as unknown as number,
      maxWaitTimeInMs: (() => ++asked.maxWait && 100) as unknown as number,
    });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
      await producer.send({ topic, messages: [{ value: 'first' }] });
      await until(() => received.length === 1);
      await producer.send({ topic, messages: [{ value: 'second' }] });
      await until(() => received.length === 2);
      expect(received).toEqual(['first', 'second']);
      // 'second' was sent once 'first' was in: two fetches at least brought them, each read both.
      expect(asked.minBytes).toBeGreaterThanOrEqual(2);
      expect(asked.maxWait).toBe(asked.minBytes);
    } finally {
      await consumer.disconnect();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
