/**
 * Partition assignment by weight on a real broker: two stage runners share a topic whose first
 * partition holds as many messages as the three others together. The member that gets it gets
 * nothing else (round robin would give each member two partitions: 400 messages against 200).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { createKafka } from './connection';
import { StageRunner } from './stage-runner';
import { NOOP_OBSERVER, type InboundMessage, type MessageOutcome, type StageHandler, type StructuredLogger } from './types';

const run = `assign-${Date.now().toString(36)}`;
const input = `${run}.in`;
const deadLetters = `${run}.dlq`;
const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: run, ssl: false });
const MESSAGES = [300, 100, 100, 100];

const idle: StageHandler = {
  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    return messages.map(() => ({ kind: 'emit', disposition: 'processed', messages: [] }));
  },
};

describe('the load-balanced partition assigner on a real broker', () => {
  const admin = kafka.admin();
  const runners: StageRunner[] = [];
  /** Each member's latest assignment of the input topic. */
  const assigned = new Map<string, number[]>();
  const member = (name: string): StageRunner =>
    new StageRunner(kafka, {
      stage: 'test', groupId: `${run}-group`, topics: [input], deadLetterTopic: deadLetters, handler: idle, log: quiet,
      observer: { ...NOOP_OBSERVER, groupJoined: (assignment) => void assigned.set(name, [...(assignment[input] ?? [])].sort((x, y) => x - y)) },
    });

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: input, numPartitions: MESSAGES.length }, { topic: deadLetters, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: input, messages: MESSAGES.flatMap((count, partition) => Array.from({ length: count }, (_, i) => ({ partition, value: `${partition}-${i}` }))) });
    await producer.disconnect();
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await admin.deleteTopics({ topics: [input, deadLetters] }).catch(() => {});
    await admin.disconnect();
  });

  it("gives the member that holds the heaviest partition nothing else, so that both members' shares weigh the same", async () => {
    for (const name of ['a', 'b']) {
      const runner = member(name);
      runners.push(runner);
      await runner.start();
    }
    // Settled: both members assigned, every partition once.
    await waitUntil(() => assigned.size === 2 && [...assigned.values()].flat().length === MESSAGES.length && runners.every((r) => r.isReady()), 'the assignment of both members', { timeoutMs: 45_000 });
    expect([...assigned.values()].sort((x, y) => x.length - y.length)).toEqual([[0], [1, 2, 3]]);
  });
});
