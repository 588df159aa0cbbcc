import { AGENCY_ID_PATTERN, type Agency } from '@vigie/contracts';
import { Problems, join } from './problems';

export type { Agency };

const LANGUAGE_PATTERN = /^[a-z]{2}$/;
export const AGENCY_FIELDS = ['agencyId', 'name', 'country', 'languages'] as const;

/** Checks one agency's JSON, adding problems under `path`; returns what it could read. */
export function checkAgency(p: Problems, value: unknown, path = ''): Agency | undefined {
  const a = p.record(value, path, AGENCY_FIELDS);
  if (!a) return undefined;
  const languages = p.strings(a.languages, join(path, 'languages'), (l, lPath) => p.string(l, lPath, LANGUAGE_PATTERN, 'an ISO 639-1 code like "fr"'));
  if (languages.length === 0 && Array.isArray(a.languages)) p.add(join(path, 'languages'), 'must name at least one language');
  return {
    agencyId: p.string(a.agencyId, join(path, 'agencyId'), AGENCY_ID_PATTERN, 'lower-case letters, digits and dashes (2–63 characters)'),
    name: p.string(a.name, join(path, 'name'), null, 'a non-empty name'),
    country: p.country(a.country, join(path, 'country')),
    languages,
  };
}

/** Validates an agency (an HTTP body, a CLI file); throws `AGENCY_INVALID` listing every problem. */
export function parseAgency(value: unknown): Agency {
  const p = new Problems();
  const agency = checkAgency(p, value);
  return p.result('AGENCY_INVALID', agency as Agency);
}
