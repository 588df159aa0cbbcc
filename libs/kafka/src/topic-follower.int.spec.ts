import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { followTopics, readTopicsSince, readTopicsToEnd } from './topic-follower';

describe('followTopics against a real broker', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'topic-follower-int-spec', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const topic = `topic-follower-${Date.now()}`;
  const empty = `${topic}.empty`;
  const send = (key: string, value: string) => producer.send({ topic, messages: [{ key, value }] });

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }, { topic: empty, numPartitions: 1 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, empty] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('reads what a topic holds, says when it caught up, then keeps following', async () => {
    for (let i = 0; i < 5; i++) await send(`k${i}`, `v${i}`);
    const seen: string[] = [];
    let seenWhenCaughtUp = -1;
    const abort = new AbortController();
    const following = followTopics(kafka, {
      topics: [topic, empty],
      signal: abort.signal,
      onMessage: (m) => void seen.push(String(m.value)),
      onCaughtUp: () => (seenWhenCaughtUp = seen.length),
    });
    await waitUntil(() => seenWhenCaughtUp >= 0, 'the follower to catch up');
    expect(seenWhenCaughtUp).toBe(5);
    await send('k9', 'later');
    await waitUntil(() => seen.includes('later'), 'the record sent later');
    abort.abort();
    expect(await following).toBe(6);
  });

  it('reads to the end and stops, also on empty topics', async () => {
    const values: string[] = [];
    expect(await readTopicsToEnd(kafka, [topic], (m) => void values.push(String(m.value)))).toBe(6);
    expect(values.sort()).toEqual(['later', 'v0', 'v1', 'v2', 'v3', 'v4']);
    expect(await readTopicsToEnd(kafka, [empty], () => {})).toBe(0);
  });

  it('reads from the first record stamped at or after a time, and nothing before it', async () => {
    const stamped = `${topic}.stamped`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: stamped, numPartitions: 3 }] });
    const t0 = Date.now() - 3_600_000;
    const old = Array.from({ length: 6 }, (_, i) => ({ key: `old${i}`, value: `old${i}`, timestamp: String(t0 + i) }));
    const recent = Array.from({ length: 4 }, (_, i) => ({ key: `new${i}`, value: `new${i}`, timestamp: String(t0 + 60_000 + i) }));
    await producer.send({ topic: stamped, messages: [...old, ...recent] });
    const values: string[] = [];
    expect(await readTopicsSince(kafka, [stamped], t0 + 60_000, (m) => void values.push(String(m.value)))).toBe(4);
    expect(values.sort()).toEqual(['new0', 'new1', 'new2', 'new3']);
    // Nothing stamped since: every partition starts at its end.
    expect(await readTopicsSince(kafka, [stamped], Date.now() + 60_000, () => {})).toBe(0);
    await admin.deleteTopics({ topics: [stamped] }).catch(() => {});
  });
});

