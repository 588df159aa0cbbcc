import { ALERT_LEVELS, type AlertLevel, type AlertStatus, type AlertZone, type RegionalAlert } from '@vigie/contracts';
import type { Subscription } from './subscription';

/** The key a subscription names a zone by. */
export const zoneKey = (zone: Pick<AlertZone, 'kind' | 'id'>): string => `${zone.kind}:${zone.id}`;

const rank = (level: AlertLevel): number => ALERT_LEVELS.indexOf(level);

/** Statuses that close an alert: whoever was told it was on must be told it is over. */
const CLOSING: ReadonlySet<AlertStatus> = new Set(['RESOLVED', 'RETRACTED']);

/**
 * What a subscription is tested against, worked out once per alert version: a directory holds
 * hundreds of subscriptions, and each test used to rebuild the zone key and the counted categories.
 */
interface AlertFacts {
  readonly countries: readonly string[];
  readonly zoneKey: string;
  /** Categories with a count above zero. */
  readonly counted: readonly string[];
  readonly closing: boolean;
  readonly level: number;
  /** -1 without a previous level. */
  readonly previousLevel: number;
}

function factsOf(alert: RegionalAlert): AlertFacts {
  const counted: string[] = [];
  for (const category in alert.countsByCategory) if ((alert.countsByCategory[category] ?? 0) > 0) counted.push(category);
  return {
    countries: alert.zone.countries,
    zoneKey: zoneKey(alert.zone),
    counted,
    closing: CLOSING.has(alert.status),
    level: rank(alert.level),
    previousLevel: alert.previousLevel === null ? -1 : rank(alert.previousLevel),
  };
}

const anyOrOverlap = (filter: readonly string[], values: readonly string[]): boolean => {
  if (filter.length === 0) return true;
  for (const value of values) if (filter.includes(value)) return true;
  return false;
};

/**
 * Level filter. A closing alert ignores it, and so does a version whose *previous* level reached
 * it: an agency that received an alert at HIGH must also learn that it fell to MEDIUM. Until a
 * later issue records who received what, this is how earlier recipients are approximated.
 */
function levelMatches(facts: AlertFacts, minLevel: AlertLevel): boolean {
  if (facts.closing) return true;
  const min = rank(minLevel);
  return facts.level >= min || facts.previousLevel >= min;
}

/**
 * Category filter. A closing alert ignores it too: its counts are what is left in the window,
 * which may no longer hold the category that made an agency receive it (an alert fired on
 * kidnappings that ends with one smuggling report left). Until who received what is recorded,
 * ends reach every subscription whose zone and countries match (entitlement still applies).
 */
function categoriesMatch(facts: AlertFacts, categories: readonly string[]): boolean {
  return facts.closing || anyOrOverlap(categories, facts.counted);
}

function matches(facts: AlertFacts, subscription: Subscription): boolean {
  return (
    anyOrOverlap(subscription.countries, facts.countries) &&
    (subscription.zones.length === 0 || subscription.zones.includes(facts.zoneKey)) &&
    categoriesMatch(facts, subscription.categories) &&
    levelMatches(facts, subscription.minLevel)
  );
}

export function subscriptionMatches(alert: RegionalAlert, subscription: Subscription): boolean {
  return matches(factsOf(alert), subscription);
}

/** The subscriptions an alert matches, in directory order. */
export function matchSubscriptions(alert: RegionalAlert, subscriptions: readonly Subscription[]): Subscription[] {
  const facts = factsOf(alert);
  const matched: Subscription[] = [];
  for (const subscription of subscriptions) if (matches(facts, subscription)) matched.push(subscription);
  return matched;
}

/** How narrowly a subscription targets: a named zone beats countries, which beat categories alone. */
const specificity = (s: Subscription): number =>
  (s.zones.length > 0 ? 4 : 0) + (s.countries.length > 0 ? 2 : 0) + (s.categories.length > 0 ? 1 : 0);

/**
 * One subscription per agency (an agency gets one delivery per alert version): its most specific
 * match, the first in directory order on a tie. Agencies keep the order of their first match.
 */
export function mostSpecificPerAgency(matches: readonly Subscription[]): Subscription[] {
  const chosen = new Map<string, Subscription>();
  for (const s of matches) {
    const current = chosen.get(s.agencyId);
    if (!current || specificity(s) > specificity(current)) chosen.set(s.agencyId, s);
  }
  return [...chosen.values()];
}
