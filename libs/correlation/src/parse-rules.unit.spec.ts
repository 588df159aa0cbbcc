import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseRules } from './parse-rules';
import { levelFor, ruleAppliesTo } from './rule';

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
  it('accepts the shipped deploy/config/rules.json', () => {
    const rules = parseRules(readFileSync(resolve(__dirname, '../../../deploy/config/rules.json'), 'utf8'));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((r) => r.kind === 'threshold' && r.windowMs > 0 && r.levels.LOW > 0)).toBe(true);
  });

  it('reads a threshold rule, defaulting the filters to "all"', () => {
    expect(parseRules({ rules: [{ ...valid, description: 'd' }] })).toEqual([
      { id: 'surge', kind: 'threshold', description: 'd', windowMs: 72 * 3_600_000, categories: [], zoneKinds: [], levels: valid.levels },
    ]);
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
    ['an unknown kind', { rules: [{ ...valid, kind: 'spike' }] }, /^rules\[0\]\.kind: unknown rule kind "spike"/],
    ['an inherited property as kind', { rules: [{ ...valid, kind: 'toString' }] }, /^rules\[0\]\.kind: unknown rule kind/],
    ['an unknown field', { rules: [{ ...valid, treshold: 3 }] }, /^rules\[0\]\.treshold: unknown field/],
    ['a bad id', { rules: [{ ...valid, id: 'Surge 72h' }] }, /^rules\[0\]\.id: /],
    ['duplicate ids', { rules: [valid, valid] }, /^rules\[1\]\.id: duplicate rule id "surge"/],
    ['no LOW level', { rules: [{ ...valid, levels: { MEDIUM: 5 } }] }, /^rules\[0\]\.levels\.LOW: required/],
    ['levels that do not rise', { rules: [{ ...valid, levels: { LOW: 3, MEDIUM: 3 } }] }, /^rules\[0\]\.levels\.MEDIUM: expected an integer greater than 3/],
    ['a fractional threshold', { rules: [{ ...valid, levels: { LOW: 2.5 } }] }, /^rules\[0\]\.levels\.LOW: expected an integer/],
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
