import { describe, expect, it } from 'vitest';
import { PUBLISHED_AT_HEADER, chunkEnds, mergeRound, publishedAtOf, type FetchedBatch } from './publication-order';
import type { InboundMessage } from './types';

/** Messages of one partition, published at the given times, at offsets 0, 1, 2… */
function batch(partition: number, times: readonly number[], more = false): FetchedBatch {
  return {
    more,
    messages: times.map((timestamp, offset) => ({ topic: 't', partition, offset: String(offset), key: null, value: null, headers: {}, timestamp })),
  };
}

const positions = (messages: readonly InboundMessage[]): string[] => messages.map((m) => `${m.partition}@${m.offset}`);

describe('mergeRound', () => {
  it('merges the partitions of a fetch in publication order, each keeping its offset order', () => {
    const round = mergeRound([batch(0, [1, 4, 5, 9]), batch(1, [2, 3, 8]), batch(2, [6])]);
    expect(round.publishedAt).toEqual([1, 2, 3, 4, 5, 6, 8, 9]);
    expect(positions(round.messages)).toEqual(['0@0', '1@0', '1@1', '0@1', '0@2', '2@0', '1@2', '0@3']);
  });

  it('stops at the horizon of a partition with more to fetch: its next messages may come first', () => {
    // Partition 1 has more after its batch, which ends at 5: nothing later is processed yet.
    const round = mergeRound([batch(0, [1, 3, 6, 7]), batch(1, [2, 5], true), batch(2, [4, 9])]);
    expect(positions(round.messages)).toEqual(['0@0', '1@0', '0@1', '2@0', '1@1']);
  });

  it('is not held back by partitions that have nothing more to fetch', () => {
    const round = mergeRound([batch(0, [10, 20]), batch(1, [1])]);
    expect(round.publishedAt).toEqual([1, 10, 20]);
  });

  it('takes the horizon from the earliest of the partitions with more to fetch', () => {
    const round = mergeRound([batch(0, [1, 8], true), batch(1, [2, 4], true), batch(2, [3, 5])]);
    expect(round.publishedAt).toEqual([1, 2, 3, 4]);
  });

  it('takes a partition out of order in itself up to its last message within the horizon, so the round progresses', () => {
    // Partition 0 sets the horizon (1) and goes whole, in its own order; partition 1 waits.
    expect(positions(mergeRound([batch(0, [3, 1], true), batch(1, [4, 6], true)]).messages)).toEqual(['0@0', '0@1']);
    // Partition 1's 7 comes before its 2, which is within the horizon 5: both go, in offset order
    // (merged by the head: 7 waits for partition 0's 5).
    expect(positions(mergeRound([batch(0, [1, 5], true), batch(1, [7, 2, 9])]).messages)).toEqual(['0@0', '0@1', '1@0', '1@1']);
  });

  it('keeps fetch order between messages published at the same time', () => {
    const round = mergeRound([batch(0, [5, 5]), batch(1, [5])]);
    expect(positions(round.messages)).toEqual(['0@0', '0@1', '1@0']);
  });

  it('returns nothing for a fetch of nothing', () => {
    expect(mergeRound([]).messages).toEqual([]);
    expect(mergeRound([batch(0, [], true)]).messages).toEqual([]);
  });
});

describe('publishedAtOf', () => {
  const message = (headers: InboundMessage['headers']): InboundMessage => ({ topic: 't', partition: 0, offset: '0', key: null, value: null, headers, timestamp: 42 });

  it('reads the publication time a stage output carries', () => {
    expect(publishedAtOf(message({ [PUBLISHED_AT_HEADER]: Buffer.from('1700000000123') }))).toBe(1_700_000_000_123);
  });

  it("falls back on the record's timestamp: a feed's record was published then", () => {
    expect(publishedAtOf(message({}))).toBe(42);
    expect(publishedAtOf(message({ [PUBLISHED_AT_HEADER]: Buffer.from('not a time') }))).toBe(42);
  });
});

describe('chunkEnds', () => {
  const of = (partitions: readonly number[]): InboundMessage[] =>
    partitions.map((partition, offset) => ({ topic: 't', partition, offset: String(offset), key: null, value: null, headers: {}, timestamp: 0 }));

  it('cuts before a partition would have more than its share of a chunk, whatever the others hold', () => {
    expect(chunkEnds(of([0, 1, 0, 1, 0, 2, 2]), 2)).toEqual([4, 7]);
    expect(chunkEnds(of([0, 0, 0]), 1)).toEqual([1, 2, 3]);
    expect(chunkEnds(of([0, 1, 2]), 1)).toEqual([3]);
    expect(chunkEnds([], 5)).toEqual([]);
  });
});
