import { describe, expect, it } from 'vitest';
import { applyEntries, emptyZoneWindow, evictBefore, type ZoneWindowState } from './apply-entries';
import { evaluateZone } from './evaluate-zone';
import type { ZoneEntry } from './correlation-store';
import type { Rule } from './rule';
import { HOUR, at, windowEvent } from './testing/window-events';
import type { WindowEvent } from './window-event';

const HORIZON = (72 + 7 * 24) * HOUR;
const entry = (offset: number, event: WindowEvent): ZoneEntry => ({ offset, event });
const eventIds = (zone: ZoneWindowState): string[] => [...zone.events.keys()].sort();

describe('applyEntries', () => {
  it('applies new entries and advances the watermark and the partition offset', () => {
    const zone = emptyZoneWindow();
    const statuses = applyEntries(zone, 0, [entry(5, windowEvent('a', 10)), entry(6, windowEvent('b', 12)), entry(7, windowEvent('c', 11))], HORIZON);
    expect(statuses).toEqual(['applied', 'applied', 'applied']);
    expect(zone.watermark).toBe(at(12));
    expect(zone.lastOffsets.get(0)).toBe(7);
    expect(eventIds(zone)).toEqual(['a', 'b', 'c']);
  });

  it('changes nothing when the same entries are replayed', () => {
    const zone = emptyZoneWindow();
    const batch = [entry(5, windowEvent('a', 10)), entry(6, windowEvent('a', 10, { revision: 2, status: 'REVISED' }))];
    applyEntries(zone, 0, batch, HORIZON);
    const before = structuredClone(zone);
    expect(applyEntries(zone, 0, batch, HORIZON)).toEqual(['replayed', 'replayed']);
    expect(zone).toEqual(before);
  });

  it('tracks offsets per partition', () => {
    const zone = emptyZoneWindow();
    applyEntries(zone, 0, [entry(50, windowEvent('a', 10))], HORIZON);
    expect(applyEntries(zone, 1, [entry(3, windowEvent('b', 10))], HORIZON)).toEqual(['applied']);
  });

  it('keeps the latest revision whatever the arrival order', () => {
    const zone = emptyZoneWindow();
    const revised = windowEvent('a', 10, { revision: 2, status: 'REVISED', category: 'DRUGS' });
    expect(applyEntries(zone, 0, [entry(1, revised), entry(2, windowEvent('a', 10))], HORIZON)).toEqual(['applied', 'stale']);
    expect(zone.events.get('a')).toEqual(revised);
    // The same revision republished at a new offset is stale too.
    expect(applyEntries(zone, 0, [entry(3, revised)], HORIZON)).toEqual(['stale']);
  });

  it('keeps a retraction as a tombstone, so an older revision arriving later cannot bring the incident back', () => {
    const zone = emptyZoneWindow();
    applyEntries(zone, 0, [entry(1, windowEvent('a', 10, { revision: 3, status: 'RETRACTED' }))], HORIZON);
    expect(applyEntries(zone, 0, [entry(2, windowEvent('a', 10, { revision: 2, status: 'REVISED' }))], HORIZON)).toEqual(['stale']);
    expect(zone.events.get('a')?.status).toBe('RETRACTED');
  });

  it('refuses an entry older than watermark − window − lateness, and accepts one just inside', () => {
    const zone = emptyZoneWindow();
    applyEntries(zone, 0, [entry(1, windowEvent('new', 1000))], HORIZON);
    const bound = at(1000) - HORIZON;
    const late = { ...windowEvent('late', 0), occurredAt: bound - 1 };
    const edge = { ...windowEvent('edge', 0), occurredAt: bound };
    expect(applyEntries(zone, 0, [entry(2, late), entry(3, edge)], HORIZON)).toEqual(['late', 'applied']);
    expect(eventIds(zone)).toEqual(['edge', 'new']);
    expect(zone.lastOffsets.get(0)).toBe(3);
  });

  it('judges lateness against the watermark after the whole batch', () => {
    const zone = emptyZoneWindow();
    const statuses = applyEntries(zone, 0, [entry(1, windowEvent('old', 0)), entry(2, windowEvent('new', 72 + 7 * 24 + 1))], HORIZON);
    expect(statuses).toEqual(['late', 'applied']);
  });

  it('reports a replayed entry that is now late as late again, so its copy on incidents.late is not lost', () => {
    const zone = emptyZoneWindow();
    const batch = [entry(1, windowEvent('new', 1000)), entry(2, windowEvent('late', 0))];
    expect(applyEntries(zone, 0, batch, HORIZON)).toEqual(['applied', 'late']);
    expect(applyEntries(zone, 0, batch, HORIZON)).toEqual(['replayed', 'late']);
  });
});

describe('evictBefore', () => {
  it('removes incidents that occurred before the bound, tombstones included', () => {
    const zone = emptyZoneWindow();
    applyEntries(zone, 0, [entry(1, windowEvent('a', 1)), entry(2, windowEvent('b', 2, { status: 'RETRACTED', revision: 2 })), entry(3, windowEvent('c', 3))], HORIZON);
    evictBefore(zone, at(3));
    expect(eventIds(zone)).toEqual(['c']);
  });
});

describe('out-of-order arrival within the lateness', () => {
  const rule: Rule = { id: 'surge', kind: 'threshold', description: '', windowMs: 72 * HOUR, categories: [], zoneKinds: [], levels: { LOW: 3, MEDIUM: 5 } };
  const events: WindowEvent[] = [
    windowEvent('a', 10),
    windowEvent('b', 40, { tlp: 'AMBER' }),
    windowEvent('b', 41, { revision: 2, status: 'REVISED', tlp: 'AMBER' }),
    windowEvent('c', 60),
    windowEvent('d', 70, { sourceCountry: 'SN' }),
    windowEvent('e', 80),
    windowEvent('e', 80, { revision: 2, status: 'RETRACTED' }),
    windowEvent('f', 95),
    windowEvent('g', 100),
  ];

  /** Feeds the events in the given order, in batches of `size`, and evaluates once at the end. */
  function outcome(order: readonly number[], size: number) {
    const zone = emptyZoneWindow();
    const entries = order.map((i, offset) => entry(offset, events[i]!));
    for (let start = 0; start < entries.length; start += size) applyEntries(zone, 0, entries.slice(start, start + size), HORIZON);
    const zoneDef = { kind: 'HOTSPOT' as const, id: 'HS', name: 'HS', countries: [] };
    return evaluateZone({ zone: zoneDef, rule, events: [...zone.events.values()], watermark: zone.watermark!, previous: null, now: 0 });
  }

  it('gives the same alert as in-order arrival, for any order and batch size', () => {
    const inOrder = outcome(events.map((_, i) => i), 1);
    expect(inOrder.alert).toMatchObject({ level: 'MEDIUM', contributingEventIds: ['b', 'c', 'd', 'f', 'g'], tlp: 'AMBER' });
    const orders = [
      [8, 7, 6, 5, 4, 3, 2, 1, 0],
      [2, 0, 6, 1, 8, 3, 5, 7, 4],
      [6, 5, 4, 8, 0, 2, 1, 3, 7],
    ];
    for (const order of orders) for (const size of [1, 3, 9]) expect(outcome(order, size)).toEqual(inOrder);
  });
});
