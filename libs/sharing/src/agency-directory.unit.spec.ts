import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseAgencyDirectory } from './agency-directory';
import { SAMPLE_DIRECTORY_JSON } from './sample-data';

/** A deep copy of the sample to break one field at a time. */
const sample = (): { agencies: Record<string, unknown>[]; subscriptions: Record<string, unknown>[] } =>
  structuredClone(SAMPLE_DIRECTORY_JSON) as never;

function rejectionOf(json: unknown): VigieError {
  try {
    parseAgencyDirectory(json);
  } catch (error) {
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe('AGENCIES_INVALID');
    expect((error as VigieError).retriable).toBe(false);
    return error as VigieError;
  }
  throw new Error('expected the directory to be rejected');
}

const problemsOf = (json: unknown): string[] => rejectionOf(json).details?.problems as string[];

describe('parseAgencyDirectory', () => {
  it('accepts a valid directory and keeps every field', () => {
    const directory = parseAgencyDirectory(sample());
    expect(directory.agencies.map((a) => a.agencyId)).toEqual(['ml-police-frontieres', 'bf-gendarmerie', 'sn-douanes', 'mr-surete']);
    expect(directory.agencies[3]).toEqual({
      agencyId: 'mr-surete',
      name: 'Direction générale de la sûreté nationale (Mauritanie)',
      country: 'MR',
      languages: ['ar', 'fr'],
      blocs: ['OTHER'],
    });
    expect(directory.subscriptions[2]).toEqual({
      subscriptionId: 'sn-faleme',
      agencyId: 'sn-douanes',
      countries: [],
      zones: ['SECTION:ML-SN-003'],
      categories: [],
      minLevel: 'LOW',
    });
  });

  it('accepts "in no bloc" written as OTHER or as an empty list, and $comment fields', () => {
    const json = sample() as Record<string, unknown> & ReturnType<typeof sample>;
    json.agencies[3]!.blocs = [];
    json.$comment = 'documentation';
    json.subscriptions[0]!.$comment = 'documentation';
    expect(parseAgencyDirectory(json).agencies[3]!.blocs).toEqual([]);
  });

  it('names the path and the allowed values of an invalid level', () => {
    const json = sample();
    json.subscriptions[2]!.minLevel = 'SEVERE';
    expect(rejectionOf(json).message).toBe('subscriptions[2].minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL');
  });

  const cases: [string, (json: ReturnType<typeof sample>) => void, string][] = [
    ['agency id with capitals', (j) => void (j.agencies[0]!.agencyId = 'ML-Police'), 'agencies[0].agencyId: must be lower-case letters'],
    ['duplicate agency id', (j) => void (j.agencies[1]!.agencyId = 'ml-police-frontieres'), 'agencies[1].agencyId: duplicate id "ml-police-frontieres"'],
    ['lower-case country', (j) => void (j.agencies[0]!.country = 'ml'), 'agencies[0].country: must be an upper-case ISO 3166-1 alpha-2 code'],
    ['unknown country code', (j) => void (j.agencies[0]!.country = 'XX'), 'agencies[0].country: "XX" is not an ISO 3166-1 alpha-2 code'],
    ['unknown bloc', (j) => void (j.agencies[2]!.blocs = ['UEMOA']), 'agencies[2].blocs[0]: must be one of ECOWAS, AES, OTHER'],
    ['OTHER with a bloc', (j) => void (j.agencies[3]!.blocs = ['OTHER', 'ECOWAS']), 'agencies[3].blocs: OTHER means "in no bloc"'],
    [
      'two agencies of one country in different blocs',
      (j) => void j.agencies.push({ agencyId: 'ml-douanes', name: 'Douanes du Mali', country: 'ML', languages: ['fr'], blocs: ['ECOWAS'] }),
      'agencies[4].blocs: agencies of ML must list the same blocs (another lists AES)',
    ],
    [
      'an agency of a bloc where another of its country is in none',
      (j) => void j.agencies.push({ agencyId: 'mr-douanes', name: 'Douanes mauritaniennes', country: 'MR', languages: ['ar'], blocs: ['ECOWAS'] }),
      'agencies[4].blocs: agencies of MR must list the same blocs (another lists no bloc)',
    ],
    ['bad language', (j) => void (j.agencies[0]!.languages = ['French']), 'agencies[0].languages[0]: must be an ISO 639-1 code'],
    ['misspelt field', (j) => void (j.subscriptions[0]!.minlevel = 'LOW'), 'subscriptions[0].minlevel: unknown field'],
    ['subscription of an unknown agency', (j) => void (j.subscriptions[1]!.agencyId = 'gh-immigration'), 'subscriptions[1].agencyId: no agency "gh-immigration" in agencies'],
    ['duplicate subscription id', (j) => void (j.subscriptions[4]!.subscriptionId = 'ml-all'), 'subscriptions[4].subscriptionId: duplicate id "ml-all"'],
    ['zone key without kind', (j) => void (j.subscriptions[2]!.zones = ['ML-SN-003']), 'subscriptions[2].zones[0]: must be a zone key "<kind>:<id>"'],
    ['zone key of unknown kind', (j) => void (j.subscriptions[2]!.zones = ['REGION:kayes']), 'subscriptions[2].zones[0]: must be a zone key'],
    ['category not in the taxonomy', (j) => void (j.subscriptions[3]!.categories = ['SMUGLING']), 'subscriptions[3].categories[0]: "SMUGLING" is not a category of the taxonomy'],
    ['filter that is not an array', (j) => void (j.subscriptions[0]!.countries = 'ML'), 'subscriptions[0].countries: must be an array (empty = any)'],
    ['duplicate filter value', (j) => void (j.subscriptions[0]!.countries = ['ML', 'ML']), 'subscriptions[0].countries[1]: duplicate "ML"'],
    ['missing level', (j) => void delete j.subscriptions[0]!.minLevel, 'subscriptions[0].minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL'],
  ];
  it.each(cases)('rejects %s', (_, breakIt, expected) => {
    const json = sample();
    breakIt(json);
    expect(problemsOf(json).some((p) => p.startsWith(expected))).toBe(true);
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
});
