import { describe, expect, it } from 'vitest';
import type { RegionalAlert } from '@vigie/contracts';
import type { Subscription } from './subscription';
import { SAMPLE_DIRECTORY_JSON, sampleRegionalAlert } from './sample-data';
import { matchSubscriptions, mostSpecificPerAgency, subscriptionMatches, zoneKey } from './subscription-matching';

const subscription = (filters: Partial<Subscription>): Subscription => ({
  subscriptionId: 's',
  agencyId: 'sn-douanes',
  countries: [],
  zones: [],
  categories: [],
  minLevel: 'LOW',
  ...filters,
});

// The sample alert: SECTION ML-SN-003 (ML, SN), HIGH (previously MEDIUM), SMUGGLING + ARMED_GROUP_MOVEMENT.
const alert = sampleRegionalAlert();

describe('subscriptionMatches', () => {
  it('matches anything with empty filters', () => {
    expect(subscriptionMatches(alert, subscription({}))).toBe(true);
  });

  it.each([
    [['SN'], true],
    [['NE', 'ML'], true],
    [['NE', 'BF'], false],
  ])('countries %j against a zone on ML and SN → %s', (countries, expected) => {
    expect(subscriptionMatches(alert, subscription({ countries }))).toBe(expected);
  });

  it.each([
    [['SECTION:ML-SN-003'], true],
    [['HOTSPOT:ML-SN-003'], false],
    [['SECTION:ML-SN-004', 'ROUTE:bamako-dakar'], false],
  ])('zones %j → %s', (zones, expected) => {
    expect(subscriptionMatches(alert, subscription({ zones }))).toBe(expected);
  });

  it('names zones by kind and id', () => {
    expect(zoneKey({ kind: 'HOTSPOT', id: 'HS-LIPTAKO-GOURMA' })).toBe('HOTSPOT:HS-LIPTAKO-GOURMA');
  });

  it.each([
    [['SMUGGLING'], true],
    [['KIDNAPPING', 'ARMED_GROUP_MOVEMENT'], true],
    [['KIDNAPPING'], false],
  ])('categories %j → %s', (categories, expected) => {
    expect(subscriptionMatches(alert, subscription({ categories }))).toBe(expected);
  });

  it('ignores categories counted zero times', () => {
    const quiet = sampleRegionalAlert({ countsByCategory: { SMUGGLING: 0, BATTLES: 1 } });
    expect(subscriptionMatches(quiet, subscription({ categories: ['SMUGGLING'] }))).toBe(false);
  });

  it('requires every filter to match', () => {
    expect(subscriptionMatches(alert, subscription({ countries: ['SN'], categories: ['KIDNAPPING'] }))).toBe(false);
  });

  it.each([
    ['LOW', 'HIGH', null, true],
    ['HIGH', 'HIGH', null, true],
    ['CRITICAL', 'HIGH', null, false],
    // A fall from HIGH to MEDIUM still reaches HIGH subscribers, who received the HIGH version.
    ['HIGH', 'MEDIUM', 'HIGH', true],
    ['CRITICAL', 'MEDIUM', 'HIGH', false],
  ] as const)('minLevel %s, alert %s (previously %s) → %s', (minLevel, level, previousLevel, expected) => {
    const a = sampleRegionalAlert({ level, previousLevel, status: previousLevel ? 'UPDATED' : 'FIRING' });
    expect(subscriptionMatches(a, subscription({ minLevel }))).toBe(expected);
  });

  it.each(['RESOLVED', 'RETRACTED'] as const)('sends a %s alert to subscribers above its level, but not outside their filters', (status) => {
    const closing = sampleRegionalAlert({ status, level: 'LOW', previousLevel: 'LOW' });
    expect(subscriptionMatches(closing, subscription({ minLevel: 'CRITICAL' }))).toBe(true);
    expect(subscriptionMatches(closing, subscription({ minLevel: 'CRITICAL', countries: ['NE'] }))).toBe(false);
  });

  it('sends a closing alert whose counts were cleared to category subscribers, but not a firing one', () => {
    const resolved = sampleRegionalAlert({ status: 'RESOLVED', countsByCategory: {} });
    const firing = sampleRegionalAlert({ status: 'FIRING', countsByCategory: {} });
    expect(subscriptionMatches(resolved, subscription({ categories: ['SMUGGLING'] }))).toBe(true);
    expect(subscriptionMatches(firing, subscription({ categories: ['SMUGGLING'] }))).toBe(false);
  });

  it('sends a closing alert to category subscribers whatever is left in its window (an alert on kidnappings ending with smuggling left)', () => {
    const ended = sampleRegionalAlert({ status: 'RESOLVED', countsByCategory: { SMUGGLING: 1 } });
    expect(subscriptionMatches(ended, subscription({ categories: ['KIDNAPPING'] }))).toBe(true);
    expect(subscriptionMatches({ ...ended, status: 'UPDATED' }, subscription({ categories: ['KIDNAPPING'] }))).toBe(false);
  });
});

describe('matchSubscriptions', () => {
  it('selects the sample subscriptions an alert on the Falémé matches, in directory order', () => {
    const subscriptions = SAMPLE_DIRECTORY_JSON.subscriptions as Subscription[];
    // ml-all (ML), ml-douanes-smuggling (SMUGGLING), bf-region (any, MEDIUM ≤ HIGH), sn-faleme (zone), sn-smuggling (SN + SMUGGLING), mr-high (HIGH), gh-all (any).
    expect(matchSubscriptions(alert, subscriptions).map((m) => m.subscription.subscriptionId)).toEqual(['ml-all', 'ml-douanes-smuggling', 'bf-region', 'sn-faleme', 'sn-smuggling', 'mr-high', 'gh-all']);
    const mediumKidnapping = sampleRegionalAlert({ level: 'MEDIUM', previousLevel: 'LOW', countsByCategory: { KIDNAPPING: 2 } });
    expect(matchSubscriptions(mediumKidnapping, subscriptions).map((m) => m.subscription.subscriptionId)).toEqual(['ml-all', 'bf-region', 'sn-faleme', 'gh-all']);
  });
});

describe('mostSpecificPerAgency', () => {
  const news = (s: Partial<Subscription>) => ({ subscription: subscription(s), kind: 'news' as const });
  const followUp = (s: Partial<Subscription>) => ({ subscription: subscription(s), kind: 'follow-up' as const });

  it('keeps one subscription per agency, the most specific one', () => {
    const chosen = mostSpecificPerAgency([
      news({ subscriptionId: 'any', agencyId: 'a' }),
      news({ subscriptionId: 'by-category', agencyId: 'a', categories: ['SMUGGLING'] }),
      news({ subscriptionId: 'b-first', agencyId: 'b', countries: ['SN'] }),
      news({ subscriptionId: 'by-zone', agencyId: 'a', zones: ['SECTION:ML-SN-003'] }),
      news({ subscriptionId: 'by-country', agencyId: 'a', countries: ['SN'] }),
      news({ subscriptionId: 'b-second', agencyId: 'b', countries: ['ML'] }),
    ]);
    expect(chosen.map((m) => m.subscription.subscriptionId)).toEqual(['by-zone', 'b-first']);
  });

  it('makes a version news to an agency when any of its subscriptions does, however specific the others', () => {
    const chosen = mostSpecificPerAgency([
      followUp({ subscriptionId: 'zone-high', agencyId: 'a', zones: ['SECTION:ML-SN-003'], minLevel: 'HIGH' }),
      news({ subscriptionId: 'country-low', agencyId: 'a', countries: ['SN'] }),
      followUp({ subscriptionId: 'b-only', agencyId: 'b' }),
    ]);
    expect(chosen).toEqual([
      { subscription: expect.objectContaining({ subscriptionId: 'country-low' }), kind: 'news' },
      { subscription: expect.objectContaining({ subscriptionId: 'b-only' }), kind: 'follow-up' },
    ]);
  });
});

describe('matchSubscriptions: how each matches', () => {
  const matchKind = (a: RegionalAlert, s: Subscription) => matchSubscriptions(a, [s])[0]?.kind ?? null;

  it('is news on the version\'s own merits, a follow-up for an end or a fall from the subscription\'s level, null outside its scope', () => {
    expect(matchKind(alert, subscription({ minLevel: 'HIGH' }))).toBe('news');
    // Fell from HIGH to MEDIUM: owed to agencies told of it at HIGH.
    expect(matchKind(sampleRegionalAlert({ level: 'MEDIUM', previousLevel: 'HIGH', status: 'UPDATED' }), subscription({ minLevel: 'HIGH' }))).toBe('follow-up');
    // An end is news to nobody, whatever its level and counts.
    for (const status of ['RESOLVED', 'RETRACTED'] as const) {
      expect(matchKind(sampleRegionalAlert({ status }), subscription({}))).toBe('follow-up');
      expect(matchKind(sampleRegionalAlert({ status, countsByCategory: {} }), subscription({ categories: ['KIDNAPPING'], minLevel: 'CRITICAL' }))).toBe('follow-up');
      expect(matchKind(sampleRegionalAlert({ status }), subscription({ countries: ['NE'] }))).toBeNull();
    }
    expect(matchKind(alert, subscription({ categories: ['KIDNAPPING'] }))).toBeNull();
  });
});
