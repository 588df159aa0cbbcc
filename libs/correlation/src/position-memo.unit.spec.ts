import { describe, expect, it } from 'vitest';
import { PositionMemo } from './position-memo';

describe('PositionMemo', () => {
  it('remembers values near its position and far from it, and starts empty', () => {
    const memo = new PositionMemo(10_000);
    for (const position of [10_000, 9_000, 11_023, 50, 500_000]) {
      expect(memo.get(position)).toBeUndefined();
      memo.set(position, (position % 5) - 1);
      expect(memo.get(position)).toBe((position % 5) - 1);
    }
    expect(new PositionMemo(10_000).get(10_000)).toBeUndefined();
  });

  it('never reads what another memo alive at the same time wrote: it only finds it missing', () => {
    const a = new PositionMemo(100);
    const b = new PositionMemo(100);
    a.set(100, 2);
    b.set(100, -1);
    expect(a.get(100)).toBeUndefined();
    expect(b.get(100)).toBe(-1);
    a.set(100, 2);
    expect(a.get(100)).toBe(2);
    expect(b.get(100)).toBeUndefined();
  });
});
