import { describe, expect, it } from 'vitest';
import { RedeliveryFilter } from './redelivery-filter';

describe('RedeliveryFilter', () => {
  it('recognises the same id with the same fingerprint, not with another', () => {
    const filter = new RedeliveryFilter();
    expect(filter.isRepeat('a:x:1', 'f1')).toBe(false);
    expect(filter.isRepeat('a:x:1', 'f1')).toBe(true);
    expect(filter.isRepeat('a:x:2', 'f1')).toBe(false);
    // Other content for that version (a rebuild, a new sharing policy): the newer copy, then its repeats.
    expect(filter.isRepeat('a:x:1', 'f2')).toBe(false);
    expect(filter.isRepeat('a:x:1', 'f2')).toBe(true);
  });

  it('forgets the least recently seen beyond its capacity', () => {
    const filter = new RedeliveryFilter(2);
    filter.isRepeat('a', 'f');
    filter.isRepeat('b', 'f');
    expect(filter.isRepeat('a', 'f')).toBe(true); // seen again: now the most recent
    filter.isRepeat('c', 'f'); // forgets b
    expect(filter.isRepeat('a', 'f')).toBe(true);
    expect(filter.isRepeat('b', 'f')).toBe(false);
  });
});
