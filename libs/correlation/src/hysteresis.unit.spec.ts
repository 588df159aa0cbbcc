import { describe, expect, it } from 'vitest';
import { heldLevel, lastReaching, recordSupport } from './hysteresis';

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

  it('finds the last position a non-rising level still reaches', () => {
    const levels = [3, 3, 2, 2, 2, 0, -1, -1];
    expect(lastReaching(0, 7, 2, (j) => levels[j] as number)).toBe(4);
    expect(lastReaching(0, 7, 3, (j) => levels[j] as number)).toBe(1);
    expect(lastReaching(5, 7, 1, (j) => levels[j] as number)).toBeNull();
  });
});
