/*
 * Levels rise at once and fall only after a quiet dwell: the level at position p is the highest
 * one some score reached at a position in (p − dwell, p]. `supports[i]` is the last position whose
 * score reached level index i; positions are window buckets (dwell in buckets, at least 1) or
 * arrival times (dwell in milliseconds).
 */

/** Records that the score at `position` reached level indices 0 … raw. */
export function recordSupport(supports: (number | null)[], raw: number, position: number): void {
  for (let i = 0; i <= raw; i++) supports[i] = Math.max(supports[i] ?? position, position);
}

/** The level index held at `position` (−1: none). */
export function heldLevel(supports: readonly (number | null)[], position: number, dwell: number): number {
  for (let i = supports.length - 1; i >= 0; i--) {
    const at = supports[i];
    if (at !== null && at !== undefined && position - at < Math.max(dwell, 1)) return i;
  }
  return -1;
}

/** A level that holds from `at` on, until the next step: how levels go when a window slides over no new incidents. */
export type LevelStep = readonly [at: number, level: number];

/**
 * The last position up to `to` whose level reaches `level`, given the steps of a level that only
 * falls (the first step at the first position), or null when even the first does not reach it.
 */
export function lastAtLeast(steps: readonly LevelStep[], level: number, to: number): number | null {
  if (steps.length === 0 || (steps[0] as LevelStep)[1] < level) return null;
  for (let s = 1; s < steps.length; s++) if ((steps[s] as LevelStep)[1] < level) return (steps[s] as LevelStep)[0] - 1;
  return to;
}
