import type { RegionalAlert } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { feed, latest, lifecycle, partitionWith, rules, rulesByKind, zoneOf, FALEME, ROUTE, SECTION, type Copy } from './testing/partition-harness';
import { HOUR, at, windowEvent } from './testing/window-events';
import { bucketOf } from './rule-window';
import { RuleScores } from './window-evaluation';
import { ZoneRuntime } from './zone-runtime';
import { levelIndexFor, type WindowRule } from './rule';
import type { WindowEvent } from './window-event';

/** Levels position by position, the slow and obvious way, to check the fast steps against. */
const levelsOneByOne = (scores: RuleScores, from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => scores.level(from + i));

/** One rule of each window kind, with thresholds the incidents of zoneWithHistory cross. */
const KINDS = rules(
  { id: 'surge', kind: 'threshold', window: '24h', levels: { LOW: 2, MEDIUM: 4, HIGH: 6 } },
  { id: 'sources', kind: 'corroboration', window: '24h', distinct: 'feeds', levels: { LOW: 2, MEDIUM: 3 } },
  { id: 'moving', kind: 'route-progression', window: '24h', segmentKm: 50, levels: { LOW: 2, MEDIUM: 3 } },
  { id: 'spike', kind: 'spike', window: '24h', baseline: '2d', minCount: 1, levels: { LOW: 1.5, MEDIUM: 3 } },
) as WindowRule[];

/**
 * A zone the rule watches, with incidents at irregular hours from four feeds along the route over
 * four days: sparse in the first three (hours with none between them), most in the last.
 */
function zoneWithHistory(rule: WindowRule): ZoneRuntime {
  const key = rule.kind === 'route-progression' ? ROUTE : rule.kind === 'cross-border-mirror' ? SECTION : FALEME;
  const zone = new ZoneRuntime(zoneOf(key), rulesByKind([rule])(zoneOf(key).kind));
  for (let i = 0; i < 40; i++) {
    const hours = i < 10 ? (i * 37) % 72 : 72 + ((i * 7) % 24);
    const feedId = ['ml-police', 'ml-gendarmerie', 'sn-police', 'ne-police'][i % 4] as string;
    zone.apply(windowEvent(`e${i}`, hours, { feedId, chainageKm: ((i * 53) % 400) + 1, side: i % 3 === 0 ? 'SN' : 'ML', credibility: 1 + (i % 3) }));
  }
  return zone;
}

describe('RuleScores.stepsDown', () => {
  it.each(KINDS.map((r) => [r.kind, r] as const))('gives the levels a window sliding over no new incidents has, for %s', (_kind, rule) => {
    const zone = zoneWithHistory(rule);
    // From the last incident's hour on, nothing enters the window any more.
    const [from, to] = [bucketOf(at(95), HOUR), bucketOf(at(130), HOUR)];
    const steps = new RuleScores(zone, rule).stepsDown(from, to);
    const expected = levelsOneByOne(new RuleScores(zone, rule), from, to);
    const fromSteps = expected.map((_, i) => [...steps].reverse().find(([position]) => position <= from + i)?.[1]);
    expect(fromSteps).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(1);
  });
});

describe('RuleScores.levelsFrom', () => {
  it.each(KINDS.map((r) => [r.kind, r] as const))('memoises the levels each position has, forwards and walking back to the current window (%s)', (_kind, rule) => {
    const zone = zoneWithHistory(rule);
    const current = bucketOf(at(95), HOUR);
    zone.windowOf(rule).moveTo(current);
    const walkedBack = new RuleScores(zone, rule);
    walkedBack.levelsFrom(current - 10, current);
    const forwards = new RuleScores(zone, rule);
    forwards.levelsFrom(current - 80, current - 20);
    // Each position scored on its own, from the window's buckets.
    const scored = new RuleScores(zone, rule);
    expect(levelsOneByOne(walkedBack, current - 10, current)).toEqual(levelsOneByOne(scored, current - 10, current));
    expect(levelsOneByOne(forwards, current - 80, current - 20)).toEqual(levelsOneByOne(scored, current - 80, current - 20));
    expect(new Set(levelsOneByOne(scored, current - 80, current)).size).toBeGreaterThan(1);
  });
});

describe('RuleScores.level', () => {
  it('spares the scoring of route progression where the window holds fewer segments than LOW, and gives the same levels', () => {
    const [rule] = rules({ id: 'moving', kind: 'route-progression', window: '24h', segmentKm: 50, direction: 'either', levels: { LOW: 3, MEDIUM: 4 } }) as WindowRule[];
    const zone = new ZoneRuntime(zoneOf(ROUTE), rulesByKind([rule!])('ROUTE'));
    // Sparse days, then a day moving along the route segment after segment.
    for (let i = 0; i < 30; i++) {
      const hours = i < 12 ? i * 9 : 120 + (i - 12);
      zone.apply(windowEvent(`e${i}`, hours, { chainageKm: i < 12 ? ((i * 131) % 400) + 1 : (i - 12) * 40 + 5 }));
    }
    const scores = new RuleScores(zone, rule!);
    const positions = Array.from({ length: 160 }, (_, i) => bucketOf(at(i), HOUR));
    const bounds = positions.map((j) => scores.spec.scoreBound!(rule!, scores.view(j)));
    // The bound is one: never below the score.
    positions.forEach((j, i) => expect(bounds[i], `position ${j}`).toBeGreaterThanOrEqual(scores.score(j)));
    // The same levels as scoring every position, with some spared and some reached.
    expect(positions.map((j) => scores.level(j))).toEqual(positions.map((j) => levelIndexFor(scores.score(j), rule!.levels)));
    expect(bounds.filter((b) => b < 3).length).toBeGreaterThan(0);
    expect(positions.filter((j) => scores.level(j) >= 0).length).toBeGreaterThan(0);
  });
});

describe('route progression as buckets leave the window', () => {
  it.each(['increasing', 'decreasing', 'either'])('gives, in one pass, the score the window has after each departure (%s)', (direction) => {
    const [rule] = rules({ id: 'moving', kind: 'route-progression', window: '24h', segmentKm: 50, direction, levels: { LOW: 2 } }) as WindowRule[];
    const zone = new ZoneRuntime(zoneOf(ROUTE), rulesByKind([rule!])('ROUTE'));
    // Several incidents an hour, moving up and down the route, some hours sharing segments.
    for (let i = 0; i < 60; i++) zone.apply(windowEvent(`e${i}`, Math.floor(i / 3), { chainageKm: ((i * 137) % 700) + 1 }));
    const scores = new RuleScores(zone, rule!);
    const from = bucketOf(at(19), HOUR);
    const window = zone.windowOf(rule!);
    const departures: number[] = [];
    window.eachBucketAt(from, (bucket) => {
      departures.push(bucket + scores.size);
    });
    const afterEach = scores.spec.scoresAsBucketsLeave!(rule!, window.bucketsAt(from));
    expect(afterEach).toEqual(departures.map((at) => scores.score(at)));
    expect(new Set(afterEach).size).toBeGreaterThan(3);
  });
});

describe('RuleScores.mayReachLow', () => {
  /** The kinds with bucket bounds: every one but the baseline's, a mirror, and graded weights whose corroboration lifts a grade far. */
  const BOUNDED = [
    ...KINDS.filter((r) => r.kind !== 'spike'),
    ...(rules(
      { id: 'graded', kind: 'threshold', window: '24h', weights: { grading: { credibility: { '2': 0.5 }, corroboration: { min: 2, distinct: 'feeds' } } }, levels: { LOW: 2.5 } },
      { id: 'mirror', kind: 'cross-border-mirror', window: '24h', levels: { LOW: 1.5 } },
    ) as WindowRule[]),
  ];

  it.each(BOUNDED.map((r) => [r.id, r] as const))('is false only where no window of the span reaches LOW (%s)', (_id, rule) => {
    const zone = zoneWithHistory(rule);
    const scores = new RuleScores(zone, rule);
    const last = bucketOf(at(100), HOUR);
    const answers = new Set<boolean>();
    for (let from = bucketOf(at(0), HOUR); from <= last; from += 3) {
      for (const span of [0, 4, 11]) {
        const may = scores.mayReachLow(from, from + span);
        answers.add(may);
        if (!may) for (let j = from; j <= from + span; j++) expect(scores.level(j), `${rule.id} at ${j} in ${from}…${from + span}`).toBeLessThan(0);
      }
    }
    expect([...answers].sort()).toEqual([false, true]);
  });

  it('bounds graded weights by the larger of each category’s weights: a window two feeds report counts the higher corroborated ones', () => {
    const [rule] = rules({ id: 'graded', kind: 'threshold', window: '24h', weights: { grading: true }, levels: { LOW: 1.7 } }) as WindowRule[];
    const zone = new ZoneRuntime(zoneOf(FALEME), rulesByKind([rule!])('HOTSPOT'));
    // One report per hour from two feeds: 0.81 each as reported (B2), 0.9 once corroborated (B1).
    zone.apply(windowEvent('ml', 10, { credibility: 2 }));
    zone.apply(windowEvent('sn', 11, { feedId: 'sn-police', sourceCountry: 'SN', credibility: 2 }));
    const scores = new RuleScores(zone, rule!);
    const [first, last] = [bucketOf(at(11), HOUR), bucketOf(at(20), HOUR)];
    expect(scores.score(first)).toBeCloseTo(1.8);
    expect(scores.mayReachLow(first, last)).toBe(true);
    expect(scores.mayReachLow(bucketOf(at(35), HOUR), bucketOf(at(40), HOUR))).toBe(false);
  });
});

/** LOW at 3 smuggling incidents in 72 h in a hotspot, a 6 h dwell (the correlator fixtures' rule). */
const SURGE = rules({ id: 'surge', kind: 'threshold', window: '72h', dwell: '6h', categories: ['SMUGGLING'], zoneKinds: ['HOTSPOT'], levels: { LOW: 3 } });
const SURGE_ALERT = 'surge:HOTSPOT:HS-FALEME';
const copy = (id: string, hours: number, overrides: Partial<WindowEvent> = {}): Copy => [FALEME, windowEvent(id, hours, overrides)];
/** An incident of the zone the rule does not count, at `hours`: it moves the zone's clock, nothing else. */
const uncounted = (hours: number): Copy => copy(`other-${hours}`, hours, { category: 'EXPLOSIONS_REMOTE_VIOLENCE' });
const evidence = (alert: RegionalAlert | undefined) => alert && { level: alert.level, score: alert.score, contributingEventIds: alert.contributingEventIds };
const isOn = (alert: RegionalAlert | undefined): boolean => alert?.status === 'FIRING' || alert?.status === 'UPDATED';
/** The scores of the versions that end an episode: each below LOW (3), or the end contradicts its own evidence. */
const endScores = (alerts: readonly RegionalAlert[]): number[] => alerts.filter((a) => a.status === 'RESOLVED' || a.status === 'RETRACTED').map((a) => a.score);

describe('evaluateWindowRule: a retraction undone by a later revision', () => {
  const burst = [copy('a', 10), copy('b', 11), copy('c', 12)];
  const retracted = copy('c', 12, { revision: 2, status: 'RETRACTED', reportedAt: at(20) });
  const revisedBack = copy('c', 12, { revision: 3, status: 'REVISED', reportedAt: at(21) });
  /** An incident of the zone the rule does not count: it moves the zone's clock, nothing else. */
  const clockTo = (hours: number): Copy[] => (hours > 12 ? [copy('other', hours, { category: 'EXPLOSIONS_REMOTE_VIOLENCE' })] : []);

  it.each([
    ['at the position it was retracted at', 12],
    ['an hour later on the zone’s clock', 13],
    ['after the clock moved past the dwell', 30],
  ])('puts the alert back on, as UPDATED (its episode never ended), when the revision comes %s', (_when, hours) => {
    const copies = [...burst, retracted, ...clockTo(hours), revisedBack, copy('d', hours + 1)];
    const { alerts } = feed(partitionWith(SURGE), copies, 1);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RETRACTED:LOW', '3:UPDATED:LOW', '4:UPDATED:LOW']);
    // No end that reaches LOW, nor an end amended to evidence that does.
    for (const alert of alerts.filter((a) => a.status === 'RETRACTED' || a.status === 'RESOLVED')) expect(alert.score).toBeLessThan(3);
    expect(alerts[2]).toMatchObject({ score: 3, contributingEventIds: ['a', 'b', 'c'], window: { endAt: at(hours + 1) }, previousLevel: 'LOW' });
    // The level and evidence an in-order run of the same reports, the retraction never seen, has.
    const inOrder = feed(partitionWith(SURGE), [...burst.slice(0, 2), revisedBack, ...clockTo(hours)], 1).alerts;
    expect(evidence(alerts[2])).toEqual(evidence(latest(inOrder).get('surge:HOTSPOT:HS-FALEME')));
  });
});

describe('evaluateWindowRule: evidence that makes the window a resolution ended with reach LOW', () => {
  // A, B, C at hours 1–3 fire; the clock moved to hour 78 (an incident the rule does not count)
  // resolves the alert there, the last window reaching LOW being hour 72's. F, G, H then come,
  // occurring at hour 78: the window the alert ended with reaches LOW again.
  const burst = [copy('a', 1), copy('b', 2), copy('c', 3)];
  const returned = [copy('f', 78), copy('g', 78), copy('h', 78)];

  it.each([
    ['at the position it resolved at', 78],
    ['two hours later on the zone’s clock', 80],
  ])('fires a new episode rather than amending the resolution to evidence at LOW, when the incidents come %s', (_when, hours) => {
    const clock = hours > 78 ? [uncounted(78), uncounted(hours)] : [uncounted(78)];
    const { alerts } = feed(partitionWith(SURGE), [...burst, ...clock, ...returned], 1);
    // The resolution is amended while its window stays below LOW (F, then F and G); H begins a new episode.
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:RESOLVED:LOW', '4:RESOLVED:LOW', '5:FIRING:LOW']);
    expect(endScores(alerts)).toEqual([0, 1, 2]);
    expect(alerts[4]).toMatchObject({ score: 3, contributingEventIds: ['f', 'g', 'h'], window: { endAt: at(hours + 1) } });
    // In order (a resolution at 78 comes before the incidents of hour 78), the same new episode.
    const inOrder = feed(partitionWith(SURGE), [...burst, uncounted(78), ...returned, ...clock.slice(1)], 1).alerts;
    expect(endScores(inOrder).every((score) => score < 3)).toBe(true);
    expect(latest(inOrder).get(SURGE_ALERT)?.status).toBe('FIRING');
    expect(evidence(alerts[4])).toEqual(evidence(latest(inOrder).get(SURGE_ALERT)));
  });
});

describe('evaluateWindowRule: a late incident completing a burst that is still going', () => {
  // A at hour 30, B at 35, the clock moved on (an incident the rule does not count), then F,
  // occurring at 40: windows 40 … 101 (A leaves after 101) reach LOW, their dwell ending at 107.
  const [a, b, f] = [copy('a', 30), copy('b', 35), copy('f', 40)];

  it.each([
    ['as soon as the dwell of the first window reaching LOW passed', 46, ['1:FIRING:LOW']],
    ['hours later, the windows still reaching LOW', 60, ['1:FIRING:LOW']],
    // A has left, the level is held for the dwell: the evidence shown is the last window reaching LOW.
    ['once the burst is cooling, within the dwell of its last window at LOW', 105, ['1:FIRING:LOW', '2:UPDATED:LOW']],
  ])('fires at the first window reaching LOW and leaves the alert on, as in order, when the clock has moved %s', (_when, hours, versions) => {
    const { alerts } = feed(partitionWith(SURGE), [a, b, uncounted(hours), f], 1);
    expect(lifecycle(alerts)).toEqual(versions);
    expect(endScores(alerts)).toEqual([]);
    expect(alerts[0]).toMatchObject({ score: 3, contributingEventIds: ['a', 'b', 'f'], window: { endAt: at(41) } });
    const inOrder = feed(partitionWith(SURGE), [a, b, f, uncounted(hours)], 1).alerts;
    expect(lifecycle(inOrder)).toEqual(versions);
    expect(evidence(latest(alerts).get(SURGE_ALERT))).toEqual(evidence(latest(inOrder).get(SURGE_ALERT)));
  });

  it('still ends the burst where its dwell passed when the clock has moved beyond it', () => {
    const { alerts } = feed(partitionWith(SURGE), [a, b, uncounted(112), f], 1);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW']);
    expect(alerts[1]).toMatchObject({ score: 1, window: { endAt: at(108) } });
    const inOrder = feed(partitionWith(SURGE), [a, b, f, uncounted(112)], 1).alerts;
    expect(alerts.map(evidence)).toEqual(inOrder.map(evidence));
  });

  it('keeps the alert on rather than ending it with evidence at LOW, when the window its end would be at reaches LOW again', () => {
    // A at 27, B at 47, then C at 104 moves the clock; D, occurring at 63, comes late. Windows
    // 63 … 98 reach LOW (A, B, D), 99 … 103 do not, 104 does again (B, D, C): the end the burst
    // would have at 104 shows evidence at LOW. In order, the timer at 104 comes before C: RESOLVED
    // with B and D, then a new FIRING with C. Late, the resolution cannot show the window without
    // C: the alert stays on, with the same evidence.
    const [a27, b47, c104, d63] = [copy('a', 27), copy('b', 47), copy('c', 104), copy('d', 63)];
    const { alerts } = feed(partitionWith(SURGE), [a27, b47, c104, d63], 1);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW']);
    expect(endScores(alerts)).toEqual([]);
    expect(alerts[0]).toMatchObject({ contributingEventIds: ['a', 'b', 'd'], window: { endAt: at(64) } });
    const inOrder = feed(partitionWith(SURGE), [a27, b47, d63, c104], 1).alerts;
    expect(lifecycle(inOrder)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:FIRING:LOW']);
    expect(isOn(latest(alerts).get(SURGE_ALERT))).toBe(true);
    expect(evidence(latest(alerts).get(SURGE_ALERT))).toEqual(evidence(latest(inOrder).get(SURGE_ALERT)));
  });
});

describe('evaluateWindowRule: a late incident extending an episode that has ended', () => {
  // A, B, C at hours 0, 10, 20 fire; windows reach LOW until A leaves (71), the episode ending at
  // 77 once the clock has moved on. L, occurring at 60, comes late: windows 72 … 81 reach LOW again
  // (B, C, L) until B leaves, so the episode goes on.
  const [a, b, c, l] = [copy('a', 0), copy('b', 10), copy('c', 20), copy('l', 60)];

  it('ends the extended episode where the in-order run ends the one after it, not at a window its own incidents bring to LOW', () => {
    // D at 87, the position the extended episode would end at: that window reaches LOW (C, L, D).
    // In order, the timer at 87 comes before D: RESOLVED with C and L, then a new FIRING with D,
    // resolved at 97 (C left at 92). Late, an end at 87 could only show D, at LOW: the episode goes
    // on through it and ends at 97, as the in-order one after it does.
    const d = copy('d', 87);
    const { alerts } = feed(partitionWith(SURGE), [a, b, c, d, uncounted(120), l], 1);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:RESOLVED:LOW']);
    expect(endScores(alerts)).toEqual([2, 2]);
    expect(alerts[2]).toMatchObject({ contributingEventIds: ['d', 'l'], window: { endAt: at(98) } });
    const inOrder = feed(partitionWith(SURGE), [a, b, c, l, d, uncounted(120)], 1).alerts;
    expect(lifecycle(inOrder)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:RESOLVED:LOW', '4:FIRING:LOW', '5:RESOLVED:LOW']);
    expect(endScores(inOrder)).toEqual([2, 2]);
    const [last, lastInOrder] = [latest(alerts).get(SURGE_ALERT), latest(inOrder).get(SURGE_ALERT)];
    expect([last?.status, last?.window, evidence(last)]).toEqual([lastInOrder?.status, lastInOrder?.window, evidence(lastInOrder)]);
  });

  it.each([
    ['still within the dwell of its first window reaching LOW', 103],
    ['within the dwell of its last window reaching LOW so far', 110],
    ['beyond the end of its dwell', 200],
  ])('publishes the newer burst the late incident completes after the new end, as in order, when the clock has moved %s', (_when, hours) => {
    // X and Y at 100 and 101: with L, windows 101 … 131 reach LOW (L leaves at 132), a burst after
    // the extended episode's end (87), which used to be missed: only the end was published.
    const [x, y] = [copy('x', 100), copy('y', 101)];
    const { alerts } = feed(partitionWith(SURGE), [a, b, c, x, y, uncounted(hours), l], 1);
    const inOrder = feed(partitionWith(SURGE), [a, b, c, l, x, y, uncounted(hours)], 1).alerts;
    expect(alerts.slice(0, 3).map((alert) => alert.status)).toEqual(['FIRING', 'RESOLVED', 'RESOLVED']);
    expect(alerts[2]).toMatchObject({ score: 2, contributingEventIds: ['c', 'l'], window: { endAt: at(88) } });
    // After the end, the versions in order: a new episode FIRING (not UPDATED, the episode it
    // would update has ended) and, once cooled, its RESOLVED.
    expect(alerts.slice(2).map((alert) => alert.status)).toEqual(inOrder.slice(2).map((alert) => alert.status));
    expect(alerts[3]).toMatchObject({ status: 'FIRING', contributingEventIds: ['l', 'x', 'y'] });
    expect(endScores(alerts).every((score) => score < 3)).toBe(true);
    const [last, lastInOrder] = [latest(alerts).get(SURGE_ALERT), latest(inOrder).get(SURGE_ALERT)];
    expect(isOn(last)).toBe(isOn(lastInOrder));
    expect(evidence(last)).toEqual(evidence(lastInOrder));
    if (!isOn(last)) expect(last?.window).toEqual(lastInOrder?.window);
  });
});

describe('evaluateWindowRule: a late incident bringing the window a resolution ended with to LOW, after the clock moved past its dwell', () => {
  it('fires a new episode there and resolves it, as in order', () => {
    // A, B, C at 1, 7, 9 fire, resolved at 78 (A left at 73). D, occurring at 78, comes when the
    // clock is at 100: window 78 reaches LOW (B, C, D), 79 no longer (B left). In order, the
    // resolution at 78 comes before D: then FIRING with D, resolved at 84. It used to stay resolved at 78.
    const [a, b, c, d] = [copy('a', 1), copy('b', 7), copy('c', 9), copy('d', 78)];
    const { alerts } = feed(partitionWith(SURGE), [a, b, c, uncounted(78), uncounted(100), d], 1);
    const inOrder = feed(partitionWith(SURGE), [a, b, c, uncounted(78), d, uncounted(100)], 1).alerts;
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:RESOLVED:LOW', '3:FIRING:LOW', '4:RESOLVED:LOW']);
    expect(endScores(alerts)).toEqual([2, 1]);
    expect(alerts.map(evidence)).toEqual(inOrder.map(evidence));
    expect(alerts.map((alert) => alert.window)).toEqual(inOrder.map((alert) => alert.window));
  });
});

describe('evaluateWindowRule: a late incident completing a burst still going only at the current position, after an older episode', () => {
  it('keeps the alert on, rather than ending it again where the older episode ended', () => {
    // A, B, C at 0, 1, 2 (and Q at 43) fire; the episode ends at 78. R at 100, then P at 120 move
    // the clock. L, occurring at 105, comes late: windows 105 … 114 reach LOW (Q, R, L), 115 … 119
    // do not (Q left), 120 does again (R, L, P). The burst fires at 105 and is still going; the
    // older episode's support (72) used to end it at once, republishing its RESOLVED at 78.
    const [a, b, c, q, r, p, l] = [copy('a', 0), copy('b', 1), copy('c', 2), copy('q', 43), copy('r', 100), copy('p', 120), copy('l', 105)];
    const { alerts } = feed(partitionWith(SURGE), [a, b, c, q, r, p, l], 1);
    expect(lifecycle(alerts)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:RESOLVED:LOW', '4:FIRING:LOW', '5:UPDATED:LOW']);
    expect(endScores(alerts)).toEqual([1]);
    expect(alerts[3]).toMatchObject({ contributingEventIds: ['l', 'q', 'r'], window: { endAt: at(106) } });
    // In order, the timer at 120 ends the burst before P, which fires a new one: on, with the same evidence.
    const inOrder = feed(partitionWith(SURGE), [a, b, c, q, r, l, p], 1).alerts;
    expect(lifecycle(inOrder)).toEqual(['1:FIRING:LOW', '2:UPDATED:LOW', '3:RESOLVED:LOW', '4:FIRING:LOW', '5:RESOLVED:LOW', '6:FIRING:LOW']);
    expect(isOn(latest(alerts).get(SURGE_ALERT))).toBe(true);
    expect(evidence(latest(alerts).get(SURGE_ALERT))).toEqual(evidence(latest(inOrder).get(SURGE_ALERT)));
  });
});
