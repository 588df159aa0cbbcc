import { describe, expect, it } from 'vitest';
import { NO_ORIGINS, UNKNOWN_ORIGINS, mergeOrigins, originsOf, publishedOrigins } from './alert-origins';
import { windowEvent } from './testing/window-events';

const strict = (id: string, agency: string, releasableTo: string[]) => ({ event: windowEvent(id, 1, { tlp: 'AMBER_STRICT', reportingAgency: agency, releasableTo }) });
const marked = (id: string, agency: string, tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'RED') => ({ event: windowEvent(id, 1, { reportingAgency: agency, tlp }) });

describe('alert origins', () => {
  it('join the reporting agencies, and intersect what AMBER_STRICT incidents were released to', () => {
    expect(originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete']), marked('b', 'bf-police', 'CLEAR'), strict('c', 'ml-douanes', ['sn-police'])])).toEqual({
      agencies: ['bf-police', 'ml-douanes', 'ml-police'],
      releasableTo: ['sn-police'],
    });
    expect(originsOf([marked('a', 'ml-police', 'CLEAR')])).toEqual({ agencies: ['ml-police'], releasableTo: null });
    expect(originsOf([])).toBe(NO_ORIGINS);
  });

  it('release nobody by name when GREEN or AMBER evidence is mixed in: the policy shares that, not the AMBER_STRICT release', () => {
    for (const tlp of ['GREEN', 'AMBER'] as const) {
      expect(originsOf([strict('a', 'ml-police', ['sn-police']), marked('b', 'ml-police', tlp)])).toEqual({ agencies: ['ml-police'], releasableTo: [] });
    }
  });

  it('are unknown when an incident stored by an earlier release does not say, and then publish nobody', () => {
    const unknown = originsOf([marked('a', 'ml-police', 'GREEN'), { event: windowEvent('b', 1, { reportingAgency: null }) }]);
    expect(unknown.agencies).toBeNull();
    expect(publishedOrigins(unknown)).toEqual({ sourceAgencies: [], releasableTo: [] });
    expect(mergeOrigins(originsOf([marked('c', 'sn-police', 'GREEN')]), UNKNOWN_ORIGINS).agencies).toBeNull();
  });

  it('merge as the evidence of both together would', () => {
    const a = originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete'])]);
    const b = originsOf([marked('b', 'bf-police', 'CLEAR'), strict('c', 'ne-police', ['mr-surete'])]);
    expect(mergeOrigins(a, b)).toEqual(originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete']), marked('b', 'bf-police', 'CLEAR'), strict('c', 'ne-police', ['mr-surete'])]));
    expect(mergeOrigins(a, NO_ORIGINS)).toBe(a);
    expect(mergeOrigins(NO_ORIGINS, b)).toBe(b);
    expect(publishedOrigins(mergeOrigins(a, b))).toEqual({ sourceAgencies: ['bf-police', 'ml-police', 'ne-police'], releasableTo: ['mr-surete'] });
    expect(mergeOrigins(a, originsOf([marked('d', 'ml-police', 'AMBER')])).releasableTo).toEqual([]);
  });
});
