import { emptySealed, sealInto, type Contribution, type WindowEvent } from '@vigie/correlation';
import { describe, expect, it } from 'vitest';
import { decodeCompactEvent, encodeCompactEvent } from './compact-event';
import { decodeCompactSealed, encodeCompactSealed } from './compact-sealed';

/** An event as an earlier release stored it: without its reporting agency and releasability. */
const STORED_BEFORE = JSON.stringify([1, 'ACTIVE', 0, 0, 0, 'SMUGGLING', 'FUEL', 'ml-police', 'ML', 'GREEN', 0, 'B', 2, 'ML', null]);
const event = (over: Partial<WindowEvent>): WindowEvent => ({ ...decodeCompactEvent('ml-police:A', STORED_BEFORE), ...over });

describe('compact records: who reported an incident', () => {
  it('round-trip with the reporting agency, and what an AMBER_STRICT incident was released to', () => {
    const strict = event({ tlp: 'AMBER_STRICT', reportingAgency: 'ml-police', releasableTo: ['mr-surete', 'sn-police'] });
    expect(decodeCompactEvent(strict.eventId, encodeCompactEvent(strict))).toEqual(strict);
    const green = event({ reportingAgency: 'ml-police' });
    expect(decodeCompactEvent(green.eventId, encodeCompactEvent(green))).toEqual(green);
  });

  it('read events and sealed buckets an earlier release stored, without them, as of unknown origin', () => {
    expect(decodeCompactEvent('ml-police:A', STORED_BEFORE)).toMatchObject({ reportingAgency: null, releasableTo: [] });
    const sealed = emptySealed(false);
    const contribution: Contribution = { digest: 1, weight: 1000, corroborated: 0, category: 'SMUGGLING', source: null, key: null, keyAmount: 0, tlpRank: 1, country: 'ML' };
    sealInto(sealed, contribution, event({ reportingAgency: 'ml-police' }));
    expect(decodeCompactSealed(encodeCompactSealed(sealed)).origins).toEqual({ agencies: ['ml-police'], releasableTo: [] });
    const older = JSON.parse(encodeCompactSealed(sealed)) as unknown[];
    expect(decodeCompactSealed(JSON.stringify(older.slice(0, 11))).origins).toEqual({ agencies: null, releasableTo: null });
  });
});
