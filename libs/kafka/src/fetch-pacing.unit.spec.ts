import { describe, expect, it } from 'vitest';
import { BUSY_FETCH_MIN_BYTES, CALM_FETCH_WAIT_MS, FetchPacing } from './fetch-pacing';

function pacing(busyRate = 200, busyWaitMs = 50) {
  let now = 1_000_000;
  const changes: boolean[] = [];
  const p = new FetchPacing({ busyRate, busyWaitMs, now: () => now, onChange: (busy) => changes.push(busy) });
  return { p, changes, advance: (ms: number) => void (now += ms) };
}

describe('FetchPacing', () => {
  it('starts calm: a fetch returns at the first message and long-polls when there is none', () => {
    const { p } = pacing();
    expect(p.isBusy()).toBe(false);
    expect(p.minBytes()).toBe(1);
    expect(p.maxWaitMs()).toBe(CALM_FETCH_WAIT_MS);
  });

  it('turns busy after a second at the busy rate, and batches its fetches', () => {
    const { p, advance } = pacing(200, 50);
    for (let i = 0; i < 10; i++) {
      advance(100);
      p.received(25);
    }
    expect(p.isBusy()).toBe(true);
    expect(p.minBytes()).toBe(BUSY_FETCH_MIN_BYTES);
    expect(p.maxWaitMs()).toBe(50);
  });

  it('turns busy as soon as the window holds the busy rate, without waiting for the window to end', () => {
    const { p, changes, advance } = pacing(200);
    advance(50);
    p.received(150);
    expect(p.isBusy()).toBe(false);
    advance(50);
    p.received(50);
    expect(p.isBusy()).toBe(true);
    expect(changes).toEqual([true]);
  });

  it('after turning busy early, counts the burst in its window: calm again only after a quiet window', () => {
    const { p, changes, advance } = pacing(200);
    advance(900);
    p.received(200);
    expect(p.isBusy()).toBe(true);
    advance(100);
    expect(p.isBusy()).toBe(true);
    advance(999);
    expect(p.isBusy()).toBe(true);
    advance(1);
    expect(p.isBusy()).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('stays below the threshold calm', () => {
    const { p, advance } = pacing(200);
    for (let s = 0; s < 5; s++) {
      p.received(199);
      advance(1_000);
      expect(p.isBusy()).toBe(false);
    }
  });

  it('turns calm again only below half the busy rate (no flapping near the threshold)', () => {
    const { p, advance } = pacing(200);
    p.received(400);
    advance(1_000);
    expect(p.isBusy()).toBe(true);
    p.received(150);
    advance(1_000);
    expect(p.isBusy()).toBe(true);
    p.received(99);
    advance(1_000);
    expect(p.isBusy()).toBe(false);
  });

  it('turns calm when messages stop, a window after the last of them, and tells each change once', () => {
    const { p, changes, advance } = pacing(200);
    p.received(1_000);
    advance(1_000);
    expect(p.isBusy()).toBe(true);
    p.received(1_000);
    advance(1_000);
    expect(p.isBusy()).toBe(true);
    advance(1_000);
    expect(p.isBusy()).toBe(false);
    expect(p.isBusy()).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('is always busy with a busy rate of 0', () => {
    const { p, advance } = pacing(0);
    expect(p.isBusy()).toBe(true);
    advance(5_000);
    expect(p.isBusy()).toBe(true);
  });
});
