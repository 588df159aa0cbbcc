import type { Tlp } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { parseAgencyDirectory } from './agency-directory';
import { SAMPLE_DIRECTORY_JSON, sampleRegionalAlert } from './sample-data';
import { entitlement, sharingPolicyFromDirectory, type Entitlement } from './sharing-policy';

const directory = parseAgencyDirectory(SAMPLE_DIRECTORY_JSON);
const policy = sharingPolicyFromDirectory(directory);
const agency = (id: string) => directory.agencies.find((a) => a.agencyId === id)!;

// The alert is reported from Mali (AES). Recipients: Mali itself, Burkina Faso (AES),
// Senegal (ECOWAS), Mauritania (in no bloc).
const SAME_COUNTRY = 'ml-police-frontieres';
const SAME_BLOC = 'bf-gendarmerie';
const OTHER_BLOC = 'sn-douanes';
const NO_BLOC = 'mr-surete';

// TLP 2.0 as the design states it, written out by hand rather than derived from the code.
const EXPECTED: Record<Tlp, [Entitlement, Entitlement, Entitlement, Entitlement]> = {
  CLEAR: ['full', 'full', 'full', 'full'],
  GREEN: ['full', 'full', 'redacted', 'redacted'],
  AMBER: ['full', 'redacted', 'redacted', 'redacted'],
  AMBER_STRICT: ['redacted', 'redacted', 'redacted', 'redacted'],
  RED: ['redacted', 'redacted', 'redacted', 'redacted'],
};

describe('entitlement', () => {
  const rows = Object.entries(EXPECTED).flatMap(([tlp, expected]) =>
    [SAME_COUNTRY, SAME_BLOC, OTHER_BLOC, NO_BLOC].map((recipient, i) => [tlp as Tlp, recipient, expected[i]!] as const),
  );
  it.each(rows)('%s alert from ML to %s → %s', (tlp, recipient, expected) => {
    expect(entitlement(sampleRegionalAlert({ tlp }), agency(recipient), policy)).toBe(expected);
  });

  it('shares GREEN across a bloc when any source country is in it', () => {
    const fromMlAndSn = sampleRegionalAlert({ tlp: 'GREEN', distinctSourceCountries: ['ML', 'SN'] });
    expect(entitlement(fromMlAndSn, agency(OTHER_BLOC), policy)).toBe('full');
    expect(entitlement(fromMlAndSn, agency(SAME_BLOC), policy)).toBe('full');
    expect(entitlement(fromMlAndSn, agency(NO_BLOC), policy)).toBe('redacted');
  });

  it('does not treat "no bloc" as a community', () => {
    const dz = { agencyId: 'dz-dgsn', name: 'DGSN', country: 'DZ', languages: ['ar'], blocs: ['OTHER' as const] };
    const fromMauritania = sampleRegionalAlert({ tlp: 'GREEN', distinctSourceCountries: ['MR'] });
    expect(entitlement(fromMauritania, dz, policy)).toBe('redacted');
    expect(entitlement(fromMauritania, agency(NO_BLOC), policy)).toBe('full');
  });

  it('builds communities from the blocs of the directory', () => {
    const byId = Object.fromEntries(policy.communities.map((c) => [c.id, [...c.countries].sort()]));
    expect(byId).toEqual({ AES: ['BF', 'ML'], ECOWAS: ['SN'] });
  });
});
