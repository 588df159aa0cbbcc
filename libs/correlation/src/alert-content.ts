import { ALERT_LEVELS, TLP_LEVELS, isAlertEnd, type AlertLevel, type AlertStatus, type AlertWindow, type RegionalAlert, type Tlp } from '@vigie/contracts';
import { UNKNOWN_ORIGINS, mergeOrigins, originsOf, publishedOrigins } from './alert-origins';
import { mostRestrictiveTlp, type AlertState } from './alert-state';
import { explanationOf, summaryOf, type AlertTextInput } from './alert-text';
import { maxTlpRank } from './aggregate';
import { formatDuration } from './duration';
import { thresholdOf, type Rule } from './rule';
import { ruleKindOf, type Text } from './rule-kinds';
import type { SealedBucket } from './sealed-bucket';
import type { WindowEvent } from './window-event';
import { zoneKeyOf, zoneNameIn, type Zone } from './zone';

/** Deterministic and readable: one alert per rule × zone, e.g. `incident-burst-24h:HOTSPOT:HS-FALEME`. */
export const alertIdOf = (ruleId: string, zone: Pick<Zone, 'kind' | 'id'>): string => `${ruleId}:${zoneKeyOf(zone)}`;

/** The evidence of one version: what the rule counted in its window. */
export interface Evidence {
  readonly window: AlertWindow;
  readonly score: number;
  /** Counted incidents the zone holds, with their weight (milli), in any order. */
  readonly contributors: readonly { readonly event: WindowEvent; readonly weight: number }[];
  /** Counted incidents the zone has sealed (counted, never listed), or null/absent when none. */
  readonly sealed?: SealedBucket | null;
  /** What the alert state tracks instead of incidents (silent feeds' ids), and the sentence naming them. */
  readonly listedIds?: readonly string[];
  readonly detail?: Text;
  /** TLP when there are no contributors (silent feeds). */
  readonly tlp?: Tlp;
  readonly countries?: readonly string[];
  /** The window's evidence hash (see evidenceHash), when it holds incidents. */
  readonly digest?: number;
}

export interface VersionInput {
  readonly zone: Zone;
  readonly rule: Rule;
  readonly status: AlertStatus;
  /** Level index of the version; for RESOLVED / RETRACTED the previous version's level is kept. */
  readonly levelIndex: number;
  /** True while the level is held above what the score reaches now. */
  readonly held: boolean;
  readonly previous: AlertState | null;
  readonly evidence: Evidence;
  /** Where the episode is: window position, or arrival time for silent feeds. */
  readonly position: number;
  /** Processing time, reported as evaluatedAt. */
  readonly now: number;
}

/** What a version states of its incidents, held and sealed together. */
interface Summary {
  /** Rank of the most restrictive TLP of the held contributors (-1: none). */
  tlpRank: number;
  readonly countries: Set<string>;
  readonly categories: Map<string, number>;
  first: number;
  last: number;
  reported: number;
}

/** One pass over the held contributors, from what the sealed part already sums up (its TLP aside). */
function summarise(contributors: Evidence['contributors'], sealed: SealedBucket | null): Summary {
  const summary: Summary = {
    tlpRank: -1,
    countries: new Set(sealed?.agg.countries.keys()),
    categories: new Map(sealed?.categories),
    first: sealed?.first ?? Infinity,
    last: sealed?.last ?? -Infinity,
    reported: sealed?.reported ?? -Infinity,
  };
  for (const { event } of contributors) {
    summary.tlpRank = Math.max(summary.tlpRank, TLP_LEVELS.indexOf(event.tlp));
    summary.countries.add(event.sourceCountry);
    summary.categories.set(event.category, (summary.categories.get(event.category) ?? 0) + 1);
    if (event.occurredAt < summary.first) summary.first = event.occurredAt;
    if (event.occurredAt > summary.last) summary.last = event.occurredAt;
    if (event.reportedAt > summary.reported) summary.reported = event.reportedAt;
  }
  return summary;
}

/** Keys in sorted order, so that a re-evaluation of the same evidence encodes to the same bytes. */
const sortedCounts = (counts: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));

type Contributor = Evidence['contributors'][number];

/** The heaviest incidents first, then the most recent, then by id (ids are unique: a total order). */
const ranksBefore = (a: Contributor, b: Contributor): number =>
  b.weight - a.weight || b.event.occurredAt - a.event.occurredAt || (a.event.eventId < b.event.eventId ? -1 : 1);

/** The ids of the `max` first contributors in rank order (what a capped list keeps), sorted by id. */
function listed(contributors: Evidence['contributors'], max: number): string[] {
  // All of them listed: which ones the cap would keep does not matter.
  if (contributors.length <= max) return contributors.map((c) => c.event.eventId).sort();
  // The first `max` kept in rank order as they are met, instead of sorting them all: most
  // contributors of a busy window are compared once, with the last one kept, and passed over.
  const kept: Contributor[] = [];
  for (const c of contributors) {
    if (kept.length === max && ranksBefore(c, kept[max - 1] as Contributor) > 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranksBefore(kept[mid] as Contributor, c) < 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, c);
    if (kept.length > max) kept.pop();
  }
  return kept.map((c) => c.event.eventId).sort();
}

/** Builds one alert version and the state the zone × rule keeps of it. */
export function buildVersion(input: VersionInput): { alert: RegionalAlert; state: AlertState } {
  const { zone, rule, status, previous, evidence } = input;
  const ended = isAlertEnd(status);
  const sealed = evidence.sealed && evidence.sealed.agg.n > 0 ? evidence.sealed : null;
  const counted = evidence.contributors.length + (sealed?.agg.n ?? 0);
  const level: AlertLevel = ended && previous ? previous.level : (ALERT_LEVELS[input.levelIndex] as AlertLevel);
  const summary = summarise(evidence.contributors, sealed);
  // An end reaches the audience of the alert it ends, under the same sharing rules: it keeps that
  // alert's TLP at least, and its source countries and agencies with those of what remains.
  const rank = Math.max(evidence.tlp ? TLP_LEVELS.indexOf(evidence.tlp) : summary.tlpRank, sealed ? maxTlpRank(sealed.agg) : -1);
  const tlp = mostRestrictiveTlp([tlpOfRank(rank)], ended && previous ? previous.tlp : 'CLEAR');
  const remaining = evidence.countries ? [...evidence.countries] : [...summary.countries].sort();
  const countries = ended && previous ? [...new Set([...previous.countries, ...remaining])].sort() : remaining;
  const counts = sealed ? mergeOrigins(originsOf(evidence.contributors), sealed.origins) : originsOf(evidence.contributors);
  const origins = ended && previous ? mergeOrigins(previous.origins ?? UNKNOWN_ORIGINS, counts) : counts;
  const countsByCategory = sortedCounts(summary.categories);
  const ids = listed(evidence.contributors, rule.maxContributors);
  // With nothing counted, the window's bounds stand in.
  const firstSeen = counted ? summary.first : evidence.window.startAt;
  const lastSeen = counted ? summary.last : evidence.window.endAt;
  const text: AlertTextInput = {
    zoneName: { en: zoneNameIn(zone, 'en'), fr: zoneNameIn(zone, 'fr') },
    status,
    level,
    measure: ruleKindOf(rule).measure(rule, evidence.score, formatDuration(rule.windowMs)),
    threshold: ended ? rule.levels.LOW : thresholdOf(rule.levels, input.levelIndex),
    held: input.held,
    countsByCategory,
    countries,
    firstSeen,
    listed: ids.length,
    counted,
    ...(evidence.detail ? { detail: evidence.detail } : {}),
  };
  const alert: RegionalAlert = {
    alertId: alertIdOf(rule.id, zone),
    version: (previous?.version ?? 0) + 1,
    status,
    zone: { kind: zone.kind, id: zone.id, name: zone.name, countries: [...zone.countries] },
    level,
    previousLevel: status === 'FIRING' || !previous ? null : previous.level,
    rule: { id: rule.id, kind: rule.kind },
    window: evidence.window,
    score: evidence.score,
    explanation: explanationOf(text),
    countsByCategory,
    contributingEventIds: ids,
    distinctSourceCountries: countries,
    firstSeen,
    lastSeen,
    summary: summaryOf(text),
    tlp,
    evaluatedAt: input.now,
    latestReportedAt: counted ? summary.reported : evidence.window.endAt,
    ...publishedOrigins(origins),
  };
  const state: AlertState = {
    alertId: alert.alertId,
    version: alert.version,
    status,
    level,
    tlp,
    countries,
    count: evidence.listedIds ? evidence.listedIds.length : counted,
    ...(evidence.digest !== undefined ? { digest: evidence.digest } : {}),
    listed: evidence.listedIds ? [...evidence.listedIds] : ids,
    episodeFrom: status === 'FIRING' || !previous ? input.position : previous.episodeFrom,
    episodeTo: ended ? input.position : null,
    origins,
  };
  return { alert, state };
}

/** TLP of an aggregate's most restricted incident (CLEAR when empty): what an active version would carry. */
export const tlpOfRank = (rank: number): Tlp => (rank < 0 ? 'CLEAR' : (TLP_LEVELS[rank] as Tlp));
