import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTopics } from './topic-reader';

/** The reader hands a fetch's records over one by one although kafkajs gives it whole batches. */
describe('readTopics against a real broker', () => {
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'topic-reader-int-spec', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const topic = `topic-reader-${Date.now()}`;
  const COUNT = 200;

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    // One produce request: the records share a record batch, so one fetch returns them together.
    await producer.send({ topic, messages: Array.from({ length: COUNT }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { n: String(i) } })) });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('stops at maxMessages within a fetch, in offset order, with each record whole', async () => {
    const seen: { offset: string; value: string; header: string }[] = [];
    const read = await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      maxMessages: 7,
      idleTimeoutMs: 15_000,
      onMessage: (m) => void seen.push({ offset: m.offset, value: String(m.value), header: String(m.headers.n) }),
    });
    expect(read).toBe(7);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => ({ offset: String(i), value: `v${i}`, header: String(i) })));
  });

  it('waits for an asynchronous handler before the next record, and reads everything', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let overlapped = false;
    const read = await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      maxMessages: COUNT,
      idleTimeoutMs: 15_000,
      onMessage: async (m) => {
        overlapped ||= inFlight > 0;
        inFlight++;
        await new Promise((resolve) => setImmediate(resolve));
        order.push(String(m.value));
        inFlight--;
      },
    });
    expect(read).toBe(COUNT);
    expect(overlapped).toBe(false);
    expect(order).toEqual(Array.from({ length: COUNT }, (_, i) => `v${i}`));
  });

  it('hands a record over again after its handler failed, not the ones handled before it', async () => {
    const handled: number[] = [];
    let failed = false;
    await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      idleTimeoutMs: 3_000,
      onMessage: async (m) => {
        const n = Number(m.offset);
        if (n === 5 && !failed) {
          failed = true;
          throw new Error('the handler fails once');
        }
        handled.push(n);
      },
    });
    expect(failed).toBe(true);
    expect(handled).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  });

  it('counts a record once handled: one whose handler failed is counted, and handed over, again', async () => {
    const handled: number[] = [];
    let failed = false;
    const read = await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      maxMessages: 3,
      idleTimeoutMs: 5_000,
      onMessage: async (m) => {
        if (m.offset === '2' && !failed) {
          failed = true;
          throw new Error('the last record allowed fails once');
        }
        handled.push(Number(m.offset));
      },
    });
    expect(read).toBe(3);
    expect(handled).toEqual([0, 1, 2]);
  });

  it('does not count a slow handler as idle time', async () => {
    let handled = 0;
    const read = await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      maxMessages: 12,
      idleTimeoutMs: 300,
      onMessage: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        handled++;
      },
    });
    expect(read).toBe(12);
    expect(handled).toBe(12);
  });

  it('hands nothing over once its signal aborted', async () => {
    const abort = new AbortController();
    let handled = 0;
    const read = await readTopics(kafka, {
      topics: [topic],
      fromBeginning: true,
      signal: abort.signal,
      onMessage: () => {
        if (++handled === 3) abort.abort();
      },
    });
    expect(read).toBe(3);
    expect(handled).toBe(3);
  });
});
