import { severityOf } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import type { WeightSpec } from './rule';
import { windowEvent } from './testing/window-events';
import { DEFAULT_GRADING, MILLI, weightsOf } from './weights';

const spec = (overrides: Partial<WeightSpec>): WeightSpec => ({ severity: false, fatalities: null, grading: null, ...overrides });

describe('weightsOf', () => {
  const attack = windowEvent('a', 0, { category: 'BATTLES', subCategory: 'ARMED_CLASH', fatalities: 4, reliability: 'C', credibility: 3 });

  it('weighs every incident 1 when the rule has no weights', () => {
    expect(weightsOf(attack, null)).toEqual({ weight: MILLI, corroborated: MILLI });
  });

  it('multiplies by the taxonomy’s severity', () => {
    expect(weightsOf(attack, spec({ severity: true })).weight).toBe(Math.round(severityOf('BATTLES', 'ARMED_CLASH') * MILLI));
  });

  it('adds weight per death, capped', () => {
    expect(weightsOf(attack, spec({ fatalities: { perDeath: 0.25, max: 3 } })).weight).toBe(2 * MILLI);
    expect(weightsOf({ ...attack, fatalities: 100 }, spec({ fatalities: { perDeath: 0.25, max: 3 } })).weight).toBe(4 * MILLI);
  });

  it('grades by source reliability and information credibility, and reads a corroborated incident as credibility 1', () => {
    // C (0.75) × 3 (0.75); corroborated: C × 1 (1).
    expect(weightsOf(attack, spec({ grading: DEFAULT_GRADING }))).toEqual({ weight: Math.round(0.75 * 0.75 * MILLI), corroborated: 750 });
  });

  it('combines all three factors', () => {
    const all = spec({ severity: true, fatalities: { perDeath: 0.25, max: 3 }, grading: DEFAULT_GRADING });
    expect(weightsOf(attack, all).weight).toBe(Math.round(severityOf('BATTLES', 'ARMED_CLASH') * 2 * 0.75 * 0.75 * MILLI));
  });
});
