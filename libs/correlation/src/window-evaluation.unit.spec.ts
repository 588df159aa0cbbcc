import { describe, expect, it } from 'vitest';
import { rules, rulesByKind, zoneOf, FALEME, ROUTE } from './testing/partition-harness';
import { HOUR, at, windowEvent } from './testing/window-events';
import { bucketOf } from './rule-window';
import { RuleScores } from './window-evaluation';
import { ZoneRuntime } from './zone-runtime';
import { levelIndexFor, type WindowRule } from './rule';

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
  const route = rule.kind === 'route-progression';
  const zone = new ZoneRuntime(zoneOf(route ? ROUTE : FALEME), rulesByKind([rule])(route ? 'ROUTE' : 'HOTSPOT'));
  for (let i = 0; i < 40; i++) {
    const hours = i < 10 ? (i * 37) % 72 : 72 + ((i * 7) % 24);
    zone.apply(windowEvent(`e${i}`, hours, { feedId: ['ml-police', 'ml-gendarmerie', 'sn-police', 'ne-police'][i % 4] as string, chainageKm: ((i * 53) % 400) + 1 }));
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
