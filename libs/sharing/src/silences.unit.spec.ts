import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { sampleRegionalAlert } from './sample-data';
import { activeSilencesFor, parseSilence, type Silence } from './silences';

const NOW = Date.UTC(2025, 2, 14, 10, 0, 0);
const HOUR = 3_600_000;
const silence = (over: Partial<Silence>): Silence => ({ silenceId: 's', zone: null, ruleId: null, startsAt: NOW - HOUR, endsAt: NOW + HOUR, comment: '', ...over });
// The sample alert: SECTION:ML-SN-003, rule smuggling-threshold.
const alert = sampleRegionalAlert();

describe('activeSilencesFor', () => {
  it.each([
    ['its zone', { zone: 'SECTION:ML-SN-003' }, true],
    ['its rule', { ruleId: 'smuggling-threshold' }, true],
    ['its zone and rule', { zone: 'SECTION:ML-SN-003', ruleId: 'smuggling-threshold' }, true],
    ['its zone and another rule', { zone: 'SECTION:ML-SN-003', ruleId: 'corroboration' }, false],
    ['another zone', { zone: 'SECTION:ML-SN-004' }, false],
    ['its zone, not yet started', { zone: 'SECTION:ML-SN-003', startsAt: NOW + 1 }, false],
    ['its zone, ended at this instant', { zone: 'SECTION:ML-SN-003', endsAt: NOW }, false],
  ] as const)('a silence of %s holds the alert: %s', (_, over, expected) => {
    expect(activeSilencesFor(alert, [silence(over)], NOW).length > 0).toBe(expected);
  });
});

describe('parseSilence', () => {
  it('reads ISO times, starting now by default', () => {
    expect(parseSilence({ silenceId: 'op-1', zone: 'HOTSPOT:HS-FALEME', endsAt: '2025-03-14T12:00:00Z', comment: 'operation' }, NOW)).toEqual({
      silenceId: 'op-1', zone: 'HOTSPOT:HS-FALEME', ruleId: null, startsAt: NOW, endsAt: NOW + 2 * HOUR, comment: 'operation',
    });
  });

  it.each([
    [{ silenceId: 'a', endsAt: '2025-03-14T12:00:00Z' }, '(root): a silence names a zone, a ruleId, or both'],
    [{ silenceId: 'a', zone: 'HOTSPOT:HS-FALEME', endsAt: '2025-03-14T09:00:00Z' }, 'endsAt: must be in the future and after startsAt'],
    [{ silenceId: 'a', zone: 'HOTSPOT:HS-FALEME', endsAt: 'tomorrow' }, 'endsAt: must be an ISO-8601 timestamp'],
    [{ silenceId: 'a', zone: 'HOTSPOT:HS-FALEME', endsAt: '2025-06-14T09:00:00Z' }, 'endsAt: a silence lasts at most 31 days'],
    [{ silenceId: 'a', zone: 'faleme', endsAt: '2025-03-14T12:00:00Z' }, 'zone: must be a zone key'],
    [{ silenceId: 'a', zone: 'HOTSPOT:HS-X', endsAt: '2025-03-14T12:00:00Z', until: 'x' }, 'until: unknown field'],
  ])('refuses %j: %s', (json, expected) => {
    try {
      parseSilence(json, NOW);
      throw new Error('accepted');
    } catch (error) {
      expect((error as VigieError).code).toBe('SILENCE_INVALID');
      expect((error as VigieError).details?.problems as string[]).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    }
  });

  it('checks the zone against the geography when given one', () => {
    expect(() => parseSilence({ silenceId: 'a', zone: 'HOTSPOT:HS-X', endsAt: '2025-03-14T12:00:00Z' }, NOW, { zoneExists: () => false })).toThrow('no zone "HOTSPOT:HS-X"');
  });
});
