import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from './connection';
import { BatchProducer } from './producer';
import { NOOP_OBSERVER } from './types';

describe('BatchProducer on a real broker', () => {
  const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'producer-int-spec', ssl: false });
  const admin = kafka.admin();
  const topic = `producer-${Date.now().toString(36)}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  });

  it('delivers more than the broker takes in one partition batch when every message has the same key', async () => {
    // 3 MiB for one partition: one request would exceed message.max.bytes (1 MiB).
    const messages = Array.from({ length: 3_000 }, () => ({ topic, key: 'COUNTRY:ML', value: Buffer.alloc(1_024, 1) }));
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send(messages);
    await producer.disconnect();
    const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    expect(total).toBe(3_000);
  });

  it('counts headers in a request\'s size: thirty dead letters of 60 KB of headers each, one key, all delivered', async () => {
    const headers = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`feed-header-${i}`, 'h'.repeat(4_000)]));
    const messages = Array.from({ length: 30 }, () => ({ topic, key: 'ml-police:X', value: Buffer.from('refused'), headers }));
    const before = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send(messages);
    await producer.disconnect();
    const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    expect(total - before).toBe(30);
  });

  it('gathers concurrent sends into shared requests and acknowledges each caller once its messages are in', async () => {
    const sent: number[] = [];
    const producer = new BatchProducer(kafka, { ...NOOP_OBSERVER, produced: (_topic, count) => sent.push(count) });
    await producer.connect();
    const before = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    // Ten partition batches arriving at once, as a consumer handling several partitions sends them.
    const callers = Array.from({ length: 10 }, (_, i) => Array.from({ length: 50 }, (_, j) => ({ topic, key: `k${i}-${j}`, value: Buffer.from(`${i}:${j}`) })));
    await Promise.all(callers.map((messages) => producer.send(messages)));
    await producer.disconnect();
    const after = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    expect(after - before).toBe(500);
    // The first caller leaves alone; the nine that came while it was in flight share one request.
    expect(sent).toEqual([50, 450]);
  });
});
