import { describe, expect, it } from 'vitest';
import type { Position } from '../types';
import { clipRingToBox } from './clip';

describe('clipRingToBox', () => {
  it('cuts a square straddling the box at the box side', () => {
    const square: Position[] = [
      [-2, 0],
      [2, 0],
      [2, 1],
      [-2, 1],
      [-2, 0],
    ];
    const clipped = clipRingToBox(square, [0, -5, 5, 5])!;
    expect(clipped[0]).toEqual(clipped[clipped.length - 1]);
    expect(new Set(clipped.map((p) => p.join(',')))).toEqual(new Set(['0,0', '2,0', '2,1', '0,1']));
  });

  it('keeps a ring inside the box and drops one outside', () => {
    const ring: Position[] = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    expect(clipRingToBox(ring, [0, 0, 5, 5])).toEqual(ring);
    expect(clipRingToBox(ring, [10, 10, 20, 20])).toBeNull();
  });
});
