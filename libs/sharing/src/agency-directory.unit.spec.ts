import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseAgency } from './agency';
import { parseAgencyDirectory } from './agency-directory';
import { SAMPLE_DIRECTORY_JSON } from './sample-data';
import { parseSubscription } from './subscription';

/** A deep copy of the sample to break one field at a time. */
const sample = (): { agencies: Record<string, unknown>[]; subscriptions: Record<string, unknown>[] } =>
  structuredClone(SAMPLE_DIRECTORY_JSON) as never;

function rejectionOf(parse: () => unknown, code: string): VigieError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe(code);
    expect((error as VigieError).retriable).toBe(false);
    return error as VigieError;
  }
  throw new Error('expected a rejection');
}

const problemsOf = (json: unknown): string[] => rejectionOf(() => parseAgencyDirectory(json), 'AGENCIES_INVALID').details?.problems as string[];

describe('parseAgencyDirectory', () => {
  it('accepts a valid directory and keeps every field', () => {
    const directory = parseAgencyDirectory(sample());
    expect(directory.agencies.map((a) => a.agencyId)).toEqual(['ml-police-frontieres', 'ml-douanes', 'bf-gendarmerie', 'sn-douanes', 'mr-surete', 'gh-immigration']);
    expect(directory.agencies[4]).toEqual({ agencyId: 'mr-surete', name: 'Direction générale de la sûreté nationale (Mauritanie)', country: 'MR', languages: ['ar', 'fr'] });
    expect(directory.subscriptions[3]).toEqual({ subscriptionId: 'sn-faleme', agencyId: 'sn-douanes', countries: [], zones: ['SECTION:ML-SN-003'], categories: [], minLevel: 'LOW' });
  });

  it('accepts $comment fields and omitted (empty) filters', () => {
    const json = sample() as Record<string, unknown> & ReturnType<typeof sample>;
    json.$comment = 'documentation';
    json.subscriptions[0]!.$comment = 'documentation';
    delete json.subscriptions[0]!.zones;
    expect(parseAgencyDirectory(json).subscriptions[0]!.zones).toEqual([]);
  });

  it('names the path and the allowed values of an invalid level', () => {
    const json = sample();
    json.subscriptions[3]!.minLevel = 'SEVERE';
    expect(rejectionOf(() => parseAgencyDirectory(json), 'AGENCIES_INVALID').message).toBe('subscriptions[3].minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL (got "SEVERE")');
  });

  const cases: [string, (json: ReturnType<typeof sample>) => void, string][] = [
    ['agency id with capitals', (j) => void (j.agencies[0]!.agencyId = 'ML-Police'), 'agencies[0].agencyId: must be lower-case letters'],
    ['duplicate agency id', (j) => void (j.agencies[1]!.agencyId = 'ml-police-frontieres'), 'agencies[1].agencyId: duplicate id "ml-police-frontieres"'],
    ['lower-case country', (j) => void (j.agencies[0]!.country = 'ml'), 'agencies[0].country: must be an upper-case ISO 3166-1 alpha-2 code'],
    ['unknown country code', (j) => void (j.agencies[0]!.country = 'XX'), 'agencies[0].country: "XX" is not an ISO 3166-1 alpha-2 code'],
    ['blocs on an agency (they are communities of the policy now)', (j) => void (j.agencies[2]!.blocs = ['AES']), 'agencies[2].blocs: unknown field'],
    ['bad language', (j) => void (j.agencies[0]!.languages = ['French']), 'agencies[0].languages[0]: must be an ISO 639-1 code'],
    ['no language', (j) => void (j.agencies[0]!.languages = []), 'agencies[0].languages: must name at least one language'],
    ['misspelt field', (j) => void (j.subscriptions[0]!.minlevel = 'LOW'), 'subscriptions[0].minlevel: unknown field'],
    ['subscription of an unknown agency', (j) => void (j.subscriptions[1]!.agencyId = 'gh-police'), 'subscriptions[1].agencyId: no agency "gh-police"'],
    ['duplicate subscription id', (j) => void (j.subscriptions[4]!.subscriptionId = 'ml-all'), 'subscriptions[4].subscriptionId: duplicate id "ml-all"'],
    ['zone key without kind', (j) => void (j.subscriptions[3]!.zones = ['ML-SN-003']), 'subscriptions[3].zones[0]: must be a zone key "<kind>:<id>"'],
    ['zone key of unknown kind', (j) => void (j.subscriptions[3]!.zones = ['REGION:kayes']), 'subscriptions[3].zones[0]: must be a zone key'],
    ['category not in the taxonomy', (j) => void (j.subscriptions[4]!.categories = ['SMUGLING']), 'subscriptions[4].categories[0]: "SMUGLING" is not a category of the taxonomy'],
    ['filter that is not an array', (j) => void (j.subscriptions[0]!.countries = 'ML'), 'subscriptions[0].countries: must be an array (empty = any)'],
    ['duplicate filter value', (j) => void (j.subscriptions[0]!.countries = ['ML', 'ML']), 'subscriptions[0].countries[1]: duplicate "ML"'],
    ['missing level', (j) => void delete j.subscriptions[0]!.minLevel, 'subscriptions[0].minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL'],
  ];
  it.each(cases)('rejects %s', (_, breakIt, expected) => {
    const json = sample();
    breakIt(json);
    expect(problemsOf(json).some((p) => p.startsWith(expected)), JSON.stringify(problemsOf(json))).toBe(true);
  });

  it('reports every problem at once', () => {
    const json = sample();
    json.agencies[0]!.country = 'ml';
    json.subscriptions[4]!.minLevel = 'SEVERE';
    expect(problemsOf(json)).toHaveLength(2);
  });

  it('rejects a file that is not a directory', () => {
    expect(problemsOf([])).toEqual(['(root): must be an object']);
    expect(problemsOf({ agencies: {} })).toEqual(['agencies: must be an array', 'subscriptions: must be an array']);
  });

  it('checks zones against the geography reference when given one', () => {
    const known = new Set(['SECTION:ML-SN-003']);
    expect(() => parseAgencyDirectory(sample(), { zoneExists: (k) => known.has(k) })).not.toThrow();
    const json = sample();
    json.subscriptions[3]!.zones = ['HOTSPOT:HS-FALEMEE'];
    expect(rejectionOf(() => parseAgencyDirectory(json, { zoneExists: (k) => known.has(k) }), 'AGENCIES_INVALID').message).toBe(
      'subscriptions[3].zones[0]: no zone "HOTSPOT:HS-FALEMEE" in the geography reference',
    );
  });
});

describe('parseAgency and parseSubscription (one entity, as the HTTP API receives it)', () => {
  const context = { agencyExists: (id: string) => id === 'sn-douanes' };

  it('accepts a valid body', () => {
    expect(parseSubscription({ subscriptionId: 'sn-x', agencyId: 'sn-douanes', minLevel: 'HIGH' }, context)).toEqual({
      subscriptionId: 'sn-x', agencyId: 'sn-douanes', countries: [], zones: [], categories: [], minLevel: 'HIGH',
    });
  });

  it('says what is wrong, field by field, without a path prefix', () => {
    const error = rejectionOf(() => parseSubscription({ subscriptionId: 'sn x', agencyId: 'gh-x', countries: ['SEN'], minLevel: 'high' }, context), 'SUBSCRIPTION_INVALID');
    expect(error.details?.problems).toEqual([
      'agencyId: no agency "gh-x": create the agency first',
      'subscriptionId: must be lower-case letters, digits, dots, dashes or underscores (got "sn x")',
      'countries[0]: must be an upper-case ISO 3166-1 alpha-2 code (got "SEN")',
      'minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL (got "high")',
    ]);
    expect(rejectionOf(() => parseAgency({ agencyId: 'x' }), 'AGENCY_INVALID').message).toContain('name: must be a non-empty name');
  });
});
