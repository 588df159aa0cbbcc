import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OffsetCommitter } from './offset-committer';

type Offsets = { topics: { topic: string; partitions: { partition: number; offset: string }[] }[] };

/** Stands in for kafkajs' batch payload: resolved offsets wait until a commit includes them. */
function consumerOffsets() {
  let resolved: Offsets = { topics: [] };
  const commits: Offsets[] = [];
  let failNext = false;
  const payload = {
    uncommittedOffsets: () => resolved,
    commitOffsetsIfNecessary: vi.fn(async (offsets?: Offsets) => {
      if (failNext) {
        failNext = false;
        throw new Error('REBALANCE_IN_PROGRESS');
      }
      if (offsets) commits.push(offsets);
      resolved = { topics: [] };
    }),
  };
  return {
    payload,
    commits,
    resolve: (partition: number, offset: string) => (resolved = { topics: [{ topic: 't', partitions: [{ partition, offset }] }] }),
    failNextCommit: () => (failNext = true),
  };
}

describe('OffsetCommitter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('commits resolved offsets once per interval, not once per batch', async () => {
    const consumer = consumerOffsets();
    const committer = new OffsetCommitter(() => {}, 1_000);
    for (let i = 1; i <= 5; i++) {
      consumer.resolve(0, String(i));
      committer.resolved(consumer.payload);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(consumer.commits).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    expect(consumer.commits).toEqual([{ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '5' }] }] }]);
  });

  it('commits the last offsets of a stream that went idle', async () => {
    const consumer = consumerOffsets();
    const committer = new OffsetCommitter(() => {}, 1_000);
    consumer.resolve(2, '42');
    committer.resolved(consumer.payload);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(consumer.commits.at(-1)?.topics[0]?.partitions).toEqual([{ partition: 2, offset: '42' }]);
  });

  it('retries a failed commit at the next interval and reports the failure', async () => {
    const consumer = consumerOffsets();
    const errors: unknown[] = [];
    const committer = new OffsetCommitter((e) => errors.push(e), 1_000);
    consumer.failNextCommit();
    consumer.resolve(0, '7');
    committer.resolved(consumer.payload);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toHaveLength(1);
    expect(consumer.commits).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(consumer.commits.at(-1)?.topics[0]?.partitions).toEqual([{ partition: 0, offset: '7' }]);
  });

  it('commits everything on close, at once, and nothing afterwards', async () => {
    const consumer = consumerOffsets();
    const committer = new OffsetCommitter(() => {}, 1_000);
    consumer.resolve(1, '9');
    committer.resolved(consumer.payload);
    await committer.close();
    expect(consumer.commits).toHaveLength(1);
    consumer.resolve(1, '10');
    committer.resolved(consumer.payload);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(consumer.commits).toHaveLength(1);
  });

  it('sends nothing when no offset is waiting', async () => {
    const consumer = consumerOffsets();
    const committer = new OffsetCommitter(() => {}, 1_000);
    committer.resolved(consumer.payload);
    await vi.advanceTimersByTimeAsync(1_000);
    await committer.flush();
    expect(consumer.payload.commitOffsetsIfNecessary).not.toHaveBeenCalled();
  });
});
