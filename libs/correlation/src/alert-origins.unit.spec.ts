import { describe, expect, it } from 'vitest';
import { NO_ORIGINS, UNKNOWN_ORIGINS, mergeOrigins, originsOf, publishedOrigins } from './alert-origins';
import { windowEvent } from './testing/window-events';

const strict = (id: string, agency: string, releasableTo: string[]) => ({ event: windowEvent(id, 1, { tlp: 'AMBER_STRICT', reportingAgency: agency, releasableTo }) });
const green = (id: string, agency: string) => ({ event: windowEvent(id, 1, { reportingAgency: agency }) });

describe('alert origins', () => {
  it('joins the reporting agencies, and intersects what AMBER_STRICT incidents were released to', () => {
    expect(originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete']), green('b', 'bf-police'), strict('c', 'ml-douanes', ['sn-police'])])).toEqual({
      agencies: ['bf-police', 'ml-douanes', 'ml-police'],
      releasableTo: ['sn-police'],
    });
    expect(originsOf([green('a', 'ml-police')])).toEqual({ agencies: ['ml-police'], releasableTo: null });
    expect(originsOf([])).toBe(NO_ORIGINS);
  });

  it('are unknown when an incident stored by an earlier release does not say, and then publish nobody', () => {
    const unknown = originsOf([green('a', 'ml-police'), { event: windowEvent('b', 1, { reportingAgency: null }) }]);
    expect(unknown.agencies).toBeNull();
    expect(publishedOrigins(unknown)).toEqual({ sourceAgencies: [], releasableTo: [] });
    expect(mergeOrigins(originsOf([green('c', 'sn-police')]), UNKNOWN_ORIGINS).agencies).toBeNull();
  });

  it('merge as the evidence of both together would', () => {
    const a = originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete'])]);
    const b = originsOf([green('b', 'bf-police'), strict('c', 'ne-police', ['mr-surete'])]);
    expect(mergeOrigins(a, b)).toEqual(originsOf([strict('a', 'ml-police', ['sn-police', 'mr-surete']), green('b', 'bf-police'), strict('c', 'ne-police', ['mr-surete'])]));
    expect(mergeOrigins(a, NO_ORIGINS)).toBe(a);
    expect(mergeOrigins(NO_ORIGINS, b)).toBe(b);
    expect(publishedOrigins(mergeOrigins(a, b))).toEqual({ sourceAgencies: ['bf-police', 'ml-police', 'ne-police'], releasableTo: ['mr-surete'] });
  });
});
