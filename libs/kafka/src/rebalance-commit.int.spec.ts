/**
 * A rebalance on a real broker: a member that joins takes over partitions whose offsets the other
 * member resolved but had not committed yet (its commit interval had not come). The other member
 * commits them before it re-joins, so no message is handled twice: a re-handled alert would be
 * delivered to agencies again.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { createKafka } from './connection';
import { BatchProducer } from './producer';
import { StageRunner } from './stage-runner';
import type { InboundMessage, MessageOutcome, StageHandler, StructuredLogger } from './types';

const run = `rebalance-${Date.now().toString(36)}`;
const input = `${run}.in`;
const deadLetters = `${run}.dlq`;
const groupId = `${run}-group`;
const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: run, ssl: false });

/** Every position handled, by member, in the order handled. */
const handled: string[] = [];
const member = (name: string): StageHandler => ({
  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    for (const m of messages) handled.push(`${m.partition}/${m.offset} by ${name}`);
    return messages.map(() => ({ kind: 'emit', disposition: 'processed', messages: [] }));
  },
});

const runner = (name: string): StageRunner =>
  // The timer never commits during the test: only the rebalance can.
  new StageRunner(kafka, { stage: 'test', groupId, topics: [input], deadLetterTopic: deadLetters, handler: member(name), log: quiet, commitIntervalMs: 600_000 });

describe('a rebalance on a real broker', () => {
  const admin = kafka.admin();
  const producer = new BatchProducer(kafka);
  const publish = (round: string) => producer.send(Array.from({ length: 20 }, (_, i) => ({ topic: input, key: `key-${i}`, value: Buffer.from(`${round}-${i}`) })));
  const runners: StageRunner[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: deadLetters, numPartitions: 1 }] });
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await producer.disconnect();
    await admin.deleteTopics({ topics: [input, deadLetters] }).catch(() => {});
    await admin.disconnect();
  });

  it('commits the offsets a member resolved before its partitions move, so that nothing is handled twice', async () => {
    await publish('first');
    const a = runner('a');
    runners.push(a);
    await a.start();
    await waitUntil(() => handled.length === 20, 'member a to handle the first 20');
    expect((await admin.fetchOffsets({ groupId, topics: [input] }))[0]!.partitions.every((p) => p.offset === '-1')).toBe(true);

    const b = runner('b');
    runners.push(b);
    await b.start();
    await waitUntil(() => a.isReady() && b.isReady(), 'both members in the group');
    // Each partition's next messages come after its first ones: once they are handled, a replay would have been.
    await publish('second');
    await waitUntil(() => handled.length >= 40, 'the second 20');
    await new Promise((r) => setTimeout(r, 500));

    const positions = handled.map((h) => h.split(' ')[0]);
    expect(new Set(positions).size, handled.join(', ')).toBe(positions.length);
    expect(handled).toHaveLength(40);
    // Both partitions hold messages of both rounds, and the rebalance gave one to each member.
    expect(new Set(handled.slice(20).map((h) => h.split(' by ')[1]))).toEqual(new Set(['a', 'b']));
  });
});
