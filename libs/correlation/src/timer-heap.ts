/**
 * Zones waiting for a clock to reach a time, earliest first (ties by zone key, so firing order is
 * deterministic). Lazy: a zone's newer due time supersedes the entries pushed before it.
 */
export class TimerHeap {
  private readonly heap: [number, string][] = [];
  private readonly current = new Map<string, number>();

  set(zoneKey: string, due: number | null): void {
    if (due === null) {
      this.current.delete(zoneKey);
      return;
    }
    if (this.current.get(zoneKey) === due) return;
    this.current.set(zoneKey, due);
    this.heap.push([due, zoneKey]);
    this.up(this.heap.length - 1);
  }

  /** Removes and returns the earliest zone due at or before `time`, or undefined. */
  popDue(time: number): { zoneKey: string; due: number } | undefined {
    while (this.heap.length > 0) {
      const [due, zoneKey] = this.heap[0] as [number, string];
      if (this.current.get(zoneKey) !== due) {
        this.pop();
        continue;
      }
      if (due > time) return undefined;
      this.pop();
      this.current.delete(zoneKey);
      return { zoneKey, due };
    }
    return undefined;
  }

  private static less(a: [number, string], b: [number, string]): boolean {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }

  private pop(): void {
    const last = this.heap.pop() as [number, string];
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && TimerHeap.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < this.heap.length && TimerHeap.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!TimerHeap.less(this.heap[i]!, this.heap[p]!)) return;
      [this.heap[i], this.heap[p]] = [this.heap[p]!, this.heap[i]!];
      i = p;
    }
  }
}
