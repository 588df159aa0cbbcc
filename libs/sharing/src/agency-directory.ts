import { AGENCY_ID_PATTERN, ALERT_LEVELS, VigieError, ZONE_KINDS, categorySpec, isIsoCountryCode, type AlertLevel } from '@vigie/contracts';

/**
 * The agencies that receive alerts and what each subscribed to (deploy/config/agencies.json).
 * It decides who learns what, so it is validated strictly: an unknown field is reported rather
 * than ignored, because a misspelt filter would silently widen or narrow a subscription
 * (`$comment` fields are the exception, for documentation inside the file).
 */

/** Political communities of the region. OTHER, like an empty list, marks a country in neither (e.g. Mauritania). */
export const BLOCS = ['ECOWAS', 'AES', 'OTHER'] as const;
export type Bloc = (typeof BLOCS)[number];

export interface Agency {
  readonly agencyId: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2, upper-case. */
  readonly country: string;
  /** ISO 639-1 codes, preferred first. */
  readonly languages: readonly string[];
  readonly blocs: readonly Bloc[];
}

/** What an agency wants to receive. Every filter must match; an empty filter matches anything. */
export interface Subscription {
  readonly subscriptionId: string;
  readonly agencyId: string;
  /** At least one of the alert zone's countries (upper-case alpha-2). */
  readonly countries: readonly string[];
  /** Zone keys `${kind}:${id}`, e.g. `SECTION:ML-SN-003`, `HOTSPOT:HS-LIPTAKO-GOURMA`. */
  readonly zones: readonly string[];
  /** At least one of the categories counted in the alert (taxonomy categories, e.g. SMUGGLING). */
  readonly categories: readonly string[];
  readonly minLevel: AlertLevel;
}

export interface AgencyDirectory {
  readonly agencies: readonly Agency[];
  readonly subscriptions: readonly Subscription[];
}

const LANGUAGE_PATTERN = /^[a-z]{2}$/;
const SUBSCRIPTION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const ZONE_KEY_PATTERN = new RegExp(`^(${ZONE_KINDS.join('|')}):[^\\s:]+$`);

const AGENCY_FIELDS = ['agencyId', 'name', 'country', 'languages', 'blocs'];
const SUBSCRIPTION_FIELDS = ['subscriptionId', 'agencyId', 'countries', 'zones', 'categories', 'minLevel'];

/** Collects every problem of the file, so an operator fixes them in one pass. */
class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  record(value: unknown, path: string, fields: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path || '(root)', 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!fields.includes(key) && !key.startsWith('$comment')) this.add(path ? `${path}.${key}` : key, `unknown field (expected ${fields.join(', ')})`);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string, pattern: RegExp | null, expectation: string): string {
    if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
      this.add(path, `must be ${expectation} (got ${JSON.stringify(value) ?? 'nothing'})`);
      return '';
    }
    return value;
  }

  strings(value: unknown, path: string, check: (item: unknown, itemPath: string) => string): string[] {
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array (empty = any)');
      return [];
    }
    const items = value.map((item, i) => check(item, `${path}[${i}]`));
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (item && seen.has(item)) this.add(`${path}[${i}]`, `duplicate "${item}"`);
      seen.add(item);
    });
    return items;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) this.add(path, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }
}

const countryCheck = (p: Problems) => (value: unknown, path: string) => {
  const code = p.string(value, path, /^[A-Z]{2}$/, 'an upper-case ISO 3166-1 alpha-2 code');
  if (code && !isIsoCountryCode(code)) p.add(path, `"${code}" is not an ISO 3166-1 alpha-2 code`);
  return code;
};

function parseAgency(p: Problems, value: unknown, path: string): Agency | undefined {
  const a = p.record(value, path, AGENCY_FIELDS);
  if (!a) return undefined;
  const blocs = p.strings(a.blocs, `${path}.blocs`, (b, bPath) => p.oneOf(b, bPath, BLOCS));
  if (blocs.includes('OTHER') && blocs.length > 1) p.add(`${path}.blocs`, 'OTHER means "in no bloc": it cannot be combined with a bloc');
  const languages = p.strings(a.languages, `${path}.languages`, (l, lPath) => p.string(l, lPath, LANGUAGE_PATTERN, 'an ISO 639-1 code like "fr"'));
  if (languages.length === 0 && Array.isArray(a.languages)) p.add(`${path}.languages`, 'must name at least one language');
  return {
    agencyId: p.string(a.agencyId, `${path}.agencyId`, AGENCY_ID_PATTERN, 'lower-case letters, digits and dashes (2–63 characters)'),
    name: p.string(a.name, `${path}.name`, null, 'a non-empty name'),
    country: countryCheck(p)(a.country, `${path}.country`),
    languages,
    blocs: blocs as Bloc[],
  };
}

function parseSubscription(p: Problems, value: unknown, path: string, agencyIds: ReadonlySet<string>): Subscription | undefined {
  const s = p.record(value, path, SUBSCRIPTION_FIELDS);
  if (!s) return undefined;
  const agencyId = p.string(s.agencyId, `${path}.agencyId`, AGENCY_ID_PATTERN, 'an agency id');
  if (agencyId && !agencyIds.has(agencyId)) p.add(`${path}.agencyId`, `no agency "${agencyId}" in agencies`);
  return {
    subscriptionId: p.string(s.subscriptionId, `${path}.subscriptionId`, SUBSCRIPTION_ID_PATTERN, 'lower-case letters, digits, dots, dashes or underscores'),
    agencyId,
    countries: p.strings(s.countries, `${path}.countries`, countryCheck(p)),
    zones: p.strings(s.zones, `${path}.zones`, (z, zPath) =>
      p.string(z, zPath, ZONE_KEY_PATTERN, `a zone key "<kind>:<id>" with kind one of ${ZONE_KINDS.join(', ')}`),
    ),
    categories: p.strings(s.categories, `${path}.categories`, (c, cPath) => {
      const category = p.string(c, cPath, null, 'a taxonomy category like "SMUGGLING"');
      if (category && !categorySpec(category)) p.add(cPath, `"${category}" is not a category of the taxonomy`);
      return category;
    }),
    minLevel: p.oneOf(s.minLevel, `${path}.minLevel`, ALERT_LEVELS),
  };
}

function reportDuplicates(p: Problems, ids: readonly string[], pathOf: (i: number) => string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (id && seen.has(id)) p.add(pathOf(i), `duplicate id "${id}"`);
    seen.add(id);
  });
}

/** Blocs are a property of the country (sharing communities are sets of countries), so its agencies must agree. */
function reportBlocMismatches(p: Problems, agencies: readonly (Agency | undefined)[]): void {
  const blocsByCountry = new Map<string, string>();
  agencies.forEach((a, i) => {
    if (!a?.country) return;
    const blocs = a.blocs.filter((b) => b !== 'OTHER').sort().join(',') || 'no bloc';
    const known = blocsByCountry.get(a.country);
    if (known === undefined) blocsByCountry.set(a.country, blocs);
    else if (known !== blocs) p.add(`agencies[${i}].blocs`, `agencies of ${a.country} must list the same blocs (another lists ${known})`);
  });
}

function arrayAt(p: Problems, root: Record<string, unknown> | undefined, field: string): unknown[] {
  const value = root?.[field];
  if (Array.isArray(value)) return value;
  if (root) p.add(field, 'must be an array');
  return [];
}

/** Validates the parsed JSON of the agency directory; throws `AGENCIES_INVALID` listing every problem. */
export function parseAgencyDirectory(json: unknown): AgencyDirectory {
  const p = new Problems();
  const root = p.record(json, '', ['agencies', 'subscriptions']);
  const agencies = arrayAt(p, root, 'agencies').map((a, i) => parseAgency(p, a, `agencies[${i}]`));
  reportDuplicates(p, agencies.map((a) => a?.agencyId ?? ''), (i) => `agencies[${i}].agencyId`);
  reportBlocMismatches(p, agencies);

  const agencyIds = new Set(agencies.flatMap((a) => (a ? [a.agencyId] : [])));
  const subscriptions = arrayAt(p, root, 'subscriptions').map((s, i) => parseSubscription(p, s, `subscriptions[${i}]`, agencyIds));
  reportDuplicates(p, subscriptions.map((s) => s?.subscriptionId ?? ''), (i) => `subscriptions[${i}].subscriptionId`);

  if (p.list.length > 0) {
    throw new VigieError('AGENCIES_INVALID', p.list.join('; '), false, { problems: p.list });
  }
  return { agencies: agencies as Agency[], subscriptions: subscriptions as Subscription[] };
}
