import { headerMillis, type InboundMessage } from './types';

/**
 * When the feed published the report a message derives from (epoch millis as text). Every stage
 * output carries its source's value, so each hop can put what it fetched back in publication order.
 */
export const PUBLISHED_AT_HEADER = 'vigie-published-at';

/** One key per topic partition (for maps of a round's partitions). */
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** A feed's record has no such header: its own timestamp is when the feed published it. */
export const publishedAtOf = (message: InboundMessage): number => headerMillis(message, PUBLISHED_AT_HEADER);

/** One partition's batch of a fetch. */
export interface FetchedBatch {
  readonly messages: readonly InboundMessage[];
  /** The partition holds more than this batch: what comes next was published later. */
  readonly more: boolean;
}

/** The messages of a round to process now, in publication order, with their publication times. */
export interface MergedRound {
  readonly messages: readonly InboundMessage[];
  readonly publishedAt: readonly number[];
}

/**
 * Merges the partition batches of one fetch into publication order: a stage that handled its
 * partitions one after another would write weeks of a fast replay out of order, and the
 * correlator would find most of it late. Like Kafka Streams' partition group, it goes no further
 * than the horizon: the earliest last publication time of the batches whose partitions have more
 * to fetch. Beyond it, such a partition's next messages may come first, so the rest of each batch
 * is left for the next fetch. Each batch goes up to its last message within the horizon (a
 * partition out of order in itself keeps its order), so the batch that sets the horizon goes
 * whole and every round progresses. Each partition's messages keep their offset order, so offsets
 * can be resolved as chunks complete.
 */
export function mergeRound(batches: readonly FetchedBatch[]): MergedRound {
  const times = batches.map((b) => b.messages.map(publishedAtOf));
  let horizon = Infinity;
  batches.forEach((b, i) => {
    const t = times[i] as number[];
    if (b.more && t.length > 0) horizon = Math.min(horizon, t[t.length - 1] as number);
  });
  const ends = times.map((t): number => {
    let end = t.length;
    while (end > 0 && (t[end - 1] as number) > horizon) end--;
    return end;
  });
  return merge(batches, times, ends);
}

/**
 * Where to cut a merged round into chunks for the handler: at most `maxPerPartition` messages of
 * any one partition in a chunk, so that a call's fixed costs (a Redis pipeline, a produce request)
 * cover as many messages of each partition as when a call held one partition's.
 */
export function chunkEnds(messages: readonly InboundMessage[], maxPerPartition: number): number[] {
  const ends: number[] = [];
  let counts = new Map<string, number>();
  messages.forEach((m, i) => {
    const key = partitionKey(m.topic, m.partition);
    const count = (counts.get(key) ?? 0) + 1;
    if (count > maxPerPartition) {
      ends.push(i);
      counts = new Map([[key, 1]]);
    } else {
      counts.set(key, count);
    }
  });
  if (messages.length > 0) ends.push(messages.length);
  return ends;
}

function merge(batches: readonly FetchedBatch[], times: readonly number[][], ends: readonly number[]): MergedRound {
  const next = batches.map(() => 0);
  const messages: InboundMessage[] = [];
  const publishedAt: number[] = [];
  for (let b = earliestHead(times, next, ends); b >= 0; b = earliestHead(times, next, ends)) {
    const i = next[b] as number;
    messages.push((batches[b] as FetchedBatch).messages[i] as InboundMessage);
    publishedAt.push((times[b] as number[])[i] as number);
    next[b] = i + 1;
  }
  return { messages, publishedAt };
}

/** The batch whose next message was published first (ties: the earlier batch), or -1 when all are done. */
function earliestHead(times: readonly number[][], next: readonly number[], ends: readonly number[]): number {
  let best = -1;
  let bestTime = Infinity;
  for (let b = 0; b < times.length; b++) {
    const i = next[b] as number;
    if (i >= (ends[b] as number)) continue;
    const t = (times[b] as number[])[i] as number;
    if (best < 0 || t < bestTime) {
      best = b;
      bestTime = t;
    }
  }
  return best;
}
