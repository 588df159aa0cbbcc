import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseRules } from './parse-rules';
import { levelFor, ruleAppliesTo } from './rule';
import { RULE_KINDS } from './rule-kinds';
import { DEFAULT_GRADING } from './weights';

const HOUR = 3_600_000;

const valid = {
  id: 'surge',
  kind: 'threshold',
  window: '72h',
  levels: { LOW: 3, MEDIUM: 5, HIGH: 8, CRITICAL: 12 },
};

const errorOf = (json: unknown): VigieError => {
  try {
    parseRules(json);
  } catch (error) {
    return error as VigieError;
  }
  throw new Error('expected parseRules to throw');
};

describe('parseRules', () => {
  it('accepts the shipped deploy/config/rules.json, with every rule kind', () => {
    const rules = parseRules(readFileSync(resolve(__dirname, '../../../deploy/config/rules.json'), 'utf8'));
    expect(new Set(rules.map((r) => r.kind))).toEqual(new Set(Object.keys(RULE_KINDS)));
    expect(rules.every((r) => r.windowMs % r.resolutionMs === 0 && r.levels.LOW > 0)).toBe(true);
  });

  it('reads a threshold rule, defaulting the filters to "all" and the rest to the defaults', () => {
    expect(parseRules({ rules: [{ ...valid, description: 'd' }] })).toEqual([
      {
        id: 'surge', kind: 'threshold', description: 'd', windowMs: 72 * HOUR, resolutionMs: HOUR, dwellMs: 24 * HOUR,
        categories: [], zoneKinds: [], levels: valid.levels, weights: null, maxContributors: 50,
      },
    ]);
  });

  it('takes the document’s defaults, and each rule’s own values over them', () => {
    const [a, b] = parseRules({
      defaults: { resolution: '30m', dwell: '6h', maxContributors: 20 },
      rules: [valid, { ...valid, id: 'other', resolution: '2h', dwell: '1h', maxContributors: 5 }],
    });
    expect(a).toMatchObject({ resolutionMs: HOUR / 2, dwellMs: 6 * HOUR, maxContributors: 20 });
    expect(b).toMatchObject({ resolutionMs: 2 * HOUR, dwellMs: HOUR, maxContributors: 5 });
  });

  it('reads weights: severity, fatalities, and Admiralty grading with its defaults or overrides', () => {
    const [plain, graded, custom] = parseRules({
      rules: [
        { ...valid, weights: { severity: true } },
        { ...valid, id: 'graded', weights: { fatalities: { perDeath: 0.5, max: 4 }, grading: true } },
        { ...valid, id: 'custom', weights: { grading: { reliability: { F: 0.1 }, credibility: { '6': 0.2 }, corroboration: { min: 3, distinct: 'countries' } } } },
      ],
    });
    expect(plain?.weights).toEqual({ severity: true, fatalities: null, grading: null });
    expect(graded?.weights).toEqual({ severity: false, fatalities: { perDeath: 0.5, max: 4 }, grading: DEFAULT_GRADING });
    expect(custom?.weights?.grading).toMatchObject({ reliability: { A: 1, F: 0.1 }, corroboration: { min: 3, distinct: 'countries' } });
    expect(custom?.weights?.grading?.credibility[6]).toBe(0.2);
    // Without corroboration, no incident is read as confirmed: any order of credibility factors will do.
    const [uncorroborated] = parseRules({ rules: [{ ...valid, weights: { grading: { credibility: { '1': 0.2 }, corroboration: false } } }] });
    expect(uncorroborated?.weights?.grading?.credibility[1]).toBe(0.2);
  });

  it('reads each kind’s own fields, with their defaults, and confines kinds to the zones they can watch', () => {
    const [corroboration, mirror, progression, spike, silent] = parseRules({
      rules: [
        { ...valid, id: 'cc', kind: 'corroboration', distinct: 'feeds' },
        { ...valid, id: 'mm', kind: 'cross-border-mirror' },
        { ...valid, id: 'pp', kind: 'route-progression', segmentKm: 25, direction: 'increasing' },
        { ...valid, id: 'ss', kind: 'spike', baseline: '14d', window: '24h' },
        { ...valid, id: 'ff', kind: 'silent-feed', window: '14d', minRhythm: '2h' },
      ],
    });
    expect(corroboration).toMatchObject({ distinct: 'feeds', zoneKinds: [] });
    expect(mirror).toMatchObject({ zoneKinds: ['SECTION'] });
    expect(progression).toMatchObject({ segmentKm: 25, direction: 'increasing', zoneKinds: ['ROUTE'] });
    expect(spike).toMatchObject({ baselineMs: 14 * 24 * HOUR, minCount: 3, minExpected: 1 });
    expect(silent).toMatchObject({ minGaps: 5, minRhythmMs: 2 * HOUR, zoneKinds: ['COUNTRY'] });
  });

  it('reads weighted thresholds with decimals', () => {
    expect(parseRules({ rules: [{ ...valid, levels: { LOW: 2.5, MEDIUM: 4.75 } }] })[0]?.levels).toEqual({ LOW: 2.5, MEDIUM: 4.75 });
  });

  it('keeps category and zone-kind filters', () => {
    const [rule] = parseRules({ rules: [{ ...valid, categories: ['KIDNAPPING', 'BATTLES'], zoneKinds: ['HOTSPOT'] }] });
    expect(rule?.categories).toEqual(['KIDNAPPING', 'BATTLES']);
    expect(rule?.zoneKinds).toEqual(['HOTSPOT']);
  });

  it.each([
    ['a document without rules', { rule: [] }, /^rules: expected \{"rules": \[\.\.\.\]\}/],
    ['text that is not JSON', '{"rules": [', /^rules: not valid JSON/],
    ['a bad window', { rules: [{ ...valid, window: '3 days' }] }, /^rules\[0\]\.window: expected a positive duration/],
    ['a missing window', { rules: [{ ...valid, window: undefined }] }, /^rules\[0\]\.window: /],
    ['an unknown kind', { rules: [{ ...valid, kind: 'surge' }] }, /^rules\[0\]\.kind: unknown rule kind "surge"/],
    ['an inherited property as kind', { rules: [{ ...valid, kind: 'toString' }] }, /^rules\[0\]\.kind: unknown rule kind/],
    ['an unknown field', { rules: [{ ...valid, treshold: 3 }] }, /^rules\[0\]\.treshold: unknown field/],
    ['a bad id', { rules: [{ ...valid, id: 'Surge 72h' }] }, /^rules\[0\]\.id: /],
    ['duplicate ids', { rules: [valid, valid] }, /^rules\[1\]\.id: duplicate rule id "surge"/],
    ['no LOW level', { rules: [{ ...valid, levels: { MEDIUM: 5 } }] }, /^rules\[0\]\.levels\.LOW: required/],
    ['levels that do not rise', { rules: [{ ...valid, levels: { LOW: 3, MEDIUM: 3 } }] }, /^rules\[0\]\.levels\.MEDIUM: expected a number greater than 3/],
    ['a threshold that is not a number', { rules: [{ ...valid, levels: { LOW: '2' } }] }, /^rules\[0\]\.levels\.LOW: expected a number/],
    ['a window that is not whole steps', { rules: [{ ...valid, window: '90m' }] }, /^rules\[0\]\.window: must be a whole number .* of resolution steps \(60 min\)/],
    ['a kind’s field on another kind', { rules: [{ ...valid, segmentKm: 50 }] }, /^rules\[0\]\.segmentKm: unknown field/],
    ['a mirror watching hotspots', { rules: [{ ...valid, kind: 'cross-border-mirror', zoneKinds: ['HOTSPOT'] }] }, /^rules\[0\]\.zoneKinds\[0\]: a cross-border-mirror rule watches only SECTION zones/],
    ['a confirmed grade counting less than another, with corroboration', { rules: [{ ...valid, weights: { grading: { credibility: { '1': 0.2 } } } }] }, /^rules\[0\]\.weights\.grading\.credibility\.1: expected the largest factor .* grade 2: 0\.9/],
    ['a bad corroboration distinct', { rules: [{ ...valid, kind: 'corroboration', distinct: 'agencies' }] }, /^rules\[0\]\.distinct: expected one of feeds, countries/],
    ['a bad grading grade', { rules: [{ ...valid, weights: { grading: { reliability: { G: 1 } } } }] }, /^rules\[0\]\.weights\.grading\.reliability\.G: unknown grade/],
    ['a fatalities weight without perDeath', { rules: [{ ...valid, weights: { fatalities: { max: 3 } } }] }, /^rules\[0\]\.weights\.fatalities\.perDeath: expected a positive number/],
    ['a spike baseline in hours', { rules: [{ ...valid, kind: 'spike', baseline: '36h' }] }, /^rules\[0\]\.baseline: expected whole days/],
    ['an unknown default', { defaults: { windw: '1h' }, rules: [valid] }, /^defaults\.windw: unknown field/],
    ['an unknown level', { rules: [{ ...valid, levels: { LOW: 3, SEVERE: 9 } }] }, /^rules\[0\]\.levels\.SEVERE: unknown level/],
    ['an unknown category', { rules: [{ ...valid, categories: ['BATTLES', 'PIRACY'] }] }, /^rules\[0\]\.categories\[1\]: unknown category "PIRACY"/],
    ['an unknown zone kind', { rules: [{ ...valid, zoneKinds: ['REGION'] }] }, /^rules\[0\]\.zoneKinds\[0\]: unknown zone kind "REGION"/],
  ])('refuses %s with RULES_INVALID naming the field', (_case, json, message) => {
    const error = errorOf(json);
    expect(error).toBeInstanceOf(VigieError);
    expect(error.code).toBe('RULES_INVALID');
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(message);
  });
});

describe('levelFor', () => {
  const levels = { LOW: 3, MEDIUM: 5, HIGH: 8, CRITICAL: 12 };

  it.each([
    [0, null],
    [2, null],
    [3, 'LOW'],
    [4, 'LOW'],
    [5, 'MEDIUM'],
    [7, 'MEDIUM'],
    [8, 'HIGH'],
    [11, 'HIGH'],
    [12, 'CRITICAL'],
    [40, 'CRITICAL'],
  ])('score %i → %s', (score, level) => {
    expect(levelFor(score, levels)).toBe(level);
  });

  it('skips levels a rule does not define', () => {
    expect(levelFor(9, { LOW: 2, HIGH: 6 })).toBe('HIGH');
    expect(levelFor(4, { LOW: 2, HIGH: 6 })).toBe('LOW');
  });
});

describe('ruleAppliesTo', () => {
  it('matches every zone kind when the rule names none', () => {
    const [all, hotspots] = parseRules({ rules: [valid, { ...valid, id: 'hot', zoneKinds: ['HOTSPOT'] }] });
    expect(ruleAppliesTo(all!, 'COUNTRY')).toBe(true);
    expect(ruleAppliesTo(hotspots!, 'HOTSPOT')).toBe(true);
    expect(ruleAppliesTo(hotspots!, 'SECTION')).toBe(false);
  });
});
