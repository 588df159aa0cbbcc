/** Positions either side of the memo's own that sit in the typed arrays (others go to a Map). */
const SPAN = 1024;
const values = new Int8Array(2 * SPAN);
/** Which memo wrote each slot: a new memo takes a new stamp, so it starts empty without clearing anything. */
const stamps = new Int32Array(2 * SPAN);
let lastStamp = 0;

/**
 * Small integers (levels, -128…127) memoised by window position for one evaluation. RuleScores
 * asks for the same positions over and over (a late incident walks a window's worth of them), and
 * Map lookups were most of that cost. Positions within SPAN of the memo's own sit in typed arrays
 * shared by every memo: slots another memo wrote since read as empty, so two memos alive at once
 * only recompute, never read each other's values.
 */
export class PositionMemo {
  private readonly base: number;
  private readonly stamp: number;
  private far: Map<number, number> | null = null;

  constructor(around: number) {
    this.base = around - SPAN;
    if (lastStamp === 0x7fffffff) {
      stamps.fill(0);
      lastStamp = 0;
    }
    this.stamp = ++lastStamp;
  }

  get(position: number): number | undefined {
    const i = position - this.base;
    if (i >= 0 && i < 2 * SPAN) return stamps[i] === this.stamp ? values[i] : undefined;
    return this.far?.get(position);
  }

  set(position: number, value: number): void {
    const i = position - this.base;
    if (i >= 0 && i < 2 * SPAN) {
      values[i] = value;
      stamps[i] = this.stamp;
    } else {
      (this.far ??= new Map()).set(position, value);
    }
  }
}
