import type { InboundMessage } from './types';

/**
 * When the feed published the report a message derives from (epoch millis as text). Every stage
 * output carries its source's value, so each hop can put what it fetched back in publication order.
 */
export const PUBLISHED_AT_HEADER = 'vigie-published-at';

/** A feed's record has no such header: its own timestamp is when the feed published it. */
export function publishedAtOf(message: InboundMessage): number {
  const raw = message.headers[PUBLISHED_AT_HEADER];
  if (raw !== undefined) {
    const value = Number(Buffer.isBuffer(raw) ? raw.toString() : raw);
    if (Number.isFinite(value)) return value;
  }
  return message.timestamp;
}

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
 * than the horizon: the last publication time of every batch whose partition has more to fetch.
 * Beyond it, that partition's next messages may come first, so the rest of each batch is left
 * for the next fetch. Each partition's messages keep their offset order, so offsets can be
 * resolved as chunks complete. If a partition out of order leaves nothing within the horizon, the
 * batch that starts first goes whole: every round progresses.
 */
export function mergeRound(batches: readonly FetchedBatch[]): MergedRound {
  const times = batches.map((b) => b.messages.map(publishedAtOf));
  let horizon = Infinity;
  batches.forEach((b, i) => {
    const t = times[i] as number[];
    if (b.more && t.length > 0) horizon = Math.min(horizon, t[t.length - 1] as number);
  });
  const ends = times.map((t): number => {
    let end = 0;
    while (end < t.length && (t[end] as number) <= horizon) end++;
    return end;
  });
  if (!ends.some((end) => end > 0)) {
    const first = earliestHead(times, times.map(() => 0), times.map((t) => t.length));
    if (first >= 0) ends[first] = (times[first] as number[]).length;
  }
  return merge(batches, times, ends);
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
