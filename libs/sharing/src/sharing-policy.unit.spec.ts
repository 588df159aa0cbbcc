import { VigieError, type Tlp } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseAgencyDirectory } from './agency-directory';
import { SAMPLE_DIRECTORY_JSON, SAMPLE_POLICY_JSON, sampleRegionalAlert } from './sample-data';
import { entitlement, parseAgreement, parseCommunity, parseSharingPolicy, sharingCeiling, type Entitlement } from './sharing-policy';

const directory = parseAgencyDirectory(SAMPLE_DIRECTORY_JSON);
const policy = parseSharingPolicy(SAMPLE_POLICY_JSON);
const agency = (id: string) => directory.agencies.find((a) => a.agencyId === id)!;

// The alert's evidence all comes from Mali's border police; Senegal's customs are named in releasableTo.
const RELATIONSHIPS = {
  'originating agency (ML)': 'ml-police-frontieres',
  'same country, another agency (ML)': 'ml-douanes',
  'same community, AES shares AMBER (BF)': 'bf-gendarmerie',
  'bilateral agreement up to AMBER (MR)': 'mr-surete',
  'bilateral agreement up to GREEN, other community, named (SN)': 'sn-douanes',
  'no community, no agreement (GH)': 'gh-immigration',
} as const;

// TLP 2.0 as the issue states it, written out by hand rather than derived from the code; columns in RELATIONSHIPS order.
const F = 'full', R = 'redacted';
const EXPECTED: Record<Tlp, Entitlement[]> = {
  CLEAR: [F, F, F, F, F, F],
  GREEN: [F, F, F, F, F, R],
  AMBER: [F, F, F, F, R, R],
  AMBER_STRICT: [F, R, R, R, F, R],
  RED: [F, R, R, R, R, R],
};

describe('entitlement: every TLP × relationship', () => {
  const rows = Object.entries(EXPECTED).flatMap(([tlp, expected]) =>
    Object.entries(RELATIONSHIPS).map(([relationship, id], i) => [tlp as Tlp, relationship, id, expected[i]!] as const),
  );
  it.each(rows)('%s alert from Mali to the %s → %s', (tlp, _relationship, id, expected) => {
    expect(entitlement(sampleRegionalAlert({ tlp }), agency(id), policy)).toBe(expected);
  });

  it('withholds even the fact of the alert for the markings the policy lists', () => {
    const strict = { ...policy, redaction: { ...policy.redaction, withholdFactFor: ['RED' as const] } };
    expect(entitlement(sampleRegionalAlert({ tlp: 'RED' }), agency('bf-gendarmerie'), strict)).toBe('none');
    expect(entitlement(sampleRegionalAlert({ tlp: 'RED' }), agency('ml-police-frontieres'), strict)).toBe('full');
    expect(entitlement(sampleRegionalAlert({ tlp: 'AMBER' }), agency('gh-immigration'), strict)).toBe('redacted');
  });
});

describe('entitlement with several sources: every source must allow it', () => {
  const fromMaliAndSenegal = (tlp: Tlp) => sampleRegionalAlert({ tlp, distinctSourceCountries: ['ML', 'SN'], sourceAgencies: ['ml-police-frontieres', 'sn-douanes'] });

  it('shares GREEN where both sources reach the recipient, and only there', () => {
    // BF: AES with Mali, nothing with Senegal. SN: agreement with Mali, itself. GH: ECOWAS with Senegal, nothing with Mali.
    expect(entitlement(fromMaliAndSenegal('GREEN'), agency('bf-gendarmerie'), policy)).toBe('redacted');
    expect(entitlement(fromMaliAndSenegal('GREEN'), agency('sn-douanes'), policy)).toBe('full');
    expect(entitlement(fromMaliAndSenegal('GREEN'), agency('gh-immigration'), policy)).toBe('redacted');
  });

  it('shares GREEN within a community when every source is a member', () => {
    const fromSenegal = sampleRegionalAlert({ tlp: 'GREEN', distinctSourceCountries: ['SN'], sourceAgencies: ['sn-douanes'] });
    expect(entitlement(fromSenegal, agency('gh-immigration'), policy)).toBe('full');
    expect(entitlement({ ...fromSenegal, tlp: 'AMBER' }, agency('gh-immigration'), policy)).toBe('redacted');
  });

  it('needs AMBER from every source for a named agency when several agencies contributed, and gives RED to nobody', () => {
    const strict = { ...fromMaliAndSenegal('AMBER_STRICT'), releasableTo: ['sn-douanes', 'mr-surete'] };
    expect(entitlement(strict, agency('sn-douanes'), policy)).toBe('redacted'); // Mali shares only GREEN with Senegal
    expect(entitlement({ ...strict, distinctSourceCountries: ['ML'] }, agency('mr-surete'), policy)).toBe('full');
    expect(entitlement(fromMaliAndSenegal('RED'), agency('ml-police-frontieres'), policy)).toBe('redacted');
  });

  it('entitles nobody to a GREEN or AMBER alert that names no source country (every source would hold vacuously)', () => {
    for (const tlp of ['GREEN', 'AMBER'] as const) {
      const nameless = sampleRegionalAlert({ tlp, distinctSourceCountries: [] });
      expect(Object.values(RELATIONSHIPS).map((id) => entitlement(nameless, agency(id), policy))).toEqual([R, R, R, R, R, R]);
    }
  });

  it('fails closed for an alert from a v1 producer, which names no originator and no recipient', () => {
    const v1 = sampleRegionalAlert({ tlp: 'AMBER_STRICT', sourceAgencies: undefined, releasableTo: undefined });
    expect(Object.values(RELATIONSHIPS).map((id) => entitlement(v1, agency(id), policy))).toEqual([R, R, R, R, R, R]);
  });
});

describe('sharingCeiling', () => {
  it('is AMBER within a country, the best link otherwise, CLEAR without one', () => {
    expect(sharingCeiling(policy, 'ML', 'ML')).toBe('AMBER');
    expect(sharingCeiling(policy, 'NE', 'BF')).toBe('AMBER');
    expect(sharingCeiling(policy, 'SN', 'ML')).toBe('GREEN');
    expect(sharingCeiling(policy, 'ML', 'SN')).toBe('GREEN');
    expect(sharingCeiling(policy, 'GH', 'NG')).toBe('GREEN');
    expect(sharingCeiling(policy, 'MR', 'SN')).toBe('CLEAR');
  });
});

describe('policy validation', () => {
  const problems = (parse: () => unknown): string[] => {
    try {
      parse();
    } catch (error) {
      return ((error as VigieError).details?.problems as string[]) ?? [];
    }
    throw new Error('expected a rejection');
  };

  it('accepts the sample policy', () => {
    expect(policy.communities.map((c) => c.communityId)).toEqual(['ECOWAS', 'AES']);
    expect(policy.agreements[0]).toEqual({ agreementId: 'ml-mr', name: 'Mali–Mauritania', countries: ['ML', 'MR'], maxTlp: 'AMBER' });
  });

  it('refuses what membership can never share, and agreements that are not bilateral', () => {
    expect(problems(() => parseCommunity({ communityId: 'AES', name: 'AES', countries: ['ML', 'BF'], maxTlp: 'RED' }))).toEqual([
      'maxTlp: must be one of GREEN, AMBER (got "RED")',
    ]);
    expect(problems(() => parseAgreement({ agreementId: 'ml-mr-sn', name: 'x', countries: ['ML', 'MR', 'SN'], maxTlp: 'AMBER' }))).toEqual([
      'countries: a bilateral agreement names exactly two countries',
    ]);
    expect(problems(() => parseCommunity({ communityId: 'ecowas', name: 'x', countries: ['SN'], maxTlp: 'GREEN' }))).toEqual([
      'countries: a community needs at least two countries',
      'communityId: must be upper-case letters, digits and dashes, e.g. ECOWAS (got "ecowas")',
    ]);
  });

  it('refuses to keep a field that identifies events or sources in redacted alerts', () => {
    const json = structuredClone(SAMPLE_POLICY_JSON);
    json.redaction.keep = ['score', 'contributingEventIds', 'colour'];
    expect(problems(() => parseSharingPolicy(json))).toEqual([
      'redaction.keep[1]: contributingEventIds can never be kept: it identifies events, source countries or agencies',
      expect.stringMatching(/^redaction\.keep\[2\]: must be one of previousLevel, rule, window, .* \(got "colour"\)$/),
    ]);
  });
});
