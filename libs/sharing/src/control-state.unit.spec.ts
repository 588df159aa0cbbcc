import { controlKeyOf, controlRecord, type ControlEntities, type ControlKind } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { ControlState } from './control-state';
import { DEFAULT_REDACTION } from './redaction';

const put = <K extends ControlKind>(state: ControlState, kind: K, entity: ControlEntities[K], changedBy = 'op'): string | undefined =>
  state.apply(controlKeyOf(kind, entity), controlRecord(kind, entity, { changedAt: 1, changedBy }));

const ml = { agencyId: 'ml-police', name: 'ML', country: 'ML', languages: ['fr'] };
const sub = { subscriptionId: 'ml-all', agencyId: 'ml-police', countries: ['ML'], zones: [], categories: [], minLevel: 'LOW' as const };

describe('ControlState', () => {
  it('materialises the latest record per key, a tombstone deleting it', () => {
    const state = new ControlState();
    put(state, 'agency', ml);
    put(state, 'agency', { ...ml, name: 'Mali border police' }, 'amadou');
    expect(state.directory().agencies).toEqual([{ ...ml, name: 'Mali border police' }]);
    expect(state.entry('agency', 'ml-police')).toMatchObject({ changedBy: 'amadou' });
    state.apply('agency:ml-police', null);
    expect(state.directory().agencies).toEqual([]);
  });

  it('leaves out subscriptions whose agency is gone, and brings them back with it', () => {
    const state = new ControlState();
    put(state, 'subscription', sub);
    expect(state.directory().subscriptions).toEqual([]);
    put(state, 'agency', ml);
    expect(state.directory().subscriptions).toEqual([sub]);
  });

  it('builds the policy, with the default redaction until one is set', () => {
    const state = new ControlState();
    expect(state.policy()).toEqual({ communities: [], agreements: [], redaction: DEFAULT_REDACTION });
    put(state, 'community', { communityId: 'AES', name: 'AES', countries: ['BF', 'ML', 'NE'], maxTlp: 'AMBER' });
    put(state, 'redactionPolicy', { keep: [], withholdFactFor: ['RED'] });
    expect(state.policy().communities.map((c) => c.communityId)).toEqual(['AES']);
    expect(state.policy().redaction).toEqual({ keep: [], withholdFactFor: ['RED'] });
  });

  it('keeps silences, acknowledgements and seed markers', () => {
    const state = new ControlState();
    put(state, 'silence', { silenceId: 's1', zone: 'HOTSPOT:HS-FALEME', ruleId: null, startsAt: 0, endsAt: 10, comment: '' });
    put(state, 'acknowledgement', { alertId: 'SECTION:ML-SN-003:r', version: 4, comment: '' });
    put(state, 'seed', { name: 'agencies', sha256: 'x' });
    expect(state.silences().map((s) => s.silenceId)).toEqual(['s1']);
    expect(state.acknowledgement('SECTION:ML-SN-003:r')?.version).toBe(4);
    expect(state.seeded('agencies')?.sha256).toBe('x');
  });

  it('reports records it cannot apply and keeps what it had', () => {
    const state = new ControlState();
    put(state, 'agency', ml);
    expect(state.apply('colour:blue', null)).toBe('key "colour:blue" names no known kind');
    const wrong = controlRecord('subscription', sub, { changedAt: 1, changedBy: 'op' });
    expect(state.apply('agency:ml-police', wrong)).toBe('record under "agency:ml-police" does not carry one agency');
    expect(state.directory().agencies).toEqual([ml]);
  });
});
