/**
 * Item lists per grid cell in compressed form (offsets + one Int32Array): no per-cell arrays to
 * chase on the hot path, and lookups allocate nothing.
 */
export class CellLists {
  private constructor(
    /** Items of cell c are items[offsets[c] .. offsets[c + 1]). */
    readonly offsets: Int32Array,
    readonly items: Int32Array,
  ) {}

  static build(cellCount: number, fill: (add: (cell: number, item: number) => void) => void): CellLists {
    const perCell: number[][] = [];
    fill((cell, item) => {
      const list = perCell[cell];
      if (list === undefined) perCell[cell] = [item];
      else if (list[list.length - 1] !== item) list.push(item);
    });
    const offsets = new Int32Array(cellCount + 1);
    for (let c = 0; c < cellCount; c++) offsets[c + 1] = offsets[c]! + (perCell[c]?.length ?? 0);
    const items = new Int32Array(offsets[cellCount]!);
    for (let c = 0; c < cellCount; c++) {
      const list = perCell[c];
      if (list !== undefined) items.set(list, offsets[c]!);
    }
    return new CellLists(offsets, items);
  }

  /**
   * Builds the lists cell after cell into one growing Int32Array: for lists computed per cell in
   * order (hundreds of thousands of items), no per-cell arrays to allocate and then copy.
   */
  static collect(cellCount: number, fill: (cell: number, push: (item: number) => void) => void): CellLists {
    const offsets = new Int32Array(cellCount + 1);
    let items = new Int32Array(1024);
    let length = 0;
    const push = (item: number): void => {
      if (length === items.length) {
        const grown = new Int32Array(items.length * 2);
        grown.set(items);
        items = grown;
      }
      items[length++] = item;
    };
    for (let cell = 0; cell < cellCount; cell++) {
      fill(cell, push);
      offsets[cell + 1] = length;
    }
    return new CellLists(offsets, items.slice(0, length));
  }

  /** The items of one cell, as a view (no copy). */
  itemsOf(cell: number): Int32Array {
    return this.items.subarray(this.offsets[cell]!, this.offsets[cell + 1]!);
  }

  count(cell: number): number {
    return this.offsets[cell + 1]! - this.offsets[cell]!;
  }
}
