import { ALERT_LEVELS, TLP_LEVELS, type AlertLevel, type AlertStatus, type AlertWindow, type RegionalAlert, type Tlp } from '@vigie/contracts';
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

/** Counts per category, sealed ones included; keys in sorted order, so a re-evaluation of the same evidence encodes to the same bytes. */
function countsByCategoryOf(events: readonly WindowEvent[], sealed: SealedBucket | null): Record<string, number> {
  const counts = new Map<string, number>(sealed?.categories);
  for (const e of events) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

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

const ends = (status: AlertStatus): boolean => status === 'RESOLVED' || status === 'RETRACTED';

/** Builds one alert version and the state the zone × rule keeps of it. */
export function buildVersion(input: VersionInput): { alert: RegionalAlert; state: AlertState } {
  const { zone, rule, status, previous, evidence } = input;
  const ended = ends(status);
  const events = evidence.contributors.map((c) => c.event);
  const sealed = evidence.sealed && evidence.sealed.agg.n > 0 ? evidence.sealed : null;
  const counted = events.length + (sealed?.agg.n ?? 0);
  const level: AlertLevel = ended && previous ? previous.level : (ALERT_LEVELS[input.levelIndex] as AlertLevel);
  // An end reaches the audience of the alert it ends, so it keeps that alert's TLP at least.
  const tlps = evidence.tlp ? [evidence.tlp] : events.map((e) => e.tlp);
  if (sealed) tlps.push(tlpOfRank(maxTlpRank(sealed.agg)));
  const tlp = mostRestrictiveTlp(tlps, ended && previous ? previous.tlp : 'CLEAR');
  const countries = evidence.countries ? [...evidence.countries] : [...new Set([...events.map((e) => e.sourceCountry), ...(sealed?.agg.countries.keys() ?? [])])].sort();
  const countsByCategory = countsByCategoryOf(events, sealed);
  const ids = listed(evidence.contributors, rule.maxContributors);
  // Loops, not Math.min(...): a busy window holds more incidents than a call has arguments.
  const firstSeen = events.reduce((m, e) => Math.min(m, e.occurredAt), counted ? (sealed?.first ?? Infinity) : evidence.window.startAt);
  const lastSeen = events.reduce((m, e) => Math.max(m, e.occurredAt), counted ? (sealed?.last ?? -Infinity) : evidence.window.endAt);
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
    latestReportedAt: events.reduce((m, e) => Math.max(m, e.reportedAt), counted ? (sealed?.reported ?? -Infinity) : evidence.window.endAt),
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
  };
  return { alert, state };
}

/** TLP of an aggregate's most restricted incident (CLEAR when empty): what an active version would carry. */
export const tlpOfRank = (rank: number): Tlp => (rank < 0 ? 'CLEAR' : (TLP_LEVELS[rank] as Tlp));
