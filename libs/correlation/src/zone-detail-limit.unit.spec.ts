import { describe, expect, it } from 'vitest';
import { MemoryCorrelationStore } from './memory-correlation-store';
import { PartitionRuntime } from './partition-runtime';
import { FALEME, LATENESS, NOW, ROUTE, SECTION, entries, feed, lifecycle, partitionWith, rules, settingsFor, type Copy } from './testing/partition-harness';
import { at, windowEvent } from './testing/window-events';
import type { WindowEvent } from './window-event';

const copy = (zoneKey: string, id: string, hours: number, overrides: Partial<WindowEvent> = {}): Copy => [zoneKey, windowEvent(id, hours, overrides)];

const SURGE = rules({ id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', zoneKinds: ['HOTSPOT'], levels: { LOW: 3, MEDIUM: 5 } });

describe('Zone detail limit: a zone holds its most recent incidents, and seals older ones into its aggregates', () => {
  it('publishes exactly what an unbounded zone publishes when nothing arrives before what it sealed', () => {
    const ruleSet = rules(
      { id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', levels: { LOW: 5, MEDIUM: 20, HIGH: 60 }, maxContributors: 10 },
      { id: 'corroborated', kind: 'corroboration', window: '48h', distinct: 'countries', levels: { LOW: 2, MEDIUM: 3 }, maxContributors: 10 },
      { id: 'mirror', kind: 'cross-border-mirror', window: '48h', levels: { LOW: 3, MEDIUM: 30 }, maxContributors: 10 },
      { id: 'moving', kind: 'route-progression', window: '72h', segmentKm: 50, levels: { LOW: 3, MEDIUM: 5 }, maxContributors: 10 },
    );
    const countries = ['ML', 'SN', 'ML', 'GN'] as const;
    const stream: Copy[] = [];
    for (let i = 0; i < 600; i++) {
      const country = countries[i % 4] as string;
      const e = {
        feedId: `${country.toLowerCase()}-police`,
        sourceCountry: country,
        side: i % 3 ? 'ML' : 'SN',
        chainageKm: (i * 37) % 900,
        category: i % 5 ? 'SMUGGLING' : 'BATTLES',
        tlp: i % 50 === 7 ? ('AMBER' as const) : ('GREEN' as const),
      };
      // Quiet spells let levels fall and alerts resolve, then fire again.
      const hours = i * 0.05 + Math.floor(i / 150) * 40;
      for (const zone of [FALEME, SECTION, ROUTE]) stream.push(copy(zone, `e${i}`, hours, e));
      // Revisions and retractions of recent incidents (still held).
      if (i % 17 === 16) for (const zone of [FALEME, SECTION, ROUTE]) stream.push(copy(zone, `e${i - 5}`, (i - 5) * 0.05 + Math.floor((i - 5) / 150) * 40, { ...e, revision: 2, status: 'REVISED', tlp: 'RED' }));
      if (i % 29 === 28) for (const zone of [FALEME, SECTION, ROUTE]) stream.push(copy(zone, `e${i - 3}`, (i - 3) * 0.05 + Math.floor((i - 3) / 150) * 40, { ...e, revision: 3, status: 'RETRACTED' }));
    }
    const unbounded = feed(partitionWith(ruleSet), stream, 25);
    const bounded = partitionWith(ruleSet, LATENESS, 40);
    const { alerts, statuses } = feed(bounded, stream, 25);
    expect(statuses).not.toContain('late');
    for (const zone of [FALEME, SECTION, ROUTE]) {
      expect(bounded.zones.get(zone)?.events.size).toBeLessThanOrEqual(40);
      expect(bounded.zones.get(zone)?.record.sealedBefore).toBeGreaterThan(at(20));
    }
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(8);
    expect(alerts.some((a) => a.status === 'RESOLVED') && alerts.some((a) => a.level === 'HIGH')).toBe(true);
    expect(alerts).toEqual(unbounded.alerts);
  });

  it('routes aside an incident that occurred before what its zone sealed, new or a revision, and still takes revisions of held ones', () => {
    const p = partitionWith(SURGE, LATENESS, 4);
    // The fifth incident takes the zone over its limit: the two oldest are sealed (down to three).
    feed(p, [1, 2, 3, 4, 5].map((h) => copy(FALEME, `e${h}`, h)));
    const zone = p.zones.get(FALEME);
    expect([...(zone?.events.keys() ?? [])].sort()).toEqual(['e3', 'e4', 'e5']);
    // The first held incident's time separates sealed from held.
    expect(zone?.record.sealedBefore).toBe(at(3));
    const { statuses, alerts } = feed(
      p,
      [
        copy(FALEME, 'new-but-old', 1.5),
        copy(FALEME, 'e1', 1, { revision: 2, status: 'RETRACTED' }),
        copy(FALEME, 'e4', 4, { revision: 2, status: 'REVISED', tlp: 'RED' }),
        copy(FALEME, 'e6', 6),
      ],
      4,
      5,
    );
    expect(statuses).toEqual(['late', 'late', 'applied', 'applied']);
    // The sealed incidents still count: the retraction of e1 took nothing away.
    expect(alerts.at(-1)).toMatchObject({ score: 6, tlp: 'RED' });
  });

  it('never seals a burst of incidents that share the newest time: later reports at that time still apply', () => {
    const p = partitionWith(SURGE, LATENESS, 4);
    const { statuses, alerts } = feed(p, Array.from({ length: 8 }, (_, i) => copy(FALEME, `burst${i}`, 10)), 1);
    expect(statuses).toEqual(Array(8).fill('applied'));
    expect(p.zones.get(FALEME)?.events.size).toBe(8);
    expect(p.zones.get(FALEME)?.record.sealedBefore).toBeUndefined();
    expect(alerts.at(-1)).toMatchObject({ score: 8 });
    // A newer incident lets the zone seal the burst whole, and nothing newer.
    const next = feed(p, [copy(FALEME, 'later', 11), copy(FALEME, 'burst-again', 10)], 1, 8);
    expect(next.statuses).toEqual(['applied', 'late']);
    expect([...(p.zones.get(FALEME)?.events.keys() ?? [])]).toEqual(['later']);
    expect(p.zones.get(FALEME)?.record.sealedBefore).toBe(at(11));
    expect(next.alerts.at(-1)).toMatchObject({ score: 9 });
  });

  it('seals alike whether or not the partition was reloaded in between (when to seal depends on stored state only)', async () => {
    const settings = settingsFor(SURGE, LATENESS, 4);
    const burst = entries(0, ...Array.from({ length: 5 }, (_, i) => copy(FALEME, `burst${i}`, 10)));
    const next = entries(5, copy(FALEME, 'later', 11), copy(FALEME, 'again', 10));
    const store = new MemoryCorrelationStore();
    const kept = new PartitionRuntime(0, settings);
    const first = kept.correlate(burst, NOW);
    await store.commit(first.commit!);
    kept.committed();
    const continuous = kept.correlate(next, NOW);
    const reloaded = new PartitionRuntime(0, settings, await store.load(0)).correlate(next, NOW);
    expect(reloaded.statuses).toEqual(continuous.statuses);
    expect(reloaded.alerts).toEqual(continuous.alerts);
  });

  it('cuts between two occurrence times: back over incidents tied with the first kept one, or past the oldest time when the tie reaches it', () => {
    const p = partitionWith(SURGE, LATENESS, 4);
    feed(p, [copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(FALEME, 'c', 3), copy(FALEME, 'd', 3), copy(FALEME, 'e', 4)], 1);
    // Three would be kept (c, d, e) with the cut after b; c and d share a time, so the cut stays there.
    expect([...(p.zones.get(FALEME)?.events.keys() ?? [])].sort()).toEqual(['c', 'd', 'e']);
    feed(p, [copy(FALEME, 'f', 3), copy(FALEME, 'g', 5)], 1, 5);
    // Five held (c, d, e, f, g), three to keep: the cut would fall inside hour 3, which reaches back
    // to the oldest held incident, so it moves past hour 3 instead.
    expect([...(p.zones.get(FALEME)?.events.keys() ?? [])].sort()).toEqual(['e', 'g']);
    expect(p.zones.get(FALEME)?.record.sealedBefore).toBe(at(4));
  });

  it('states what sealed incidents add — count, categories, countries, TLP, first seen — while listing only held ones', () => {
    const p = partitionWith(SURGE, LATENESS, 4);
    const { alerts } = feed(p, [
      copy(FALEME, 'first', 1, { sourceCountry: 'SN', feedId: 'sn-police', tlp: 'AMBER', category: 'BATTLES', reportedAt: at(30) }),
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((h) => copy(FALEME, `e${h}`, h)),
    ]);
    const last = alerts.at(-1);
    expect(last).toMatchObject({
      score: 9,
      countsByCategory: { BATTLES: 1, SMUGGLING: 8 },
      distinctSourceCountries: ['ML', 'SN'],
      tlp: 'AMBER',
      firstSeen: at(1),
      lastSeen: at(9),
      latestReportedAt: at(30),
    });
    expect(last?.contributingEventIds.length).toBeLessThanOrEqual(4);
    expect(last?.contributingEventIds).not.toContain('first');
    expect(last?.explanation).toMatch(/9/);
  });

  it('bounds a zone’s incidents by count however many its windows hold', () => {
    const p = partitionWith(SURGE, LATENESS, 200);
    let max = 0;
    for (let batch = 0; batch < 50; batch++) {
      const copies = Array.from({ length: 100 }, (_, i) => copy(FALEME, `b${batch}i${i}`, (batch * 100 + i) * 0.004));
      feed(p, copies, 100, batch * 100);
      max = Math.max(max, p.zones.get(FALEME)?.events.size ?? 0);
    }
    expect(max).toBeLessThanOrEqual(200);
    expect(p.zones.get(FALEME)?.windowOf(SURGE[0] as never).window.n).toBe(5000);
    expect(p.zones.get(FALEME)?.windowOf(SURGE[0] as never).bucketCount).toBeLessThanOrEqual(21);
  });

  it('writes sealed buckets with the batch that sealed them, and a restarted partition counts them again', async () => {
    const store = new MemoryCorrelationStore();
    const settings = settingsFor(SURGE, LATENESS, 4);
    const first = new PartitionRuntime(0, settings);
    const result = first.correlate(entries(0, ...[1, 2, 3, 4, 5, 6].map((h) => copy(FALEME, `e${h}`, h))), NOW);
    // The fifth incident took the zone over its limit: e1 and e2 sealed, one bucket each.
    expect(result.commit?.setSealed.map((s) => [s.ruleId, s.bucket, s.sealed.agg.n])).toEqual([['surge', Math.floor(at(1) / 3_600_000), 1], ['surge', Math.floor(at(2) / 3_600_000), 1]]);
    expect(result.commit?.deleteEvents.map((d) => d.eventId).sort()).toEqual(['e1', 'e2']);
    await store.commit(result.commit!);
    const restarted = new PartitionRuntime(0, settings, await store.load(0));
    const next = restarted.correlate(entries(6, copy(FALEME, 'e7', 7)), NOW);
    first.committed();
    const continuous = first.correlate(entries(6, copy(FALEME, 'e7', 7)), NOW);
    expect(next.alerts).toEqual(continuous.alerts);
    expect(lifecycle(next.alerts)).toEqual(['5:UPDATED:MEDIUM']);
    expect(next.alerts[0]).toMatchObject({ score: 7, firstSeen: at(1) });
  });

  it('moves sealed buckets stored under another resolution into the bucket of their latest incident when a rule is redefined', async () => {
    const store = new MemoryCorrelationStore();
    const hourly = new PartitionRuntime(0, settingsFor(SURGE, LATENESS, 4));
    await store.commit(hourly.correlate(entries(0, ...[1, 2, 3, 4, 5].map((h) => copy(FALEME, `e${h}`, h))), NOW).commit!);
    const SIX_HOURS = 6 * 3_600_000;
    const coarser = rules({ id: 'surge', kind: 'threshold', window: '24h', resolution: '6h', dwell: '6h', zoneKinds: ['HOTSPOT'], levels: { LOW: 3, MEDIUM: 5 } });
    const restarted = new PartitionRuntime(0, settingsFor(coarser, LATENESS, 4), await store.load(0));
    const window = restarted.zones.get(FALEME)?.windowOf(coarser[0] as never);
    // e1 and e2 were sealed in two hourly buckets; both fall in one six-hour bucket now.
    expect(window?.sealedBucket(Math.floor(at(2) / SIX_HOURS))?.agg.n).toBe(2);
    const { alerts, commit } = restarted.correlate(entries(5, copy(FALEME, 'e6', 6)), NOW);
    expect(alerts.at(-1)).toMatchObject({ score: 6, firstSeen: at(1) });
    expect(commit?.setSealed.map((s) => s.bucket)).toContain(Math.floor(at(2) / SIX_HOURS));
    expect(commit?.deleteSealed.map((s) => s.bucket).sort()).toEqual([Math.floor(at(1) / 3_600_000), Math.floor(at(2) / 3_600_000)]);
  });
});
