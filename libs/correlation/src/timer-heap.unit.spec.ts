import { describe, expect, it } from 'vitest';
import { TimerHeap } from './timer-heap';

describe('TimerHeap', () => {
  it('pops due zones earliest first, ties by zone key, and only the latest due of each zone', () => {
    const timers = new TimerHeap();
    timers.set('Z', 5);
    timers.set('B', 3);
    timers.set('A', 3);
    timers.set('C', 1);
    timers.set('C', 9); // supersedes 1
    timers.set('Z', null); // cancelled
    const popped: string[] = [];
    for (let due = timers.popDue(8); due; due = timers.popDue(8)) popped.push(`${due.zoneKey}@${due.due}`);
    expect(popped).toEqual(['A@3', 'B@3']);
    expect(timers.popDue(9)).toEqual({ zoneKey: 'C', due: 9 });
    expect(timers.popDue(100)).toBeUndefined();
  });
});
