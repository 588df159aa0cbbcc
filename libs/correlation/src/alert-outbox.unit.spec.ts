import type { RegionalAlert } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { nextOutbox, type AlertOutbox } from './alert-outbox';

// The outbox only carries alerts around; their content does not matter here.
const version = (v: number): RegionalAlert => ({ alertId: 'a', version: v }) as RegionalAlert;
const versions = (outbox: AlertOutbox | null): number[] => outbox?.alerts.map((a) => a.version) ?? [];

describe('nextOutbox', () => {
  const emitted: AlertOutbox = { alerts: [version(1)], arrivals: [1_000], partition: 2, throughOffset: 20 };

  it('holds a new version, marked with the batch that emits it', () => {
    expect(nextOutbox(null, [version(1)], [1_000], { partition: 2, firstOffset: 10, lastOffset: 20 })).toEqual(emitted);
  });

  it('drops what a later batch of the same partition proves delivered', () => {
    expect(nextOutbox(emitted, [], [], { partition: 2, firstOffset: 21, lastOffset: 30 })).toBeNull();
    expect(nextOutbox(emitted, [version(2)], [null], { partition: 2, firstOffset: 21, lastOffset: 30 })).toEqual({ alerts: [version(2)], arrivals: [null], partition: 2, throughOffset: 30 });
  });

  it('keeps versions through a replay of the emitting batch, and never moves the mark back', () => {
    expect(nextOutbox(emitted, [], [], { partition: 2, firstOffset: 10, lastOffset: 15 })).toEqual(emitted);
    expect(nextOutbox(emitted, [], [], { partition: 2, firstOffset: 20, lastOffset: 25 })).toEqual({ ...emitted, throughOffset: 25 });
  });

  it('re-emits unproven versions before the new one, in version order, each with its arrival watermark', () => {
    const next = nextOutbox(emitted, [version(2)], [2_000], { partition: 2, firstOffset: 12, lastOffset: 40 });
    expect(versions(next)).toEqual([1, 2]);
    expect(next?.arrivals).toEqual([1_000, 2_000]);
  });

  it('proves nothing from another partition: keeps the versions, marked on the new partition', () => {
    expect(nextOutbox(emitted, [], [], { partition: 3, firstOffset: 100, lastOffset: 120 })).toEqual({ alerts: [version(1)], arrivals: [1_000], partition: 3, throughOffset: 120 });
  });
});
