import { describe, expect, it } from 'vitest';
import { heldLevel, lastAtLeast, recordSupport } from './hysteresis';

describe('hysteresis', () => {
  it('rises at once and falls only once the dwell has passed since the level was last reached', () => {
    const supports: (number | null)[] = [null, null, null, null];
    recordSupport(supports, 2, 10); // HIGH at position 10
    expect(heldLevel(supports, 10, 3)).toBe(2);
    recordSupport(supports, 0, 11); // only LOW at 11
    expect(heldLevel(supports, 11, 3)).toBe(2);
    expect(heldLevel(supports, 12, 3)).toBe(2);
    expect(heldLevel(supports, 13, 3)).toBe(0);
    expect(heldLevel(supports, 14, 3)).toBe(-1);
  });

  it('with no dwell, follows the score', () => {
    const supports: (number | null)[] = [null, null, null, null];
    recordSupport(supports, 1, 5);
    expect(heldLevel(supports, 5, 0)).toBe(1);
    expect(heldLevel(supports, 6, 0)).toBe(-1);
  });

  it('finds the last position a falling level still reaches', () => {
    const steps = [[0, 3], [2, 2], [5, 0], [6, -1]] as const;
    expect(lastAtLeast(steps, 2, 7)).toBe(4);
    expect(lastAtLeast(steps, 3, 7)).toBe(1);
    expect(lastAtLeast(steps, 0, 7)).toBe(5);
    expect(lastAtLeast([[5, 0], [6, -1]], 1, 7)).toBeNull();
    expect(lastAtLeast([[5, 1]], 1, 9)).toBe(9);
  });
});
