/**
 * patches/kafkajs lets a consumer's minBytes, maxWaitTimeInMs, maxBytes and maxBytesPerPartition be
 * functions, read before every fetch: that is how StageRunner switches a member between calm and
 * busy fetches (FetchPacing), and shares a fetch between the partitions it was assigned.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { StageRunner } from './stage-runner';
import { NOOP_OBSERVER, type StageHandler, type StructuredLogger } from './types';

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

  it('reads minBytes, maxWaitTimeInMs and the byte limits from functions before each fetch, and receives what is sent', async () => {
    const asked = { minBytes: 0, maxWait: 0, maxBytes: 0, perPartition: 0 };
    const consumer = kafka.consumer({
      groupId: `${topic}-group`,
      minBytes: (() => ++asked.minBytes && 1) as unknown as number,
      maxWaitTimeInMs: (() => ++asked.maxWait && 100) as unknown as number,
      maxBytes: (() => ++asked.maxBytes && 1024 * 1024) as unknown as number,
      maxBytesPerPartition: (() => ++asked.perPartition && 256 * 1024) as unknown as number,
    });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
      await producer.send({ topic, messages: [{ value: 'first' }] });
      await waitUntil(() => received.length === 1, 'the first message', { intervalMs: 20 });
      await producer.send({ topic, messages: [{ value: 'second' }] });
      await waitUntil(() => received.length === 2, 'the second message', { intervalMs: 20 });
      expect(received).toEqual(['first', 'second']);
      // 'second' was sent once 'first' was in: two fetches at least brought them, each read both.
      expect(asked.minBytes).toBeGreaterThanOrEqual(2);
      expect(asked.maxWait).toBe(asked.minBytes);
      expect(asked.maxBytes).toBe(asked.minBytes);
      expect(asked.perPartition).toBe(asked.minBytes);
    } finally {
      await consumer.disconnect();
    }
  });
});

describe('a stage runner on a real broker', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'fetch-pacing-runner-int-spec', logLevel: logLevel.NOTHING });
  const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

  it('turns busy while it works through a backlog, and calm again once through it', async () => {
    const topic = `fetch-pacing-runner-${Date.now()}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${topic}.backlog`, numPartitions: 1 }] });
    for (let i = 0; i < 10; i++) await producer.send({ topic: `${topic}.backlog`, messages: Array.from({ length: 1_000 }, (_, j) => ({ value: `m${i}-${j}` })) });
    let handled = 0;
    const handler: StageHandler = {
      handleBatch: async (messages) => {
        handled += messages.length;
        return messages.map(() => ({ kind: 'emit', disposition: 'processed', messages: [] }));
      },
    };
    const modes: boolean[] = [];
    const runner = new StageRunner(kafka, {
      stage: 'test', groupId: `${topic}-group`, topics: [`${topic}.backlog`], deadLetterTopic: `${topic}.dlq`, handler, log: quiet,
      fetchBusyRate: 100, fetchMaxWaitMs: 20,
      observer: { ...NOOP_OBSERVER, fetchPaced: (busy) => void modes.push(busy) },
    });
    try {
      await runner.start();
      await waitUntil(() => handled === 10_000 && modes.length >= 2, 'the backlog handled, busy then calm', { intervalMs: 20 });
      expect(modes.slice(0, 2)).toEqual([true, false]);
    } finally {
      await runner.stop();
      await admin.deleteTopics({ topics: [`${topic}.backlog`] }).catch(() => {});
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});

