import { describe, expect, it } from 'vitest';
import { copyIsInZone, routeRevision } from './zone-withdrawal';

describe('routeRevision', () => {
  it('sends a first revision to its zones alone', () => {
    expect(routeRevision(1, ['SECTION:ML-SN-003', 'COUNTRY:ML'], null)).toEqual({ kind: 'route', zones: ['SECTION:ML-SN-003', 'COUNTRY:ML'], withdrawFrom: [] });
  });

  it('withdraws a revision that moved from every zone an earlier revision was sent to and it is not in', () => {
    const remembered = { revision: 2, zones: ['SECTION:ML-SN-003', 'HOTSPOT:HS-FALEME', 'COUNTRY:ML'] };
    expect(routeRevision(3, ['SECTION:ML-BF-001', 'COUNTRY:ML'], remembered)).toEqual({
      kind: 'route',
      zones: ['SECTION:ML-BF-001', 'COUNTRY:ML'],
      withdrawFrom: ['SECTION:ML-SN-003', 'HOTSPOT:HS-FALEME'],
    });
    // A retraction located in no zone withdraws the incident from all of them.
    expect(routeRevision(3, [], remembered)).toEqual({ kind: 'route', zones: [], withdrawFrom: remembered.zones });
  });

  it('routes a revision met again (a batch redone) as the first time, and sends a lower one nowhere', () => {
    const remembered = { revision: 3, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML'] };
    expect(routeRevision(3, ['COUNTRY:ML'], remembered)).toEqual({ kind: 'route', zones: ['COUNTRY:ML'], withdrawFrom: ['SECTION:ML-SN-003'] });
    expect(routeRevision(2, ['SECTION:ML-SN-003'], remembered)).toEqual({ kind: 'superseded', by: 3 });
  });
});

describe('copyIsInZone', () => {
  it('tells a copy keyed by one of its zones from one keyed by another', () => {
    const keys = ['SECTION:ML-SN-003', 'ROUTE:R:1', 'COUNTRY:ML'];
    expect(copyIsInZone(keys, { kind: 'SECTION', id: 'ML-SN-003' })).toBe(true);
    expect(copyIsInZone(keys, { kind: 'ROUTE', id: 'R:1' })).toBe(true);
    expect(copyIsInZone(keys, { kind: 'COUNTRY', id: 'SN' })).toBe(false);
    expect(copyIsInZone(keys, { kind: 'SECTION', id: 'ML-SN-00' })).toBe(false);
    expect(copyIsInZone(keys, { kind: 'HOTSPOT', id: 'ML-SN-003' })).toBe(false);
    expect(copyIsInZone(['SECTIONXML-SN-003'], { kind: 'SECTION', id: 'ML-SN-003' })).toBe(false);
    expect(copyIsInZone([], { kind: 'COUNTRY', id: 'ML' })).toBe(false);
  });
});
