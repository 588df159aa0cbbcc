import { describe, expect, it } from 'vitest';
import { CellLists } from './cell-lists';

/** Cell c holds the items c, c+1, …, c + (c % 7) - 1: empty cells and lists of several lengths. */
const itemsFor = (cell: number): number[] => Array.from({ length: cell % 7 }, (_, i) => cell + i);

describe('CellLists.collect', () => {
  it('holds what each cell pushed, in order, past its initial capacity', () => {
    const cellCount = 1_000; // ~3,000 items: the growing buffer is resized at least once
    const lists = CellLists.collect(cellCount, (cell, push) => itemsFor(cell).forEach(push));
    for (let cell = 0; cell < cellCount; cell++) {
      expect(lists.count(cell)).toBe(cell % 7);
      expect([...lists.itemsOf(cell)]).toEqual(itemsFor(cell));
    }
    expect(lists.items.length).toBe(Array.from({ length: cellCount }, (_, c) => c % 7).reduce((a, b) => a + b, 0));
  });

  it('gives the same lists as build() given the same per-cell items', () => {
    const cellCount = 50;
    const collected = CellLists.collect(cellCount, (cell, push) => itemsFor(cell).forEach(push));
    const built = CellLists.build(cellCount, (add) => {
      for (let cell = 0; cell < cellCount; cell++) for (const item of itemsFor(cell)) add(cell, item);
    });
    expect(collected.offsets).toEqual(built.offsets);
    expect(collected.items).toEqual(built.items);
  });
});
