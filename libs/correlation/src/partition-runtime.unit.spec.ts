import type { RegionalAlert } from '@vigie/contracts';
import { createPrng } from '@vigie/runtime';
import { describe, expect, it } from 'vitest';
import { MemoryCorrelationStore } from './memory-correlation-store';
import { PartitionRuntime } from './partition-runtime';
import { FALEME, LATENESS, MALI, NOW, ROUTE, SECTION, entries, feed, latest, lifecycle, partitionWith, rules, settingsFor, type Copy } from './testing/partition-harness';
import { at, windowEvent } from './testing/window-events';
import type { WindowEvent } from './window-event';

const copy = (zoneKey: string, id: string, hours: number, overrides: Partial<WindowEvent> = {}): Copy => [zoneKey, windowEvent(id, hours, overrides)];

/** LOW at 3, MEDIUM at 5 incidents in 24 h in a hotspot; a level falls 6 h after a window last reached it. */
const SURGE = rules({ id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', zoneKinds: ['HOTSPOT'], levels: { LOW: 3, MEDIUM: 5 } });

/** What an alert says, without what depends on when and how often it was published. */
const content = (alert: RegionalAlert | undefined) => alert && { ...alert, version: undefined, previousLevel: undefined, evaluatedAt: undefined };

describe('PartitionRuntime: levels and lifecycle', () => {
  it('rises at once, holds a level through the dwell once the window no longer reaches it, then falls and resolves', () => {
    const p = partitionWith(SURGE);
    const burst = [1, 2, 3, 4, 5].map((h) => copy(FALEME, `e${h}`, h));
    // Another zone of the partition keeps reporting: its incidents move the partition's watermark, and the quiet zone cools.
    const elsewhere = [10, 20, 26, 28, 30, 31, 33].map((h) => copy(MALI, `m${h}`, h));
    const { alerts } = feed(p, [...burst, ...elsewhere], 3);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:UPDATED:MEDIUM', '4:UPDATED:LOW', '5:RESOLVED:LOW']);
    // The window of hour 24 is the last with e1–e5: MEDIUM falls 6 h later, at hour 30, to the LOW
    // the window of hour 26 (e3–e5) last reached; LOW falls 6 h after that, at hour 32.
    expect(alerts[3]).toMatchObject({ window: { startAt: at(3), endAt: at(27) }, score: 3, previousLevel: 'MEDIUM' });
    expect(alerts[3]?.explanation).toContain('held for the dwell time');
    expect(alerts[4]).toMatchObject({ status: 'RESOLVED', window: { startAt: at(9), endAt: at(33) }, score: 0 });
  });

  it('publishes a new version when the evidence moves (another incident, another country, a stricter TLP), not for nothing', () => {
    const p = partitionWith(SURGE);
    const { alerts } = feed(p, [
      copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(FALEME, 'c', 3),
      copy(FALEME, 'c', 3, { revision: 2, status: 'REVISED', notes: undefined } as Partial<WindowEvent>),
      copy(FALEME, 'd', 4, { sourceCountry: 'SN', feedId: 'sn-police' }),
      copy(FALEME, 'b', 2, { revision: 2, status: 'REVISED', tlp: 'RED' }),
    ]);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:UPDATED:LOW', '4:UPDATED:LOW']);
    expect(alerts.map((a) => [a.score, a.distinctSourceCountries.join(), a.tlp])).toEqual([
      [3, 'ML', 'GREEN'],
      [3, 'ML', 'GREEN'], // c revised: a listed incident changed
      [4, 'ML,SN', 'GREEN'],
      [4, 'ML,SN', 'RED'],
    ]);
  });

  it('publishes a busy zone’s alert logarithmically: each quarter more evidence, not each incident', () => {
    const p = partitionWith(rules({ id: 'surge', kind: 'threshold', window: '72h', levels: { LOW: 3 } }));
    const { alerts } = feed(p, Array.from({ length: 200 }, (_, i) => copy(FALEME, `e${i}`, i * 0.3)), 50);
    expect(alerts.length).toBeLessThan(25);
    expect(alerts.at(-1)?.score).toBeGreaterThan(200 / 1.25);
  });

  it('retracts the alert when retractions take its support away, and says which incidents are gone', () => {
    const p = partitionWith(SURGE);
    const { alerts } = feed(p, [
      copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(FALEME, 'c', 3),
      copy(FALEME, 'c', 3, { revision: 2, status: 'RETRACTED' }),
    ]);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RETRACTED:LOW']);
    expect(alerts[1]).toMatchObject({ score: 2, contributingEventIds: ['a', 'b'] });
    expect(alerts[1]?.summary.fr).toContain("annulation de l'alerte");
  });

  it('writes bilingual summaries with the zone’s name in each language', () => {
    const { alerts } = feed(partitionWith(SURGE), [copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(FALEME, 'c', 3)]);
    expect(alerts[0]?.summary).toEqual({
      en: 'Falémé valley: LOW alert — 3 incidents in 24 h (Smuggling 3) reported by ML since 2025-05-01 01:00 UTC.',
      fr: 'Vallée de la Falémé : alerte de niveau faible — 3 incidents en 24 h (Contrebande 3) signalés par ML depuis le 2025-05-01 01:00 UTC.',
    });
    expect(alerts[0]?.zone.name).toBe('Falémé valley');
  });
});

describe('PartitionRuntime: event time', () => {
  it('routes an incident older than the allowed lateness behind the watermark, and never applies it', () => {
    const p = partitionWith(SURGE);
    const { statuses } = feed(p, [copy(MALI, 'new', 1000), copy(FALEME, 'old', 1000 - 7 * 24 - 1), copy(FALEME, 'ok', 1000 - 7 * 24 + 1)]);
    expect(statuses).toEqual(['ignored', 'late', 'applied']);
    expect([...(p.zones.get(FALEME)?.events.keys() ?? [])]).toEqual(['ok']);
  });

  it('counts a late incident within the lateness in every window still evaluated: a late burst raises the level at once', () => {
    const p = partitionWith(SURGE);
    const onTime = [copy(FALEME, 'a', 50), copy(FALEME, 'b', 51)];
    const late = [copy(FALEME, 'c', 49), copy(FALEME, 'd', 48)]; // reported later, occurred earlier
    expect(lifecycle(feed(p, [...onTime, ...late]).alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW']);
  });

  it('publishes a burst learnt only after it would have cooled as a FIRING of its own window and its RESOLVED', () => {
    const p = partitionWith(SURGE);
    const quiet = [copy(FALEME, 'now', 100)];
    const burstReportedLate = [1, 2, 3].map((h) => copy(FALEME, `old${h}`, h));
    const { alerts } = feed(p, [...quiet, ...burstReportedLate]);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW']);
    // As an in-order run would have: fired by the window of hour 3, resolved 6 h after the window of hour 24.
    expect(alerts[0]).toMatchObject({ window: { startAt: at(-20), endAt: at(4) }, contributingEventIds: ['old1', 'old2', 'old3'] });
    expect(alerts[1]).toMatchObject({ window: { startAt: at(7), endAt: at(31) }, score: 0 });
    const inOrder = feed(partitionWith(SURGE), [...burstReportedLate, ...quiet]).alerts;
    expect(inOrder.map(content)).toEqual(alerts.map(content));
  });

  describe('an alert that ended, and incidents that arrive after its end', () => {
    const burst = [1, 2, 3].map((h) => copy(FALEME, `b${h}`, h));
    const clock = (hours: number[]) => hours.map((h) => copy(MALI, `m${h}`, h)); // moves the watermark
    const last = (copies: Copy[]) => latest(feed(partitionWith(SURGE), copies).alerts).get('surge:HOTSPOT:HS-FALEME');

    it('moves the end later when they show the episode went on (as in order)', () => {
      const late = copy(FALEME, 'late', 20);
      const outOfOrder = feed(partitionWith(SURGE), [...burst, ...clock([40]), late]).alerts;
      // Resolved at hour 30; the late incident keeps LOW up to the window of hour 25 (b2, b3, late),
      // so at hour 30 the alert was still held: on again, then resolved 6 h after 25, at hour 31.
      expect(lifecycle(outOfOrder)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:UPDATED:LOW', '4:RESOLVED:LOW']);
      expect(outOfOrder[3]?.window.endAt).toBe(at(32));
      expect(content(outOfOrder[3])).toEqual(content(last([...burst, late, ...clock([40])])));
    });

    it('puts the alert back on, as UPDATED, when the episode is still going on', () => {
      const late = [27, 28, 29].map((h) => copy(FALEME, `l${h}`, h));
      const { alerts } = feed(partitionWith(SURGE), [...burst, ...clock([30]), ...late]);
      // l27 and l28 only amend the evidence it ended with; l29 makes LOW again within the dwell.
      expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:RESOLVED:LOW', '4:RESOLVED:LOW', '5:UPDATED:LOW']);
      expect(alerts[4]?.contributingEventIds).toEqual(['l27', 'l28', 'l29']);
    });

    it('amends the evidence of the window it ended with', () => {
      const late = copy(FALEME, 'quiet', 29); // alone, far from LOW: the episode still ended at hour 30
      const { alerts } = feed(partitionWith(SURGE), [...burst, ...clock([40]), late]);
      expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:RESOLVED:LOW']);
      expect(alerts[2]?.contributingEventIds).toEqual(['quiet']);
      expect(content(alerts[2])).toEqual(content(last([...burst, late, ...clock([40])])));
    });
  });

  it('gives out-of-order arrival within the lateness the same final alerts as in-order arrival', () => {
    const ruleSet = rules(
      { id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', levels: { LOW: 3, MEDIUM: 5, HIGH: 8 } },
      { id: 'corroborated', kind: 'corroboration', window: '48h', distinct: 'feeds', levels: { LOW: 2, MEDIUM: 3 } },
      { id: 'mirror', kind: 'cross-border-mirror', window: '48h', levels: { LOW: 1, MEDIUM: 2 } },
      { id: 'moving', kind: 'route-progression', window: '72h', segmentKm: 50, levels: { LOW: 3 } },
      { id: 'weighted', kind: 'threshold', window: '48h', levels: { LOW: 2, MEDIUM: 3.5 }, weights: { severity: true, fatalities: { perDeath: 0.25, max: 3 }, grading: true } },
    );
    const feeds = ['ml-police', 'ml-gendarmerie', 'sn-police'] as const;
    const inOrder: Copy[] = Array.from({ length: 9 }, (_, i) => {
      const feedId = feeds[i % 3] as string;
      const country = feedId.slice(0, 2).toUpperCase();
      const e = { feedId, sourceCountry: country, side: i % 2 ? 'SN' : 'ML', chainageKm: 20 + 45 * i, category: i % 4 ? 'SMUGGLING' : 'BATTLES', subCategory: i % 4 ? 'FUEL' : 'ARMED_CLASH', fatalities: i };
      return [FALEME, SECTION, ROUTE].map((zone) => copy(zone, `e${i}`, 100 + i * 2.5, e));
    }).flat();
    const expected = latest(feed(partitionWith(ruleSet), inOrder).alerts);
    expect(expected.size).toBeGreaterThanOrEqual(5);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const actual = latest(feed(partitionWith(ruleSet), createPrng(seed).shuffle(inOrder), 4).alerts);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [id, alert] of expected) expect(content(actual.get(id)), `${id} with seed ${seed}`).toEqual(content(alert));
    }
  });
});

describe('PartitionRuntime: determinism and exactly-once effect', () => {
  const ruleSet = rules(
    { id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', levels: { LOW: 3, MEDIUM: 5 } },
    { id: 'silent', kind: 'silent-feed', window: '14d', minGaps: 3, minRhythm: '1h', dwell: '1h', levels: { LOW: 3 } },
  );
  const stream: Copy[] = Array.from({ length: 120 }, (_, i) => {
    const zone = [FALEME, SECTION, MALI][i % 3] as string;
    const feedId = i < 60 || i % 2 ? 'ml-gendarmerie' : 'ml-police';
    return copy(zone, `e${i}`, i * 1.3 + (i % 7) * 0.5, { feedId, ...(i % 11 === 0 ? { occurredAt: at(i * 1.3 - 30) } : {}) });
  });
  const versions = (alerts: readonly RegionalAlert[]) => alerts.map((a) => ({ ...a, evaluatedAt: undefined }));

  // Unbounded zones, and zones of 12 incidents that seal their oldest ones as the stream goes on.
  const limits = [{ limit: undefined }, { limit: 12 }];

  it.each(limits)('publishes the same versions whatever the batch boundaries (detail limit $limit)', ({ limit }) => {
    const reference = versions(feed(partitionWith(ruleSet, LATENESS, limit), stream, stream.length).alerts);
    expect(reference.length).toBeGreaterThan(5);
    for (const size of [1, 2, 7, 33]) expect(versions(feed(partitionWith(ruleSet, LATENESS, limit), stream, size).alerts)).toEqual(reference);
  });

  it.each(limits)('publishes the same versions across crashes: state reloaded from the store, batches replayed from an earlier offset (detail limit $limit)', async ({ limit }) => {
    const reference = versions(feed(partitionWith(ruleSet, LATENESS, limit), stream, 10).alerts);
    const store = new MemoryCorrelationStore();
    const settings = settingsFor(ruleSet, LATENESS, limit);
    const published = new Map<string, RegionalAlert>();
    let lostFrom = 0;
    let crashes = 0;
    while (lostFrom < stream.length) {
      // A new instance loads the partition and resumes where the consumer group's committed offset
      // is: at or before the first batch whose outputs were lost (offsets resolve only once outputs are acknowledged).
      const runtime = new PartitionRuntime(0, settings, await store.load(0));
      let next = Math.max(0, lostFrom - (crashes % 3) * 4);
      for (let batch = 0; batch < 3 && next < stream.length; batch++) {
        const size = 3 + ((next + crashes) % 9);
        const result = runtime.correlate(entries(next, ...stream.slice(next, next + size)), NOW);
        if (result.commit) {
          expect(await store.commit(result.commit)).toBe(true);
          runtime.committed();
        }
        // The last batch before each crash never reaches Kafka.
        if (batch < 2) for (const a of result.alerts) published.set(`${a.alertId}#${a.version}`, a);
        else lostFrom = next;
        next += size;
      }
      if (next >= stream.length) lostFrom = next;
      crashes++;
    }
    // The instance after the last crash replays the lost tail.
    const last = new PartitionRuntime(0, settings, await store.load(0));
    const tail = last.correlate(entries(stream.length - 12, ...stream.slice(-12)), NOW);
    for (const a of tail.alerts) published.set(`${a.alertId}#${a.version}`, a);
    expect(crashes).toBeGreaterThan(5);
    const sorted = [...published.values()].sort((a, b) => reference.findIndex((r) => r.alertId === a.alertId && r.version === a.version) - reference.findIndex((r) => r.alertId === b.alertId && r.version === b.version));
    expect(versions(sorted)).toEqual(reference);
  });

  it('bounds a zone’s state however long the stream', () => {
    const p = partitionWith(SURGE);
    let max = 0;
    for (let day = 0; day < 60; day++) {
      feed(p, Array.from({ length: 24 }, (_, h) => copy(FALEME, `d${day}h${h}`, day * 24 + h)), 24, day * 24);
      max = Math.max(max, p.zones.get(FALEME)?.events.size ?? 0);
    }
    // 7 days of lateness, a 24 h window and 6 h dwell, in whole days: at most 9 days of hourly incidents.
    expect(max).toBeLessThanOrEqual(9 * 24);
    expect(p.zones.get(FALEME)?.windowOf(SURGE[0] as never).bucketCount).toBeLessThanOrEqual(9 * 24);
  });
});

describe('PartitionRuntime: the watermarks', () => {
  it('ignores zones no rule watches, but lets their incidents move the partition’s clocks', () => {
    const p = partitionWith(rules({ id: 'mirror', kind: 'cross-border-mirror', window: '24h', dwell: '1h', levels: { LOW: 1 } }));
    const mirrored = [copy(SECTION, 'a', 1), copy(SECTION, 'b', 2, { side: 'SN' })];
    const { alerts, statuses } = feed(p, [...mirrored, copy(FALEME, 'far', 40)]);
    expect(statuses).toEqual(['applied', 'applied', 'ignored']);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW']);
    // a leaves the window after hour 24; with a 1 h dwell, resolved at hour 25 (window ending at 26).
    expect(alerts[1]?.window.endAt).toBe(at(26));
  });
});

describe('PartitionRuntime: the arrival watermark of each version', () => {
  // Ingested out of order across zones: the watermark is the latest ingestion time read, whichever zone.
  const copies: Copy[] = [
    copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(MALI, 'm1', 2.5, { ingestedAt: at(40) }), copy(FALEME, 'c', 3),
    copy(FALEME, 'd', 4), copy(MALI, 'm2', 30, { ingestedAt: at(50) }), copy(FALEME, 'e', 31), copy(FALEME, 'f', 32),
  ];
  const arrivalsOf = (p: PartitionRuntime, size: number): Map<string, number | null> => {
    const seen = new Map<string, number | null>();
    for (let i = 0; i < copies.length; i += size) {
      const result = p.correlate(entries(i, ...copies.slice(i, i + size)), NOW);
      result.alerts.forEach((a, k) => seen.set(`${a.alertId}#${a.version}`, result.arrivals[k] ?? null));
      if (result.commit) p.committed();
    }
    return seen;
  };

  it('is the latest ingestion time read when the version was evaluated, the same in a rebuild cut into other batches', () => {
    const p = partitionWith(SURGE);
    const expected = new Map<string, number>();
    let watermark = -Infinity;
    copies.forEach((c, i) => {
      watermark = Math.max(watermark, c[1].ingestedAt);
      const result = p.correlate(entries(i, c), NOW);
      for (const a of result.alerts) expected.set(`${a.alertId}#${a.version}`, watermark);
      if (result.commit) p.committed();
    });
    expect(expected.size).toBeGreaterThanOrEqual(3);
    // m2 raises the watermark and, moving event time past the burst's window, fires its zone's timer:
    // that version is stamped with m2's ingestion, not the watermark before it.
    expect([...expected.values()]).toContain(at(50));
    expect(new Set(expected.values()).size).toBeGreaterThanOrEqual(2);
    expect(arrivalsOf(partitionWith(SURGE), 3)).toEqual(expected);
  });

  it('goes with the versions a replay re-emits', () => {
    const p = partitionWith(SURGE);
    const first = p.correlate(entries(0, ...copies.slice(0, 5)), NOW);
    const replay = p.correlate(entries(0, ...copies.slice(0, 5)), NOW);
    expect(first.alerts.length).toBeGreaterThan(0);
    expect(replay.alerts).toEqual(first.alerts);
    expect(replay.arrivals).toEqual(first.arrivals);
    expect(first.arrivals.every((a) => a === at(40))).toBe(true);
  });
});
