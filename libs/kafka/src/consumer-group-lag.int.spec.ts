import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConsumerGroupLagReader } from './consumer-group-lag';

describe('ConsumerGroupLagReader against a real broker', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'consumer-group-lag-int-spec', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const run = `group-lag-${Date.now()}`;
  const topic = `${run}.a`;
  const groupId = `${run}-group`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `m${i}` })) });
    await producer.send({ topic, messages: [{ partition: 1, value: 'n0' }, { partition: 1, value: 'n1' }] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  });

  it('counts from the log start before anything is committed, then from the committed offsets, for topics named or matched', async () => {
    const byName = new ConsumerGroupLagReader(kafka, groupId, [topic]);
    const byPattern = new ConsumerGroupLagReader(kafka, groupId, [new RegExp(`^${run}\\.`)]);
    // The broker lists partitions in no guaranteed order.
    const sorted = async (reader: ConsumerGroupLagReader) => (await reader.read()).sort((a, b) => a.partition - b.partition);
    try {
      expect(await sorted(byName)).toEqual([
        { topic, partition: 0, lag: 5 },
        { topic, partition: 1, lag: 2 },
      ]);
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '2' }] });
      const expected = [
        { topic, partition: 0, lag: 2 },
        { topic, partition: 1, lag: 0 },
      ];
      expect(await sorted(byName)).toEqual(expected);
      expect(await sorted(byPattern)).toEqual(expected);
    } finally {
      await byName.close();
      await byPattern.close();
    }
  });

  it('reads nothing when no topic matches', async () => {
    const reader = new ConsumerGroupLagReader(kafka, groupId, [/^no-such-topic-anywhere$/]);
    try {
      expect(await reader.read()).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
