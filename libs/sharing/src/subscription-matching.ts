import { ALERT_LEVELS, isAlertEnd, type AlertLevel, type AlertZone, type RegionalAlert } from '@vigie/contracts';
import type { Subscription } from './subscription';

/** The key a subscription names a zone by. */
export const zoneKey = (zone: Pick<AlertZone, 'kind' | 'id'>): string => `${zone.kind}:${zone.id}`;

const rank = (level: AlertLevel): number => ALERT_LEVELS.indexOf(level);

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
    closing: isAlertEnd(alert.status),
    level: rank(alert.level),
    previousLevel: alert.previousLevel === null ? -1 : rank(alert.previousLevel),
  };
}

const anyOrOverlap = (filter: readonly string[], values: readonly string[]): boolean => {
  if (filter.length === 0) return true;
  for (const value of values) if (filter.includes(value)) return true;
  return false;
};

/*
 * A version is news to a subscription when it is in its scope (countries, zones) and on its own
 * merits: an alert that is on, at or above the subscription's level, counting one of its
 * categories. Some versions are owed to agencies already told of the alert although they are not
 * news: an end (whatever its level and what is left in its window: an alert fired on kidnappings
 * may end with one smuggling report left), and a fall from the subscription's level (an agency
 * told of an alert at HIGH must learn that it fell to MEDIUM). Those are follow-ups: the delivery
 * ledger delivers them only to an agency it told of an earlier version of the alert (claimAnswer).
 */

/** How a version matches a subscription: on its own merits, or only as a follow-up of what the agency was told. */
export type MatchKind = 'news' | 'follow-up';

export interface SubscriptionMatch {
  readonly subscription: Subscription;
  readonly kind: MatchKind;
}

function matchKindOf(facts: AlertFacts, subscription: Subscription): MatchKind | null {
  if (!anyOrOverlap(subscription.countries, facts.countries)) return null;
  if (subscription.zones.length > 0 && !subscription.zones.includes(facts.zoneKey)) return null;
  if (facts.closing) return 'follow-up';
  const min = rank(subscription.minLevel);
  const categories = anyOrOverlap(subscription.categories, facts.counted);
  if (facts.level >= min && categories) return 'news';
  return facts.previousLevel >= min && categories ? 'follow-up' : null;
}

/** Whether a version matches a subscription at all (as news, or as a follow-up). */
export function subscriptionMatches(alert: RegionalAlert, subscription: Subscription): boolean {
  return matchKindOf(factsOf(alert), subscription) !== null;
}

/** The subscriptions an alert matches, in directory order, each with how it matches. */
export function matchSubscriptions(alert: RegionalAlert, subscriptions: readonly Subscription[]): SubscriptionMatch[] {
  const facts = factsOf(alert);
  const matched: SubscriptionMatch[] = [];
  for (const subscription of subscriptions) {
    const kind = matchKindOf(facts, subscription);
    if (kind !== null) matched.push({ subscription, kind });
  }
  return matched;
}

/** How narrowly a subscription targets: a named zone beats countries, which beat categories alone. */
const specificity = (s: Subscription): number =>
  (s.zones.length > 0 ? 4 : 0) + (s.countries.length > 0 ? 2 : 0) + (s.categories.length > 0 ? 1 : 0);

/**
 * One match per agency (an agency gets one delivery per alert version): news if any of its
 * subscriptions makes it news, then the most specific such subscription, the first in directory
 * order on a tie. Agencies keep the order of their first match.
 */
export function mostSpecificPerAgency(matches: readonly SubscriptionMatch[]): SubscriptionMatch[] {
  const chosen = new Map<string, SubscriptionMatch>();
  for (const match of matches) {
    const current = chosen.get(match.subscription.agencyId);
    if (!current || preferred(match, current)) chosen.set(match.subscription.agencyId, match);
  }
  return [...chosen.values()];
}

const preferred = (candidate: SubscriptionMatch, current: SubscriptionMatch): boolean =>
  candidate.kind !== current.kind ? candidate.kind === 'news' : specificity(candidate.subscription) > specificity(current.subscription);
