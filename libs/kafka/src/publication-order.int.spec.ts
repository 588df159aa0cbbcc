/**
 * A stage on a real broker writes what it consumed from several partitions in the order the feeds
 * published it, and its outputs carry that publication time to the next stage.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from './connection';
import { PUBLISHED_AT_HEADER, publishedAtOf } from './publication-order';
import { StageRunner } from './stage-runner';
import { readTopics } from './topic-reader';
import type { InboundMessage, MessageOutcome, StageHandler, StructuredLogger } from './types';

const run = `order-${Date.now().toString(36)}`;
const input = `${run}.in`;
const output = `${run}.out`;
const sideBySide = `${run}.side`;
const deadLetters = `${run}.dlq`;
const PARTITIONS = 3;
const COUNT = 600;
const T0 = Date.now() - 60_000;
const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: run, ssl: false });

/** Forwards every message to `topic`, noting which partitions each call held. */
function forwardTo(topic: string, calls: number[][] = []): StageHandler {
  return {
    async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
      calls.push([...new Set(messages.map((m) => m.partition))]);
      return messages.map((m) => ({ kind: 'emit', disposition: 'processed', messages: [{ topic, key: null, value: m.value as Buffer }] }));
    },
  };
}

async function runUntilWritten(runner: StageRunner, topic: string): Promise<InboundMessage[]> {
  const written: InboundMessage[] = [];
  await runner.start();
  try {
    await readTopics(kafka, { topics: [topic], fromBeginning: true, maxMessages: COUNT, idleTimeoutMs: 20_000, onMessage: (m) => void written.push(m) });
  } finally {
    await runner.stop();
  }
  return written;
}

describe('publication order through a stage, on a real broker', () => {
  const admin = kafka.admin();
  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: input, numPartitions: PARTITIONS },
        { topic: output, numPartitions: 1 },
        { topic: sideBySide, numPartitions: 1 },
        { topic: deadLetters, numPartitions: 1 },
      ],
    });
    // Report i is published at T0 + i on partition i % 3, each partition's reports written in one go:
    // a stage that handled its partitions one after another would write them out of order.
    const producer = kafka.producer();
    await producer.connect();
    for (let p = 0; p < PARTITIONS; p++) {
      const messages = [];
      for (let i = p; i < COUNT; i += PARTITIONS) messages.push({ partition: p, value: String(i), timestamp: String(T0 + i) });
      await producer.send({ topic: input, messages });
    }
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [input, output, sideBySide, deadLetters] }).catch(() => {});
    await admin.disconnect();
  });

  it('writes the reports of all its partitions in publication order, each carrying its publication time', async () => {
    const runner = new StageRunner(kafka, { stage: 'test', groupId: `${run}-g`, topics: [input], deadLetterTopic: deadLetters, handler: forwardTo(output), log: quiet, maxChunkSize: 25 });
    const written = await runUntilWritten(runner, output);
    expect(written).toHaveLength(COUNT);
    expect(written.map((m) => Number(m.value?.toString()))).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    expect(written.map((m) => m.headers[PUBLISHED_AT_HEADER]?.toString())).toEqual(Array.from({ length: COUNT }, (_, i) => String(T0 + i)));
    // The next stage orders by the header, not by when this stage wrote.
    expect(written.map(publishedAtOf)).toEqual(Array.from({ length: COUNT }, (_, i) => T0 + i));
  });

  it('per partition, hands the handler one partition at a time and keeps each partition in its order', async () => {
    const calls: number[][] = [];
    const runner = new StageRunner(kafka, {
      stage: 'test', groupId: `${run}-side`, topics: [input], deadLetterTopic: deadLetters, handler: forwardTo(sideBySide, calls), log: quiet, maxChunkSize: 25, inputOrder: 'per-partition',
    });
    const written = await runUntilWritten(runner, sideBySide);
    expect(written).toHaveLength(COUNT);
    expect(calls.every((partitions) => partitions.length === 1)).toBe(true);
    const reports = written.map((m) => Number(m.value?.toString()));
    for (let p = 0; p < PARTITIONS; p++) {
      expect(reports.filter((i) => i % PARTITIONS === p)).toEqual(Array.from({ length: COUNT / PARTITIONS }, (_, k) => k * PARTITIONS + p));
    }
    expect(written.map(publishedAtOf).sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => T0 + i));
  });
});
