import { describe, expect, it } from 'vitest';
import type { AlertState } from './alert-state';
import { evaluateZone, type ZoneEvaluation } from './evaluate-zone';
import type { Rule } from './rule';
import { HOUR, at, windowEvent } from './testing/window-events';
import type { WindowEvent } from './window-event';
import type { Zone } from './zone';

const zone: Zone = { kind: 'HOTSPOT', id: 'HS-FALEME', name: 'Falémé valley', countries: ['ML', 'SN'] };
const rule: Rule = {
  id: 'surge',
  kind: 'threshold',
  description: '',
  windowMs: 72 * HOUR,
  categories: [],
  zoneKinds: [],
  levels: { LOW: 3, MEDIUM: 5, HIGH: 8, CRITICAL: 12 },
};
const NOW = at(500);

/** n incidents one hour apart, ending at hour 100. */
const incidents = (n: number, overrides: Partial<WindowEvent> = {}): WindowEvent[] =>
  Array.from({ length: n }, (_, i) => windowEvent(`ml-police:E${String(i + 1).padStart(2, '0')}`, 100 - (n - 1 - i), overrides));

const watermarkOf = (events: readonly WindowEvent[]): number => Math.max(...events.map((e) => e.occurredAt));

const evaluate = (events: readonly WindowEvent[], previous: AlertState | null = null, r: Rule = rule): ZoneEvaluation =>
  evaluateZone({ zone, rule: r, events, watermark: watermarkOf(events), previous, now: NOW });

/** Runs a sequence of zone contents through the lifecycle, as the correlator would, batch after batch. */
function lifecycle(...contents: WindowEvent[][]): ZoneEvaluation[] {
  let previous: AlertState | null = null;
  return contents.map((events) => {
    const result = evaluate(events, previous);
    previous = result.state;
    return result;
  });
}

describe('evaluateZone: thresholds and levels', () => {
  it('stays silent below LOW', () => {
    expect(evaluate(incidents(2))).toEqual({ state: null, alert: null });
  });

  it('fires at LOW with the full alert', () => {
    const { alert, state } = evaluate([
      windowEvent('sn-gendarmerie:B', 98, { sourceCountry: 'SN', category: 'KIDNAPPING', subCategory: 'FOR_RANSOM', reportedAt: at(105) }),
      windowEvent('ml-police:A', 97),
      windowEvent('ml-police:C', 100),
    ]);
    expect(alert).toEqual({
      alertId: 'surge:HOTSPOT:HS-FALEME',
      version: 1,
      status: 'FIRING',
      zone: { kind: 'HOTSPOT', id: 'HS-FALEME', name: 'Falémé valley', countries: ['ML', 'SN'] },
      level: 'LOW',
      previousLevel: null,
      rule: { id: 'surge', kind: 'threshold' },
      window: { startAt: at(100 - 72), endAt: at(100) },
      score: 3,
      explanation: '3 incidents in 72 h ≥ 3 (LOW)',
      countsByCategory: { KIDNAPPING: 1, SMUGGLING: 2 },
      contributingEventIds: ['ml-police:A', 'ml-police:C', 'sn-gendarmerie:B'],
      distinctSourceCountries: ['ML', 'SN'],
      firstSeen: at(97),
      lastSeen: at(100),
      summary: expect.objectContaining({}),
      tlp: 'GREEN',
      evaluatedAt: NOW,
      latestReportedAt: at(105),
    });
    expect(state).toEqual({
      alertId: 'surge:HOTSPOT:HS-FALEME',
      version: 1,
      status: 'FIRING',
      level: 'LOW',
      tlp: 'GREEN',
      evidence: ['ml-police:A@1', 'ml-police:C@1', 'sn-gendarmerie:B@1'],
    });
  });

  it.each([
    [4, 'LOW'],
    [5, 'MEDIUM'],
    [8, 'HIGH'],
    [11, 'HIGH'],
    [12, 'CRITICAL'],
  ])('%i incidents fire at %s', (n, level) => {
    const { alert } = evaluate(incidents(n));
    expect(alert?.level).toBe(level);
    expect(alert?.score).toBe(n);
  });

  it('counts the window [watermark − window, watermark] inclusively', () => {
    const events = [{ ...windowEvent('e:old', 28), occurredAt: at(28) - 1 }, windowEvent('e:edge', 28), windowEvent('e:mid', 60), windowEvent('e:new', 100)];
    const { alert } = evaluate(events);
    expect(alert?.contributingEventIds).toEqual(['e:edge', 'e:mid', 'e:new']);
    expect(alert?.window).toEqual({ startAt: at(28), endAt: at(100) });
  });

  it('counts only the rule’s categories', () => {
    const events = [...incidents(2), windowEvent('e:k1', 90, { category: 'KIDNAPPING' }), windowEvent('e:k2', 91, { category: 'KIDNAPPING' })];
    const kidnappings: Rule = { ...rule, categories: ['KIDNAPPING'], levels: { LOW: 2 } };
    expect(evaluate(events, null, kidnappings).alert?.contributingEventIds).toEqual(['e:k1', 'e:k2']);
    expect(evaluate(events, null, { ...kidnappings, levels: { LOW: 3 } }).alert).toBeNull();
  });
});

describe('evaluateZone: versions and statuses', () => {
  it('FIRING → no change → UPDATED (level) → UPDATED (contributors) → RESOLVED → FIRING again under the same id', () => {
    const five = incidents(5);
    const [fired, same, raised, widened, resolved, quiet, refired] = lifecycle(
      incidents(3),
      incidents(3),
      five,
      [...five, windowEvent('e:extra', 99)],
      incidents(2),
      incidents(1),
      incidents(4),
    );
    expect(fired?.alert).toMatchObject({ version: 1, status: 'FIRING', level: 'LOW', previousLevel: null });
    expect(same?.alert).toBeNull();
    expect(same?.state).toBe(fired?.state);
    expect(raised?.alert).toMatchObject({ version: 2, status: 'UPDATED', level: 'MEDIUM', previousLevel: 'LOW' });
    expect(widened?.alert).toMatchObject({ version: 3, status: 'UPDATED', level: 'MEDIUM', previousLevel: 'MEDIUM', score: 6 });
    expect(resolved?.alert).toMatchObject({
      version: 4,
      status: 'RESOLVED',
      level: 'MEDIUM',
      previousLevel: 'MEDIUM',
      score: 2,
      explanation: '2 incidents in 72 h < 3 (LOW): resolved',
    });
    expect(quiet).toEqual({ state: resolved?.state, alert: null });
    expect(refired?.alert).toMatchObject({ alertId: 'surge:HOTSPOT:HS-FALEME', version: 5, status: 'FIRING', level: 'LOW', previousLevel: null });
  });

  it('a new revision of a contributor is an update, even with the same ids', () => {
    const first = incidents(3);
    const revised = first.map((e, i) => (i === 0 ? { ...e, revision: 2, status: 'REVISED' as const, category: 'DRUGS' } : e));
    const [, update] = lifecycle(first, revised);
    expect(update?.alert).toMatchObject({ version: 2, status: 'UPDATED', countsByCategory: { DRUGS: 1, SMUGGLING: 2 } });
  });

  it('a retraction removes its incident, and resolves when the count falls below LOW', () => {
    const three = incidents(3);
    const retracted = three.map((e, i) => (i === 2 ? { ...e, revision: 2, status: 'RETRACTED' as const, reportedAt: at(300) } : e));
    const [fired, resolved] = lifecycle(three, retracted);
    expect(fired?.alert?.score).toBe(3);
    expect(resolved?.alert).toMatchObject({ version: 2, status: 'RESOLVED', score: 2, contributingEventIds: three.slice(0, 2).map((e) => e.eventId) });
    // The retraction is the newest report this version reflects.
    expect(resolved?.alert?.latestReportedAt).toBe(at(300));
  });
});

describe('evaluateZone: TLP', () => {
  it('is the most restrictive of the contributors', () => {
    const events = [windowEvent('a', 98, { tlp: 'CLEAR' }), windowEvent('b', 99, { tlp: 'AMBER_STRICT' }), windowEvent('c', 100, { tlp: 'AMBER' })];
    expect(evaluate(events).alert?.tlp).toBe('AMBER_STRICT');
  });

  it('ignores retracted incidents (their content is withdrawn)', () => {
    const events = [...incidents(3), windowEvent('r', 99, { tlp: 'RED', status: 'RETRACTED', revision: 2 })];
    expect(evaluate(events).alert?.tlp).toBe('GREEN');
  });

  it('keeps the resolved alert’s TLP on its RESOLVED version, so the resolution reaches the same audience', () => {
    const red = [...incidents(2), windowEvent('r', 100, { tlp: 'RED' })];
    const [fired, resolved] = lifecycle(red, incidents(2));
    expect(fired?.alert?.tlp).toBe('RED');
    expect(resolved?.alert).toMatchObject({ status: 'RESOLVED', tlp: 'RED' });
  });
});

describe('evaluateZone: summary', () => {
  it('says zone, level, counts, countries and since when, in English and French', () => {
    const events = [
      ...incidents(3),
      windowEvent('sn:K1', 99, { sourceCountry: 'SN', category: 'KIDNAPPING' }),
      windowEvent('sn:K2', 99.5, { sourceCountry: 'SN', category: 'KIDNAPPING' }),
    ];
    const summary = evaluate(events).alert?.summary;
    expect(summary?.en).toBe('Falémé valley: MEDIUM alert — 5 incidents in 72 h (Smuggling 3, Kidnapping 2) reported by ML, SN since 2025-05-05 02:00 UTC.');
    expect(summary?.fr).toMatch(/^Falémé valley : alerte de niveau moyen — 5 incidents en 72 h \(.+ 3, .+ 2\) signalés par ML, SN depuis le 2025-05-05 02:00 UTC\.$/);
  });

  it('announces a resolution', () => {
    const [, resolved] = lifecycle(incidents(3), incidents(1));
    expect(resolved?.alert?.summary.en).toBe('Falémé valley: LOW alert resolved — 1 incident in 72 h, below the LOW threshold of 3.');
    expect(resolved?.alert?.summary.fr).toMatch(/^Falémé valley : fin de l'alerte de niveau faible/);
  });
});
