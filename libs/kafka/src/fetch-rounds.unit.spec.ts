import { describe, expect, it } from 'vitest';
import { FetchRounds } from './fetch-rounds';

describe('FetchRounds', () => {
  it('makes one round of the batches handed over in the same turn, and the next turn another', async () => {
    const rounds: string[][] = [];
    const gather = new FetchRounds<string>(async (items) => void rounds.push([...items]));
    const first = [gather.join('p0'), gather.join('p1'), gather.join('p2')];
    await Promise.all(first);
    await gather.join('p0');
    expect(rounds).toEqual([['p0', 'p1', 'p2'], ['p0']]);
  });

  it('has every batch of a round wait for the whole round', async () => {
    let release!: () => void;
    const gather = new FetchRounds<string>(() => new Promise<void>((resolve) => (release = resolve)));
    let settled = 0;
    const joined = ['p0', 'p1'].map((p) => gather.join(p).then(() => settled++));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(0);
    release();
    await Promise.all(joined);
    expect(settled).toBe(2);
  });

  it('fails every batch of a failed round, so kafkajs fetches them all again', async () => {
    const gather = new FetchRounds<string>(async () => {
      throw new Error('Redis is down');
    });
    const results = await Promise.allSettled([gather.join('p0'), gather.join('p1')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
