import type { Kafka } from 'kafkajs';
import { readTopics } from './topic-reader';
import type { InboundMessage } from './types';

export interface FollowTopicsOptions {
  readonly topics: readonly string[];
  /** Stops following. */
  readonly signal: AbortSignal;
  readonly onMessage: (message: InboundMessage) => void | Promise<void>;
  /** Called once, when every record that existed when following began has been passed to onMessage. */
  readonly onCaughtUp?: () => void;
  /** `topic/partition` → offset to start from; other partitions are read from their beginning. */
  readonly startAt?: ReadonlyMap<string, bigint>;
}

/**
 * Reads topics from their beginning and keeps following them, telling when it has caught up with
 * what they held at the start: how a process materialises a compacted topic (a table of the latest
 * value per key) and then keeps it current. The throw-away group commits nothing, so every start
 * reads everything again.
 */
export async function followTopics(kafka: Kafka, options: FollowTopicsOptions): Promise<number> {
  const pending = await lastOffsets(kafka, options.topics);
  // A partition read from past its last record has nothing to catch up with.
  for (const [key, start] of options.startAt ?? []) if (start > (pending.get(key) ?? -1n)) pending.delete(key);
  let caughtUp = false;
  const check = (): void => {
    if (!caughtUp && pending.size === 0) {
      caughtUp = true;
      options.onCaughtUp?.();
    }
  };
  check();
  if (options.signal.aborted) return 0;
  return readTopics(kafka, {
    topics: options.topics,
    fromBeginning: true,
    signal: options.signal,
    ...(options.startAt ? { startAt: options.startAt } : {}),
    onMessage: async (message) => {
      await options.onMessage(message);
      const key = `${message.topic}/${message.partition}`;
      const last = pending.get(key);
      if (last !== undefined && BigInt(message.offset) >= last) pending.delete(key);
      check();
    },
  });
}

/** Reads topics from their beginning up to what they hold now, then stops; returns how many records it read. */
export async function readTopicsToEnd(kafka: Kafka, topics: readonly string[], onMessage: (message: InboundMessage) => void | Promise<void>): Promise<number> {
  const abort = new AbortController();
  return followTopics(kafka, { topics, signal: abort.signal, onMessage, onCaughtUp: () => abort.abort() });
}

/**
 * Reads topics from their first record stamped at or after `since` (the records' timestamps, as
 * their producers set them) up to what they hold now, then stops; returns how many records it read.
 * What a long-retained topic holds before `since` is never fetched.
 */
export async function readTopicsSince(kafka: Kafka, topics: readonly string[], since: number, onMessage: (message: InboundMessage) => void | Promise<void>): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const startAt = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      // A partition with no record since then answers its end offset.
      for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, since)) startAt.set(`${topic}/${p.partition}`, BigInt(p.offset));
    }
  } finally {
    await admin.disconnect();
  }
  const abort = new AbortController();
  return followTopics(kafka, { topics, signal: abort.signal, onMessage, onCaughtUp: () => abort.abort(), startAt });
}

/** `topic/partition` → offset of its last record, for the partitions that hold any. */
async function lastOffsets(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const last = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) last.set(`${topic}/${p.partition}`, BigInt(p.high) - 1n);
      }
    }
    return last;
  } finally {
    await admin.disconnect();
  }
}
