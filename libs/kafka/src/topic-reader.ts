import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { InboundMessage } from './types';

export interface ReadTopicOptions {
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  /** Stops after this many messages. */
  readonly maxMessages?: number;
  /** Stops after this long without a message (ms); unset: runs until the signal aborts. */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** `topic/partition` → offset to start from (see topicEndOffsets); other partitions follow `fromBeginning`. */
  readonly startAt?: ReadonlyMap<string, bigint>;
  /** Called once the reader has joined its group: from then on, `fromBeginning: false` misses nothing. */
  readonly onJoined?: () => void;
  /**
   * How a fetch waits for data: by default it returns as soon as one message is there, which suits
   * a person watching a topic. An observer that only reads the messages' timestamps (the bench's
   * latency sinks) can wait for larger fetches and spare the broker and itself the requests.
   */
  readonly fetch?: { readonly minBytes: number; readonly maxWaitMs: number };
  readonly onMessage: (message: InboundMessage) => void | Promise<void>;
}

/** How often a reader with an asynchronous handler tells the group it is alive (kafkajs sends at most one per its heartbeat interval). */
const HEARTBEAT_CHECK_MS = 1_000;

/**
 * Reads topics with a throw-away consumer group that commits nothing, for tools and tests that
 * observe a topic (the CLI's tail, end-to-end assertions) without disturbing the pipeline's groups.
 */
export async function readTopics(kafka: Kafka, options: ReadTopicOptions): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `vigie-reader-${randomUUID()}`,
    allowAutoTopicCreation: false,
    minBytes: options.fetch?.minBytes ?? 1,
    maxWaitTimeInMs: options.fetch?.maxWaitMs ?? 100,
  });
  let count = 0;
  let lastActivity = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
    let finished = false;
    let beatAt = Date.now();
    const done = new Promise<void>((resolve) => {
      const finish = (): void => {
        finished = true;
        resolve();
      };
      options.signal?.addEventListener('abort', finish, { once: true });
      if (options.idleTimeoutMs !== undefined) {
        const timer = setInterval(() => {
          if (Date.now() - lastActivity >= (options.idleTimeoutMs as number)) {
            clearInterval(timer);
            finish();
          }
        }, 100);
        options.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
      }
      // Batches, not eachMessage: kafkajs' per-message path (a promise and a heartbeat check per
      // record) cost more than the records themselves when a restore reads hundreds of thousands.
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
          const { topic, partition } = batch;
          let handledUpTo: string | undefined;
          try {
            for (const message of batch.messages) {
              if (finished || !isRunning() || isStale()) return;
              if (options.maxMessages !== undefined && count >= options.maxMessages) return;
              lastActivity = Date.now();
              const handled = options.onMessage({
                topic, partition, offset: message.offset, key: message.key, value: message.value,
                headers: message.headers ?? {}, timestamp: Number(message.timestamp),
              });
              if (handled) await handled;
              // Counted once handled: a record whose handler failed is handed over again.
              count++;
              handledUpTo = message.offset;
              if (handled) {
                // Many slow handlers in a row must neither look idle nor let the group's session lapse.
                lastActivity = Date.now();
                if (lastActivity - beatAt >= HEARTBEAT_CHECK_MS) {
                  beatAt = lastActivity;
                  await heartbeat();
                }
              }
              if (options.maxMessages !== undefined && count >= options.maxMessages) finish();
            }
          } catch (error) {
            // kafkajs' retries fetch again from the first record not resolved: the one that failed,
            // not those handled before it (a restart after its retries, or a rebalance, seeks anew).
            if (handledUpTo !== undefined) resolveOffset(handledUpTo);
            throw error;
          }
        },
      });
      // The group join alone can take a while: idle time counts from the first fetch.
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        lastActivity = Date.now();
        for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
          for (const partition of partitions) {
            const offset = options.startAt?.get(`${topic}/${partition}`);
            if (offset !== undefined) consumer.seek({ topic, partition, offset: offset.toString() });
          }
        }
        options.onJoined?.();
      });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return count;
}

/** `topic/partition` → the offset the next message will get, for reading only what comes after now. */
export async function topicEndOffsets(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}
