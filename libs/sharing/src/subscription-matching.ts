import { ALERT_LEVELS, type AlertLevel, type AlertStatus, type AlertZone, type RegionalAlert } from '@vigie/contracts';
import type { Subscription } from './subscription';

/** The key a subscription names a zone by. */
export const zoneKey = (zone: Pick<AlertZone, 'kind' | 'id'>): string => `${zone.kind}:${zone.id}`;

const rank = (level: AlertLevel): number => ALERT_LEVELS.indexOf(level);

/** Statuses that close an alert: whoever was told it was on must be told it is over. */
const CLOSING: ReadonlySet<AlertStatus> = new Set(['RESOLVED', 'RETRACTED']);

const anyOrOverlap = (filter: readonly string[], values: readonly string[]): boolean =>
  filter.length === 0 || values.some((v) => filter.includes(v));

/**
 * Level filter. A closing alert ignores it, and so does a version whose *previous* level reached
 * it: an agency that received an alert at HIGH must also learn that it fell to MEDIUM. Until a
 * later issue records who received what, this is how earlier recipients are approximated.
 */
function levelMatches(alert: RegionalAlert, minLevel: AlertLevel): boolean {
  if (CLOSING.has(alert.status)) return true;
  const min = rank(minLevel);
  return rank(alert.level) >= min || (alert.previousLevel !== null && rank(alert.previousLevel) >= min);
}

/** A closing alert may carry no counts once its window cooled; it must still reach category subscribers. */
function categoriesMatch(alert: RegionalAlert, categories: readonly string[]): boolean {
  const counted = Object.keys(alert.countsByCategory).filter((c) => (alert.countsByCategory[c] ?? 0) > 0);
  if (counted.length === 0 && CLOSING.has(alert.status)) return true;
  return anyOrOverlap(categories, counted);
}

export function subscriptionMatches(alert: RegionalAlert, subscription: Subscription): boolean {
  return (
    anyOrOverlap(subscription.countries, alert.zone.countries) &&
    anyOrOverlap(subscription.zones, [zoneKey(alert.zone)]) &&
    categoriesMatch(alert, subscription.categories) &&
    levelMatches(alert, subscription.minLevel)
  );
}

/** The subscriptions an alert matches, in directory order. */
export function matchSubscriptions(alert: RegionalAlert, subscriptions: readonly Subscription[]): Subscription[] {
  return subscriptions.filter((s) => subscriptionMatches(alert, s));
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
