import { describe, expect, it } from 'vitest';
import type { Contribution } from './aggregate';
import { RuleWindow, bucketOf, windowBounds } from './rule-window';

const contribution = (overrides: Partial<Contribution> = {}): Contribution => ({
  digest: 1, weight: 1000, corroborated: 1000, category: 'SMUGGLING', source: null, key: null, keyAmount: 1, tlpRank: 1, country: 'ML', ...overrides,
});

describe('RuleWindow', () => {
  it('covers the last `size` buckets up to its position, and slides by dropping the oldest', () => {
    const window = new RuleWindow(3, false);
    for (const bucket of [1, 2, 3, 4]) window.add(bucket, contribution(), 1);
    window.moveTo(3);
    expect(window.window.n).toBe(3); // buckets 1–3
    window.moveTo(5);
    expect(window.window.n).toBe(2); // buckets 3–5: 3 and 4
    window.moveTo(50);
    expect(window.window.n).toBe(0);
  });

  it('keeps the current window in step with incidents added and removed after it moved', () => {
    const window = new RuleWindow(4, false);
    window.moveTo(10);
    window.add(9, contribution({ country: 'SN', tlpRank: 4 }), 1);
    window.add(5, contribution(), 1); // outside the window
    expect(window.window.n).toBe(1);
    expect([...window.window.countries]).toEqual([['SN', 1]]);
    window.add(9, contribution({ country: 'SN', tlpRank: 4 }), -1);
    expect(window.window).toMatchObject({ n: 0, w: 0 });
    expect(window.window.countries.size).toBe(0);
    expect(window.aggAt(8).n).toBe(1); // bucket 5 in 5–8
  });

  it('never moves back: a late clock is ignored', () => {
    const window = new RuleWindow(2, false);
    window.add(7, contribution(), 1);
    window.moveTo(8);
    window.moveTo(3);
    expect(window.at).toBe(8);
    expect(window.window.n).toBe(1);
  });

  it('forgets buckets before a bound', () => {
    const window = new RuleWindow(10, false);
    for (const bucket of [1, 2, 3]) window.add(bucket, contribution(), 1);
    window.evictBefore(3);
    expect(window.bucketCount).toBe(1);
  });

  it('has bounds aligned on the resolution, the end exclusive', () => {
    expect(windowBounds(bucketOf(10 * 3_600_000 + 5, 3_600_000), 24, 3_600_000)).toEqual({ startAt: -13 * 3_600_000, endAt: 11 * 3_600_000 });
  });
});
