import type { RegionalAlert } from '@vigie/contracts';
import type { Agency, AgencyDirectory } from './agency-directory';

/** What an agency may receive of an alert: everything, the fact that its zone is on alert, or nothing. */
export type Entitlement = 'full' | 'redacted' | 'none';

/** A set of countries within which GREEN details flow in full (a bloc today; any grouping later). */
export interface Community {
  readonly id: string;
  readonly countries: ReadonlySet<string>;
}

/**
 * The sharing policy as data, so communities and bilateral agreements can be added (or loaded from
 * the control topic) without touching the rules below.
 */
export interface SharingPolicy {
  readonly communities: readonly Community[];
}

/** Blocs become communities; OTHER is the absence of a bloc, so it forms none. */
export function sharingPolicyFromDirectory(directory: AgencyDirectory): SharingPolicy {
  const members = new Map<string, Set<string>>();
  for (const agency of directory.agencies) {
    for (const bloc of agency.blocs) {
      if (bloc === 'OTHER') continue;
      const countries = members.get(bloc) ?? new Set<string>();
      countries.add(agency.country);
      members.set(bloc, countries);
    }
  }
  return { communities: [...members].map(([id, countries]) => ({ id, countries })) };
}

const sharesCommunity = (policy: SharingPolicy, country: string, others: readonly string[]): boolean =>
  policy.communities.some((c) => c.countries.has(country) && others.some((o) => c.countries.has(o)));

/**
 * TLP 2.0 applied to an alert whose contributors came from `distinctSourceCountries`:
 * CLEAR to any subscriber; GREEN to the source countries and their communities; AMBER to the
 * source countries only; AMBER_STRICT needs a named recipient, which alerts do not carry yet, and
 * RED never leaves automatically — both reach others only as the bare fact of the alert.
 */
export function entitlement(alert: RegionalAlert, agency: Agency, policy: SharingPolicy): Entitlement {
  const sources = alert.distinctSourceCountries;
  const sameCountry = sources.includes(agency.country);
  switch (alert.tlp) {
    case 'CLEAR':
      return 'full';
    case 'GREEN':
      return sameCountry || sharesCommunity(policy, agency.country, sources) ? 'full' : 'redacted';
    case 'AMBER':
      return sameCountry ? 'full' : 'redacted';
    case 'AMBER_STRICT':
    case 'RED':
      return 'redacted';
    default:
      return unreachable(alert.tlp);
  }
}

/** A TLP added to the schema but not to the policy fails closed, at compile time if possible. */
function unreachable(tlp: never): Entitlement {
  void tlp;
  return 'none';
}
