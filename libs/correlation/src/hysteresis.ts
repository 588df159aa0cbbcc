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

/**
 * The last position in [lo, hi] whose level reaches `level`, where levels do not rise with the
 * position (a window sliding over no new incidents), or null: a binary search, log(hi − lo) scores.
 */
export function lastReaching(lo: number, hi: number, level: number, levelAt: (position: number) => number): number | null {
  if (lo > hi || levelAt(lo) < level) return null;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (levelAt(mid) >= level) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
