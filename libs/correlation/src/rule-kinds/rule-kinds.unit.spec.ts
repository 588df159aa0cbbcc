import { describe, expect, it } from 'vitest';
import { FALEME, MALI, ROUTE, SECTION, feed, lifecycle, partitionWith, rules, type Copy } from '../testing/partition-harness';
import { HOUR, at, windowEvent } from '../testing/window-events';
import type { WindowEvent } from '../window-event';

const copy = (zoneKey: string, id: string, hours: number, overrides: Partial<WindowEvent> = {}): Copy => [zoneKey, windowEvent(id, hours, overrides)];

describe('threshold', () => {
  it('counts incidents, each weighing 1 without weights', () => {
    const p = partitionWith(rules({ id: 'surge', kind: 'threshold', window: '24h', levels: { LOW: 3 } }));
    const { alerts } = feed(p, [copy(FALEME, 'a', 1), copy(FALEME, 'b', 2), copy(FALEME, 'c', 3)]);
    expect(alerts.map((a) => [a.status, a.score])).toEqual([['FIRING', 3]]);
    expect(alerts[0]?.explanation).toBe('3 incidents in 24 h ≥ 3 (LOW)');
  });

  it('weighs by severity, fatalities and grading: two deadly, well-sourced clashes outweigh five doubtful minor reports', () => {
    const weighted = rules({
      id: 'violence', kind: 'threshold', window: '24h', levels: { LOW: 3 },
      weights: { severity: true, fatalities: { perDeath: 0.25, max: 3 }, grading: { corroboration: false } },
    });
    const clashes = [1, 2].map((h) => copy(FALEME, `clash${h}`, h, { category: 'BATTLES', subCategory: 'ARMED_CLASH', fatalities: 6, reliability: 'A', credibility: 1 }));
    const minor = [1, 2, 3, 4, 5].map((h) => copy(FALEME, `minor${h}`, h, { category: 'IRREGULAR_CROSSING', subCategory: 'INDIVIDUAL', reliability: 'E', credibility: 5 }));
    // Each clash: severity 0.8 × (1 + 0.25 × 6) × A1 (1) = 2.
    expect(feed(partitionWith(weighted), clashes).alerts.map((a) => [a.status, a.score])).toEqual([['FIRING', 4]]);
    expect(feed(partitionWith(weighted), minor).alerts).toEqual([]);
  });

  it('reads incidents of a category seen from two feeds as confirmed (credibility 1): corroboration raises the score', () => {
    const graded = rules({ id: 'graded', kind: 'threshold', window: '24h', levels: { LOW: 1.5 }, weights: { grading: true } });
    const doubtful = { reliability: 'B' as const, credibility: 4 }; // 0.9 × 0.5 = 0.45 each, 0.9 once confirmed
    const oneFeed = feed(partitionWith(graded), [copy(FALEME, 'a', 1, doubtful), copy(FALEME, 'b', 2, doubtful)]);
    const twoFeeds = feed(partitionWith(graded), [copy(FALEME, 'a', 1, doubtful), copy(FALEME, 'b', 2, { ...doubtful, feedId: 'ml-gendarmerie' })]);
    expect(oneFeed.alerts).toEqual([]);
    expect(twoFeeds.alerts.map((a) => a.score)).toEqual([1.8]);
  });

  it('lists at most maxContributors incidents, the heaviest and latest first, while counts stay complete', () => {
    const p = partitionWith(rules({ id: 'surge', kind: 'threshold', window: '24h', maxContributors: 5, levels: { LOW: 12 } }));
    const { alerts } = feed(p, Array.from({ length: 12 }, (_, i) => copy(FALEME, `e${String(i).padStart(2, '0')}`, i)));
    const [alert] = alerts;
    expect(alert?.contributingEventIds).toEqual(['e07', 'e08', 'e09', 'e10', 'e11']);
    expect(alert?.countsByCategory).toEqual({ SMUGGLING: 12 });
    expect(alert?.explanation).toBe('12 incidents in 24 h ≥ 12 (LOW) (5 of 12 incidents listed)');
  });
});

describe('corroboration', () => {
  const corroboration = rules({ id: 'corroborated', kind: 'corroboration', window: '48h', distinct: 'countries', levels: { LOW: 2, MEDIUM: 3 } });

  it('counts distinct source countries: many reports from one country are not corroboration', () => {
    const p = partitionWith(corroboration);
    const mali = feed(p, [copy(FALEME, 'a', 1), copy(FALEME, 'b', 2, { feedId: 'ml-gendarmerie' }), copy(FALEME, 'c', 3)]);
    expect(mali.alerts).toEqual([]);
    const { alerts } = feed(p, [copy(FALEME, 'd', 4, { feedId: 'sn-police', sourceCountry: 'SN' })], 1, 3);
    expect(alerts.map((a) => [a.status, a.level, a.score, a.distinctSourceCountries])).toEqual([['FIRING', 'LOW', 2, ['ML', 'SN']]]);
    expect(alerts[0]?.contributingEventIds).toEqual(['a', 'b', 'c', 'd']);
    expect(alerts[0]?.summary.en).toContain('2 distinct countries in 48 h');
  });
});

describe('cross-border mirror', () => {
  const mirror = rules({ id: 'mirror', kind: 'cross-border-mirror', window: '48h', levels: { LOW: 1, MEDIUM: 2 } });

  it('scores the weaker side of the section: one side alone, however busy, is no mirror', () => {
    const p = partitionWith(mirror);
    expect(feed(p, [copy(SECTION, 'a', 1), copy(SECTION, 'b', 2), copy(SECTION, 'gn', 3, { side: 'GN' })]).alerts).toEqual([]);
    const { alerts } = feed(p, [copy(SECTION, 'c', 4, { side: 'SN', sourceCountry: 'SN', feedId: 'sn-police' })], 1, 3);
    expect(alerts.map((a) => [a.status, a.level, a.score])).toEqual([['FIRING', 'LOW', 1]]);
    // The incident on neither side is not evidence.
    expect(alerts[0]?.contributingEventIds).toEqual(['a', 'b', 'c']);
  });

  it('watches border sections only', () => {
    const p = partitionWith(mirror);
    expect(feed(p, [copy(FALEME, 'a', 1), copy(FALEME, 'b', 2, { side: 'SN' })]).alerts).toEqual([]);
  });
});

describe('route progression', () => {
  const progression = (direction: string) => rules({ id: 'moving', kind: 'route-progression', window: '72h', segmentKm: 50, direction, levels: { LOW: 3, MEDIUM: 4 } });
  const along = (chainages: number[]): Copy[] => chainages.map((km, i) => copy(ROUTE, `km${km}`, i * 5, { chainageKm: km }));

  it('fires on incidents moving along the corridor, segment after segment', () => {
    const { alerts } = feed(partitionWith(progression('increasing')), along([10, 60, 130, 180]));
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:MEDIUM']);
    expect(alerts[1]?.explanation).toBe('4 successive 50 km segments along the route in 72 h ≥ 4 (MEDIUM)');
  });

  it('does not fire on scattered incidents, and reads either direction when asked', () => {
    const scattered = [180, 10, 130, 60]; // segments 3, 0, 2, 1: at most 2 increasing, 3 decreasing
    expect(feed(partitionWith(progression('increasing')), along(scattered)).alerts).toEqual([]);
    expect(lifecycle(feed(partitionWith(progression('either')), along(scattered)).alerts)).toEqual(['1:FIRING:LOW']);
  });
});

describe('spike', () => {
  const spike = rules({ id: 'spike', kind: 'spike', window: '24h', baseline: '28d', minCount: 4, levels: { LOW: 3, MEDIUM: 5 } });
  /** `perDay` incidents a day for 35 days, then `burst` more in a few hours. */
  const history = (perDay: number, burst: number): Copy[] => [
    ...Array.from({ length: 35 * perDay }, (_, i) => copy(FALEME, `h${i}`, (i * 24) / perDay)),
    ...Array.from({ length: burst }, (_, i) => copy(FALEME, `b${i}`, 35 * 24 + 2 + i)),
  ];

  it('fires when a day is several times the zone’s own usual', () => {
    const { alerts } = feed(partitionWith(spike), history(1, 6), 10);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:MEDIUM', '3:UPDATED:MEDIUM']);
    // 28 incidents in the 28 days before the window: 1 expected in 24 h.
    expect(alerts.map((a) => a.score)).toEqual([4, 5, 6]);
  });

  it('says nothing while the zone’s baseline is not a full one yet', () => {
    const burstOnDayTwo = [copy(FALEME, 'a', 1), ...Array.from({ length: 8 }, (_, i) => copy(FALEME, `b${i}`, 30 + i))];
    expect(feed(partitionWith(spike), burstOnDayTwo).alerts).toEqual([]);
  });

  it('does not fire in a zone that is always that busy', () => {
    expect(feed(partitionWith(spike), history(5, 6), 10).alerts).toEqual([]);
  });
});

describe('silent feed', () => {
  const silent = rules({ id: 'silent', kind: 'silent-feed', window: '14d', minGaps: 5, minRhythm: '1h', dwell: '1h', levels: { LOW: 3, MEDIUM: 6 } });
  /** ml-police reports every 6 h for two days; ml-gendarmerie reports hourly throughout (it moves the partition's arrival clock). */
  const stream = (policeUntil: number, until: number): Copy[] => {
    const copies: Copy[] = [];
    for (let h = 0; h <= until; h++) {
      copies.push(copy(MALI, `gn${h}`, h, { feedId: 'ml-gendarmerie' }));
      if (h % 6 === 0 && h <= policeUntil) copies.push(copy(MALI, `pn${h}`, h));
    }
    return copies;
  };

  it('raises the alert once a feed is silent for three times its usual gap, and raises the level as the silence lasts', () => {
    const { alerts } = feed(partitionWith(silent), stream(48, 48 + 40), 7);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:MEDIUM']);
    // Silent since hour 48 (reported at 49): LOW at 49 + 18 h, MEDIUM at 49 + 36 h, each exactly when its time came.
    expect(alerts.map((a) => a.window.endAt)).toEqual([at(49 + 18), at(49 + 36)]);
    expect(alerts[0]?.summary.en).toContain('Silent: ml-police since');
    expect(alerts[0]).toMatchObject({ zone: { kind: 'COUNTRY', id: 'ML' }, distinctSourceCountries: ['ML'], contributingEventIds: [], tlp: 'GREEN' });
  });

  it('resolves once the feed reports again and the dwell has passed', () => {
    const copies = [...stream(48, 70), copy(MALI, 'back', 71), ...Array.from({ length: 4 }, (_, i) => copy(MALI, `gn-after${i}`, 72 + i, { feedId: 'ml-gendarmerie' }))];
    // The feed is back: the alert says so at once, the level held for the dwell, then resolved.
    const { alerts } = feed(partitionWith(silent), copies, 5);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:RESOLVED:LOW']);
    expect(alerts[1]?.summary.en).toContain('Every feed has reported again.');
  });

  it('says nothing of a feed whose rhythm is not learnt yet, nor of feeds of other countries', () => {
    // ml-police: two gaps only. sn-police reports incidents in Mali every 6 h, then stops: not a Malian feed.
    const copies = [copy(MALI, 'pn0', 0), copy(MALI, 'pn6', 6), copy(MALI, 'pn12', 12)];
    const foreign = Array.from({ length: 20 }, (_, i) => copy(MALI, `sn${i}`, i * 6, { feedId: 'sn-police', sourceCountry: 'SN' }));
    const clock = Array.from({ length: 100 }, (_, i) => copy(FALEME, `far${i}`, 120 + i, { sourceCountry: 'SN', feedId: 'sn-police' }));
    expect(feed(partitionWith(silent), [...copies, ...foreign, ...clock]).alerts).toEqual([]);
  });
});

describe('every kind as data', () => {
  it('has an hour as the default window resolution', () => {
    const [rule] = rules({ id: 'surge', kind: 'threshold', window: '24h', levels: { LOW: 3 } });
    expect(rule?.resolutionMs).toBe(HOUR);
  });
});
