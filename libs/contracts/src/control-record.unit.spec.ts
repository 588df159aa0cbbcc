import { describe, expect, it } from 'vitest';
import { controlEntityOf, controlKey, controlKeyOf, controlRecord, parseControlKey } from './control-record';
import { sampleControlRecords } from './sample-messages';

describe('control record keys', () => {
  it('names each entity by kind and id', () => {
    const keys = sampleControlRecords().map((r) => {
      const { kind, entity } = controlEntityOf(r)!;
      return controlKeyOf(kind, entity as never);
    });
    expect(keys).toEqual([
      'agency:ml-police',
      'subscription:ml-faleme',
      'community:AES',
      'agreement:ml-mr',
      'policy:redaction',
      'silence:s-1',
      'ack:SECTION:ML-SN-003:mirror-48h',
      'seed:agencies',
    ]);
  });

  it('parses a key back, ids with colons included, and refuses unknown kinds', () => {
    expect(parseControlKey(controlKey('acknowledgement', 'SECTION:ML-SN-003:r'))).toEqual({ kind: 'acknowledgement', id: 'SECTION:ML-SN-003:r' });
    expect(parseControlKey('policy:redaction')).toEqual({ kind: 'redactionPolicy', id: 'redaction' });
    expect(parseControlKey('zone:ML')).toBeUndefined();
    expect(parseControlKey('agency')).toBeUndefined();
  });

  it('finds the one entity of a record, and none in a record that carries two', () => {
    const record = controlRecord('agency', { agencyId: 'a1', name: 'A', country: 'ML', languages: [] }, { changedAt: 1, changedBy: 'op' });
    expect(record).toMatchObject({ action: 'PUT', reason: null, subscription: null, silence: null });
    expect(controlEntityOf(record)?.kind).toBe('agency');
    expect(controlEntityOf({ ...record, seed: { name: 'agencies', sha256: '' } })).toBeUndefined();
  });
});
