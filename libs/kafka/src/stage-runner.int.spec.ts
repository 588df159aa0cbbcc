/**
 * The stage runner on a real broker: poison messages are isolated and dead-lettered with their
 * reason while the rest of the chunk goes through; infrastructure failures are retried, never
 * dead-lettered; offsets are committed, so a restarted runner does not redo finished work; a chunk
 * redone after a failed produce is reported completed once.
 */
import { VigieError } from '@vigie/contracts';
import { KafkaJSConnectionError, type ConsumerConfig, type Kafka, type ProducerConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from './connection';
import { DEAD_LETTER_HEADERS, readDeadLetterReason } from './dead-letter';
import { BatchProducer } from './producer';
import { StageRunner } from './stage-runner';
import { readTopics } from './topic-reader';
import { NOOP_OBSERVER, type InboundMessage, type MessageOutcome, type StageHandler, type StageObserver, type StructuredLogger } from './types';

const run = `runner-${Date.now().toString(36)}`;
const input = `${run}.in`;
const output = `${run}.out`;
const deadLetters = `${run}.dlq`;
const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: run, ssl: false });
const FAST_RETRY = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 };

/** Forwards every message, failing as each test wants. */
function handler(fail: (m: InboundMessage, call: number) => void): StageHandler & { calls: number } {
  const h = {
    calls: 0,
    async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
      h.calls++;
      for (const m of messages) fail(m, h.calls);
      return messages.map((m) => ({ kind: 'emit', disposition: 'processed', messages: [{ topic: output, key: m.key, value: m.value! }] }));
    },
  };
  return h;
}

async function readAll(topic: string, count: number): Promise<InboundMessage[]> {
  const seen: InboundMessage[] = [];
  await readTopics(kafka, { topics: [topic], fromBeginning: true, maxMessages: count, idleTimeoutMs: 15_000, onMessage: (m) => void seen.push(m) });
  return seen;
}

async function runUntil(stage: StageHandler, groupId: string, done: () => boolean): Promise<void> {
  const runner = new StageRunner(kafka, { stage: 'test', groupId, topics: [input], deadLetterTopic: deadLetters, handler: stage, log: quiet, retry: FAST_RETRY });
  await runner.start();
  const deadline = Date.now() + 30_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await runner.stop();
}

describe('StageRunner on a real broker', () => {
  const admin = kafka.admin();
  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [input, output, deadLetters].map((topic) => ({ topic, numPartitions: 1 })) });
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send(['ok-1', 'poison', 'ok-2', 'bug', 'ok-3'].map((v) => ({ topic: input, key: v, value: Buffer.from(v) })));
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [input, output, deadLetters] }).catch(() => {});
    await admin.disconnect();
  });

  it('dead-letters poison messages with their reason and forwards the rest, after bounded retries', async () => {
    const stage = handler((m) => {
      const v = m.value!.toString();
      if (v === 'poison') throw new VigieError('POISON', 'this message cannot be processed', false);
      if (v === 'bug') throw new TypeError('unexpected bug');
    });
    // The whole chunk is tried 3 times, then one message at a time: poison and bug 3 times each.
    const expectedCalls = 3 + 1 + 3 + 1 + 3 + 1;
    await runUntil(stage, `${run}-a`, () => stage.calls >= expectedCalls);
    const forwarded = await readAll(output, 3);
    const dead = await readAll(deadLetters, 2);
    expect(forwarded.map((m) => m.value!.toString()).sort()).toEqual(['ok-1', 'ok-2', 'ok-3']);
    const reasons = dead.map((m) => ({ value: m.value!.toString(), ...readDeadLetterReason(m.headers) }));
    expect(reasons).toEqual(
      expect.arrayContaining([
        { value: 'poison', code: 'POISON', message: 'this message cannot be processed', stage: 'test' },
        { value: 'bug', code: 'UNEXPECTED', message: 'unexpected bug', stage: 'test' },
      ]),
    );
    expect(dead.every((m) => m.headers[DEAD_LETTER_HEADERS.sourceTopic]?.toString() === input)).toBe(true);
    expect(stage.calls).toBe(expectedCalls);
  });

  it('retries infrastructure failures without dead-lettering, and commits what it finished', async () => {
    const before = (await readAll(output, 3)).length;
    let failures = 0;
    const stage = handler(() => {
      if (failures < 2) {
        failures++;
        throw new VigieError('REDIS_UNAVAILABLE', 'Redis is down', true);
      }
    });
    await runUntil(stage, `${run}-b`, () => stage.calls >= 3);
    expect(failures).toBe(2);
    // Everything reached the output (5 more), nothing more in the dead-letter topic.
    expect((await readAll(output, before + 5)).length).toBe(before + 5);
    expect((await readAll(deadLetters, 2)).length).toBe(2);
    // The group committed its offsets: a restarted runner finds nothing left to do.
    const offsets = await admin.fetchOffsets({ groupId: `${run}-b`, topics: [input] });
    expect(offsets[0]!.partitions[0]!.offset).toBe('5');
  });
});

describe('StageRunner and a message as large as the broker takes', () => {
  const big = `${run}-big`;
  const admin = kafka.admin();
  afterAll(async () => {
    await admin.deleteTopics({ topics: [`${big}.in`, `${big}.dlq`] }).catch(() => {});
    await admin.disconnect();
  });

  it('dead-letters it cut to fit, with the original size, and goes on with the next one', async () => {
    await admin.connect();
    await admin.createTopics({ topics: [`${big}.in`, `${big}.dlq`].map((topic) => ({ topic, numPartitions: 1 })) });
    // Within a few hundred bytes of the broker's message.max.bytes (1,048,588 for the batch):
    // accepted as it is, its dead letter with the reason headers added would not be.
    const huge = Buffer.alloc(1_048_300, 'x');
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send([{ topic: `${big}.in`, key: 'huge', value: huge }]);
    await producer.send([{ topic: `${big}.in`, key: 'after', value: Buffer.from('after') }]);
    await producer.disconnect();

    const handled: string[] = [];
    const stage: StageHandler = {
      async handleBatch(messages) {
        return messages.map((m) => {
          handled.push(m.key!.toString());
          return m.key!.toString() === 'huge'
            ? { kind: 'dead-letter', failure: { code: 'TOO_BIG', message: 'refused', attempts: 1 } }
            : { kind: 'emit', disposition: 'processed', messages: [] };
        });
      },
    };
    const runner = new StageRunner(kafka, { stage: 'test', groupId: `${big}-g`, topics: [`${big}.in`], deadLetterTopic: `${big}.dlq`, handler: stage, log: quiet, retry: FAST_RETRY });
    await runner.start();
    const deadline = Date.now() + 30_000;
    while (!handled.includes('after') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();

    expect(handled).toContain('after');
    const [dead] = await readAll(`${big}.dlq`, 1);
    expect(readDeadLetterReason(dead!.headers)).toEqual({ code: 'TOO_BIG', message: 'refused', stage: 'test' });
    expect(dead!.headers[DEAD_LETTER_HEADERS.valueTruncatedFrom]?.toString()).toBe(String(huge.length));
    expect(huge.subarray(0, dead!.value!.length).equals(dead!.value!)).toBe(true);
    const offsets = await admin.fetchOffsets({ groupId: `${big}-g`, topics: [`${big}.in`] });
    expect(offsets[0]!.partitions[0]!.offset).toBe('2');
  });
});

describe('StageRunner whose consumer stops for good', () => {
  const topic = `${run}-stops.in`;
  const admin = kafka.admin();
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  });

  it('says so, so that the service exits rather than run on consuming nothing', async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send([{ topic, key: 'k', value: Buffer.from('v') }]);
    await producer.disconnect();
    // An output the broker refuses whatever the retries (larger than message.max.bytes): kafkajs gives up.
    const stage: StageHandler = {
      async handleBatch(messages) {
        return messages.map(() => ({ kind: 'emit', disposition: 'processed', messages: [{ topic, key: 'too-big', value: Buffer.alloc(1_100_000) }] }));
      },
    };
    const stopped: string[] = [];
    const runner = new StageRunner(kafka, { stage: 'test', groupId: `${run}-stops`, topics: [topic], deadLetterTopic: topic, handler: stage, log: quiet, retry: FAST_RETRY, onConsumerStopped: (error) => stopped.push(error) });
    await runner.start();
    const deadline = Date.now() + 60_000;
    while (stopped.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatch(/larger than the max message size/);
  });
});

describe('StageRunner stopped while its infrastructure is down', () => {
  const topic = `${run}-down.in`;
  const admin = kafka.admin();
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => {});
    await admin.disconnect();
  });

  it('gives up retrying, dead-letters nothing and resolves nothing: the next owner redoes the batch', async () => {
    await admin.connect();
    await admin.createTopics({ topics: [topic, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: 1 })) });
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send([{ topic, key: 'k', value: Buffer.from('v') }]);
    await producer.disconnect();
    let calls = 0;
    const stage: StageHandler = {
      async handleBatch() {
        calls++;
        throw new VigieError('REDIS_UNAVAILABLE', 'Redis is down', true);
      },
    };
    // Retries that would last minutes: a stop must not wait for them.
    const runner = new StageRunner(kafka, { stage: 'test', groupId: `${run}-down`, topics: [topic], deadLetterTopic: `${topic}.dlq`, handler: stage, log: quiet, retry: { maxAttempts: 10_000, initialBackoffMs: 20, maxBackoffMs: 20 } });
    await runner.start();
    while (calls < 3) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    const callsAtStop = calls;
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(callsAtStop);
    const offsets = await admin.fetchOffsets({ groupId: `${run}-down`, topics: [topic] });
    expect(offsets[0]!.partitions[0]!.offset).toBe('-1');
    expect(await admin.fetchTopicOffsets(`${topic}.dlq`)).toEqual([expect.objectContaining({ partition: 0, offset: '0' })]);
  });
});

describe('StageRunner stopped while it isolates a poison message', () => {
  const topic = `${run}-isolating.in`;
  const admin = kafka.admin();
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.out`, `${topic}.dlq`] }).catch(() => {});
    await admin.disconnect();
  });

  it('commits the messages it finished before the poison one, so that the next owner does not redo them', async () => {
    await admin.connect();
    await admin.createTopics({ topics: [topic, `${topic}.out`, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: 1 })) });
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send(Array.from({ length: 5 }, (_, i) => ({ topic, key: 'k', value: Buffer.from(String(i)) })));
    await producer.disconnect();
    const tried: string[] = [];
    const stage: StageHandler = {
      async handleBatch(messages) {
        if (messages.length > 1) throw new VigieError('BAD', 'a poison message among them', false);
        const [message] = messages as [InboundMessage];
        tried.push(message.offset);
        if (message.offset === '2') {
          await new Promise((r) => setTimeout(r, 300));
          throw new VigieError('BAD', 'poison', false);
        }
        return [{ kind: 'emit', disposition: 'processed', messages: [{ topic: `${topic}.out`, key: message.key, value: message.value! }] }];
      },
    };
    // Offsets are committed at stop only (a long interval): what the stop commits is what this tests.
    const runner = new StageRunner(kafka, { stage: 'test', groupId: `${run}-isolating`, topics: [topic], deadLetterTopic: `${topic}.dlq`, handler: stage, log: quiet, retry: { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 50 }, commitIntervalMs: 60_000 });
    await runner.start();
    while (!tried.includes('2')) await new Promise((r) => setTimeout(r, 10));
    await runner.stop(); // during the poison message's retries
    const offsets = await admin.fetchOffsets({ groupId: `${run}-isolating`, topics: [topic] });
    expect(offsets[0]!.partitions[0]!.offset).toBe('2');
  });
});

describe('StageRunner redoing a chunk whose produce failed', () => {
  const topic = `${run}-redo.in`;
  const admin = kafka.admin();
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.out`, `${topic}.dlq`] }).catch(() => {});
    await admin.disconnect();
  });

  it('reports its messages completed, dead-lettered and deduplicated once, after the broker acknowledged their outputs, however often the stage handled them', async () => {
    await admin.connect();
    await admin.createTopics({ topics: [topic, `${topic}.out`, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: 1 })) });
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send(['a', 'b', 'c'].map((v) => ({ topic, key: v, value: Buffer.from(v) })));
    await producer.disconnect();
    // The runner's producer finds the broker unreachable once: kafkajs redoes the batch from its last resolved offset.
    let refusals = 1;
    const flaky = {
      consumer: (config: ConsumerConfig) => kafka.consumer(config),
      producer: (config?: ProducerConfig) => {
        const real = kafka.producer(config);
        const sendBatch = real.sendBatch.bind(real);
        real.sendBatch = (batch) => (refusals-- > 0 ? Promise.reject(new KafkaJSConnectionError('Connection error: broker unreachable (simulated)')) : sendBatch(batch));
        return real;
      },
    } as unknown as Kafka;
    let handled = 0;
    const stage: StageHandler = {
      async handleBatch(messages) {
        handled += messages.length;
        return messages.map((m): MessageOutcome => {
          const key = m.key!.toString();
          if (key === 'b') return { kind: 'emit', disposition: 'deduplicated', messages: [] };
          if (key === 'c') return { kind: 'dead-letter', failure: { code: 'BAD', message: 'bad', attempts: 1 } };
          return { kind: 'emit', disposition: 'processed', messages: [{ topic: `${topic}.out`, key: m.key, value: m.value! }] };
        });
      },
    };
    const completed: string[] = [];
    const counted = { deadLettered: 0, deduplicated: 0 };
    const observer: StageObserver = {
      ...NOOP_OBSERVER,
      completed: (messages, outcomes) => messages.forEach((m, i) => completed.push(`${m.key!.toString()} ${outcomes[i]?.kind}`)),
      deadLettered: () => void counted.deadLettered++,
      deduplicated: (count) => void (counted.deduplicated += count),
    };
    const runner = new StageRunner(flaky, { stage: 'test', groupId: `${run}-redo`, topics: [topic], deadLetterTopic: `${topic}.dlq`, handler: stage, log: quiet, retry: FAST_RETRY, observer });
    await runner.start();
    const deadline = Date.now() + 60_000;
    while (completed.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    expect(refusals).toBeLessThan(0);
    expect(handled).toBeGreaterThan(3); // the stage handled messages again
    expect(completed).toEqual(['a emit', 'b emit', 'c dead-letter']);
    expect(counted).toEqual({ deadLettered: 1, deduplicated: 1 });
    expect((await readAll(`${topic}.out`, 1)).map((m) => m.value!.toString())).toEqual(['a']);
    expect((await readAll(`${topic}.dlq`, 1)).map((m) => m.value!.toString())).toEqual(['c']);
  });
});
