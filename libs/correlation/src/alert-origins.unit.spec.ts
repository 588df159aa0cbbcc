import { describe, expect, it } from 'vitest';
import { NO_ORIGINS, UNKNOWN_ORIGINS, mergeOrigins, originsOf, publishedOrigins, withIncident } from './alert-origins';
import { windowEvent } from './testing/window-events';

// As toWindowEvent keeps them: sorted.
const strict = (id: string, agency: string, releasableTo: string[]) => ({ event: windowEvent(id, 1, { tlp: 'AMBER_STRICT', reportingAgency: agency, releasableTo: [...releasableTo].sort() }) });
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

  it('seal incidents one by one into what the incidents together give, and do not change when one adds nothing', () => {
    const incidents = [
      strict('a', 'ml-police', ['sn-police', 'mr-surete']), marked('b', 'ml-police', 'CLEAR'), strict('c', 'ml-douanes', ['mr-surete', 'sn-police']),
      strict('d', 'ml-police', ['mr-surete']), marked('e', 'ne-police', 'RED'), marked('f', 'ml-police', 'AMBER'), marked('g', 'bf-police', 'GREEN'),
    ];
    for (let n = 1; n <= incidents.length; n++) {
      const sealed = incidents.slice(0, n).reduce((origins, { event }) => withIncident(origins, event), NO_ORIGINS);
      expect(sealed).toEqual(originsOf(incidents.slice(0, n)));
    }
    const once = withIncident(NO_ORIGINS, incidents[0]!.event);
    expect(withIncident(once, strict('h', 'ml-police', ['mr-surete', 'sn-police', 'gh-police']).event)).toBe(once);
  });
});
