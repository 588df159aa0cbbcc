import { AGENCY_ID_PATTERN, ALERT_LEVELS, ZONE_KINDS, categorySpec, type Subscription } from '@vigie/contracts';
import { Problems, join } from './problems';

export type { Subscription };

export const SUBSCRIPTION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const ZONE_KEY_PATTERN = new RegExp(`^(${ZONE_KINDS.join('|')}):[^\\s:]+$`);
export const SUBSCRIPTION_FIELDS = ['subscriptionId', 'agencyId', 'countries', 'zones', 'categories', 'minLevel'] as const;

/** What a subscription is checked against beyond its own shape. */
export interface SubscriptionContext {
  /** True when the agency exists (in the directory being loaded, or in the running one). */
  readonly agencyExists: (agencyId: string) => boolean;
  /** True when the geography reference has this zone key; omitted = the shape alone is checked. */
  readonly zoneExists?: (zoneKey: string) => boolean;
}

export function checkSubscription(p: Problems, value: unknown, context: SubscriptionContext, path = ''): Subscription | undefined {
  const s = p.record(value, path, SUBSCRIPTION_FIELDS);
  if (!s) return undefined;
  const agencyId = p.string(s.agencyId, join(path, 'agencyId'), AGENCY_ID_PATTERN, 'an agency id');
  if (agencyId && !context.agencyExists(agencyId)) p.add(join(path, 'agencyId'), `no agency "${agencyId}": create the agency first`);
  return {
    subscriptionId: p.string(s.subscriptionId, join(path, 'subscriptionId'), SUBSCRIPTION_ID_PATTERN, 'lower-case letters, digits, dots, dashes or underscores'),
    agencyId,
    countries: p.strings(s.countries, join(path, 'countries'), (c, cPath) => p.country(c, cPath), true),
    zones: p.strings(s.zones, join(path, 'zones'), (z, zPath) => {
      const key = p.string(z, zPath, ZONE_KEY_PATTERN, `a zone key "<kind>:<id>" with kind one of ${ZONE_KINDS.join(', ')}`);
      if (key && context.zoneExists && !context.zoneExists(key)) p.add(zPath, `no zone "${key}" in the geography reference`);
      return key;
    }, true),
    categories: p.strings(s.categories, join(path, 'categories'), (c, cPath) => {
      const category = p.string(c, cPath, null, 'a taxonomy category like "SMUGGLING"');
      if (category && !categorySpec(category)) p.add(cPath, `"${category}" is not a category of the taxonomy`);
      return category;
    }, true),
    minLevel: p.oneOf(s.minLevel, join(path, 'minLevel'), ALERT_LEVELS),
  };
}

/** Validates a subscription; throws `SUBSCRIPTION_INVALID` saying what is wrong, field by field. */
export function parseSubscription(value: unknown, context: SubscriptionContext): Subscription {
  const p = new Problems();
  const subscription = checkSubscription(p, value, context);
  return p.result('SUBSCRIPTION_INVALID', subscription as Subscription);
}
