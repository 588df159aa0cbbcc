import { TLP_LEVELS, type Agreement, type Community, type RedactionPolicy, type RegionalAlert, type Tlp } from '@vigie/contracts';
import type { Agency } from './agency';
import { Problems, arrayAt, join, reportDuplicates } from './problems';
import { DEFAULT_REDACTION, checkRedactionPolicy } from './redaction';

export type { Agreement, Community };

/** What an agency may receive of an alert: everything, the fact that its zone is on alert, or nothing. */
export type Entitlement = 'full' | 'redacted' | 'none';

/**
 * The sharing policy as data (control.subscriptions, seeded from deploy/config/sharing-policy.json):
 * communities (blocs such as ECOWAS or the Alliance of Sahel States) and bilateral agreements, each
 * saying up to which TLP marking details flow in full between its countries, and what a redacted
 * alert keeps.
 */
export interface SharingPolicy {
  readonly communities: readonly Community[];
  readonly agreements: readonly Agreement[];
  readonly redaction: RedactionPolicy;
}

/** A community or an agreement shares GREEN or AMBER; AMBER_STRICT and RED are never shared by membership. */
export const SHAREABLE_TLPS = ['GREEN', 'AMBER'] as const satisfies readonly Tlp[];
const COMMUNITY_ID_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const AGREEMENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const EMPTY_POLICY: SharingPolicy = { communities: [], agreements: [], redaction: DEFAULT_REDACTION };

const rank = (tlp: Tlp): number => TLP_LEVELS.indexOf(tlp);

export function checkCommunity(p: Problems, value: unknown, path = ''): Community | undefined {
  const c = p.record(value, path, ['communityId', 'name', 'countries', 'maxTlp']);
  if (!c) return undefined;
  const countries = p.strings(c.countries, join(path, 'countries'), (v, vPath) => p.country(v, vPath));
  if (Array.isArray(c.countries) && countries.length < 2) p.add(join(path, 'countries'), 'a community needs at least two countries');
  return {
    communityId: p.string(c.communityId, join(path, 'communityId'), COMMUNITY_ID_PATTERN, 'upper-case letters, digits and dashes, e.g. ECOWAS'),
    name: p.string(c.name, join(path, 'name'), null, 'a non-empty name'),
    countries,
    maxTlp: p.oneOf(c.maxTlp, join(path, 'maxTlp'), SHAREABLE_TLPS),
  };
}

export function checkAgreement(p: Problems, value: unknown, path = ''): Agreement | undefined {
  const a = p.record(value, path, ['agreementId', 'name', 'countries', 'maxTlp']);
  if (!a) return undefined;
  const countries = p.strings(a.countries, join(path, 'countries'), (v, vPath) => p.country(v, vPath));
  if (Array.isArray(a.countries) && countries.length !== 2) p.add(join(path, 'countries'), 'a bilateral agreement names exactly two countries');
  return {
    agreementId: p.string(a.agreementId, join(path, 'agreementId'), AGREEMENT_ID_PATTERN, 'lower-case letters, digits and dashes, e.g. ml-mr'),
    name: p.string(a.name, join(path, 'name'), null, 'a non-empty name'),
    countries,
    maxTlp: p.oneOf(a.maxTlp, join(path, 'maxTlp'), SHAREABLE_TLPS),
  };
}

export const parseCommunity = (value: unknown): Community => {
  const p = new Problems();
  return p.result('COMMUNITY_INVALID', checkCommunity(p, value) as Community);
};

export const parseAgreement = (value: unknown): Agreement => {
  const p = new Problems();
  return p.result('AGREEMENT_INVALID', checkAgreement(p, value) as Agreement);
};

/** Validates a policy file `{communities, agreements, redaction}`; throws `SHARING_POLICY_INVALID`. */
export function parseSharingPolicy(json: unknown): SharingPolicy {
  const p = new Problems();
  const root = p.record(json, '', ['communities', 'agreements', 'redaction']);
  const communities = arrayAt(p, root, 'communities').map((c, i) => checkCommunity(p, c, `communities[${i}]`));
  reportDuplicates(p, communities.map((c) => c?.communityId ?? ''), (i) => `communities[${i}].communityId`);
  const agreements = arrayAt(p, root, 'agreements').map((a, i) => checkAgreement(p, a, `agreements[${i}]`));
  reportDuplicates(p, agreements.map((a) => a?.agreementId ?? ''), (i) => `agreements[${i}].agreementId`);
  const redaction = root?.redaction === undefined ? DEFAULT_REDACTION : checkRedactionPolicy(p, root.redaction, 'redaction');
  return p.result('SHARING_POLICY_INVALID', { communities: communities as Community[], agreements: agreements as Agreement[], redaction: redaction as RedactionPolicy });
}

/**
 * The most restricted marking whose details flow in full from an agency of `source` to one of
 * `recipient`: AMBER within a country (its national agencies cooperate), else the highest maxTlp of
 * the communities and agreements joining both countries, else CLEAR only.
 */
export function sharingCeiling(policy: SharingPolicy, recipient: string, source: string): Tlp {
  if (recipient === source) return 'AMBER';
  let best: Tlp = 'CLEAR';
  for (const link of [...policy.communities, ...policy.agreements]) {
    if (link.countries.includes(recipient) && link.countries.includes(source) && rank(link.maxTlp) > rank(best)) best = link.maxTlp;
  }
  return best;
}

/**
 * TLP 2.0 applied to an alert as a whole (it carries the most restrictive marking of its
 * contributors and does not say which contributor carried which, so every source must allow it):
 * CLEAR to every subscriber; GREEN and AMBER when the policy carries that marking from every source
 * country to the recipient's; AMBER_STRICT only to agencies named in `releasableTo` (and, when
 * several agencies contributed, only where AMBER flows from every source too); RED never leaves
 * automatically. An alert whose evidence all comes from one agency goes back to it in full.
 */
export function entitledToDetails(alert: RegionalAlert, agency: Agency, policy: SharingPolicy): boolean {
  const originators = alert.sourceAgencies ?? [];
  const soleOriginator = originators.length === 1 && originators[0] === agency.agencyId;
  switch (alert.tlp) {
    case 'CLEAR':
      return true;
    case 'GREEN':
    case 'AMBER':
      return reachesFromEverySource(alert, agency, policy, alert.tlp);
    case 'AMBER_STRICT':
      return soleOriginator || ((alert.releasableTo ?? []).includes(agency.agencyId) && (originators.length === 1 || reachesFromEverySource(alert, agency, policy, 'AMBER')));
    case 'RED':
      return soleOriginator;
    default:
      return unreachable(alert.tlp);
  }
}

/**
 * Whether the policy carries `tlp` to the agency's country from every country the alert's evidence
 * came from. An alert marked above CLEAR that names no source country entitles nobody: "every
 * source" would hold vacuously (the correlator names them, ends included).
 */
function reachesFromEverySource(alert: RegionalAlert, agency: Agency, policy: SharingPolicy, tlp: Tlp): boolean {
  if (alert.distinctSourceCountries.length === 0) return false;
  const needed = rank(tlp);
  for (const source of alert.distinctSourceCountries) if (rank(sharingCeiling(policy, agency.country, source)) < needed) return false;
  return true;
}

/** Full details, or — when not entitled — the redacted fact of the alert unless the policy withholds even that for its marking. */
export function entitlement(alert: RegionalAlert, agency: Agency, policy: SharingPolicy): Entitlement {
  if (entitledToDetails(alert, agency, policy)) return 'full';
  return policy.redaction.withholdFactFor.includes(alert.tlp) ? 'none' : 'redacted';
}

/** A TLP added to the schema but not to the policy fails closed, at compile time if possible. */
function unreachable(tlp: never): boolean {
  void tlp;
  return false;
}
