import type { AlertLevel, AlertStatus, RegionalAlert } from '@vigie/contracts';
import { evidenceOf, isActive, mostRestrictiveTlp, sameEvidence, type AlertState } from './alert-state';
import { explanationOf, summaryOf } from './alert-text';
import { formatDuration } from './duration';
import { inWindow, windowAt } from './event-time';
import { levelFor, type Rule } from './rule';
import { ruleKindOf } from './rule-kinds';
import { isRetracted, type WindowEvent } from './window-event';
import { zoneKeyOf, type Zone } from './zone';

export interface ZoneEvaluationInput {
  readonly zone: Zone;
  readonly rule: Rule;
  /** The zone's incidents, latest revision each (RETRACTED tombstones included), in any order. */
  readonly events: readonly WindowEvent[];
  /** Latest occurredAt the zone has seen: the window is [watermark − rule window, watermark]. */
  readonly watermark: number;
  readonly previous: AlertState | null;
  /** Processing time, reported as evaluatedAt. */
  readonly now: number;
}

export interface ZoneEvaluation {
  /** State to keep (unchanged `previous` when nothing changed; null while the rule never fired). */
  readonly state: AlertState | null;
  /** The new alert version, or null when nothing an analyst cares about changed. */
  readonly alert: RegionalAlert | null;
}

/** Deterministic and readable: one alert per rule × zone, e.g. `incident-surge-72h:HOTSPOT:HS-FALEME`. */
export const alertIdOf = (ruleId: string, zone: Pick<Zone, 'kind' | 'id'>): string => `${ruleId}:${zoneKeyOf(zone)}`;

/**
 * Lifecycle: nothing → FIRING when the score reaches LOW; FIRING/UPDATED → UPDATED when the level
 * or the evidence (contributors and their revisions) changes; → RESOLVED when the score falls
 * below LOW; RESOLVED → FIRING again under the same id with the next version.
 */
function nextStatus(level: AlertLevel | null, evidence: readonly string[], previous: AlertState | null): AlertStatus | null {
  if (!isActive(previous)) return level === null ? null : 'FIRING';
  if (level === null) return 'RESOLVED';
  return level === previous.level && sameEvidence(evidence, previous.evidence) ? null : 'UPDATED';
}

/** Keys in sorted order, so a re-evaluation of the same evidence encodes to the same bytes. */
const countBy = (events: readonly WindowEvent[], key: (e: WindowEvent) => string): Record<string, number> => {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
};

const maxOf = (values: readonly number[], fallback: number): number => (values.length ? Math.max(...values) : fallback);
const minOf = (values: readonly number[], fallback: number): number => (values.length ? Math.min(...values) : fallback);

/** Evaluates one rule over one zone's window: pure, the clock is `now`. */
export function evaluateZone(input: ZoneEvaluationInput): ZoneEvaluation {
  const { zone, rule, previous } = input;
  const window = windowAt(input.watermark, rule.windowMs);
  const considered = input.events.filter(
    (e) => inWindow(e.occurredAt, window) && (rule.categories.length === 0 || rule.categories.includes(e.category)),
  );
  const kind = ruleKindOf(rule);
  const active = considered.filter((e) => !isRetracted(e));
  const { score, contributors } = kind.assess(rule, active);
  const level = levelFor(score, rule.levels);
  const evidence = evidenceOf(contributors);
  const status = nextStatus(level, evidence, previous);
  if (status === null) return { state: previous, alert: null };

  const resolved = status === 'RESOLVED';
  // A resolution reaches the audience of the alert it ends, so it keeps that alert's TLP at least.
  const tlp = mostRestrictiveTlp(contributors.map((e) => e.tlp), resolved && previous ? previous.tlp : 'CLEAR');
  const alertLevel = level ?? (previous as AlertState).level;
  const countsByCategory = countBy(contributors, (e) => e.category);
  const countries = [...new Set(contributors.map((e) => e.sourceCountry))].sort();
  const occurred = contributors.map((e) => e.occurredAt);
  const firstSeen = minOf(occurred, window.endAt);
  const threshold = resolved ? rule.levels.LOW : (rule.levels[alertLevel] as number);
  const text = {
    zoneName: zone.name,
    status,
    level: alertLevel,
    measure: kind.measure(score, formatDuration(rule.windowMs)),
    threshold,
    countsByCategory,
    countries,
    firstSeen,
  };
  const alert: RegionalAlert = {
    alertId: alertIdOf(rule.id, zone),
    version: (previous?.version ?? 0) + 1,
    status,
    zone: { kind: zone.kind, id: zone.id, name: zone.name, countries: [...zone.countries] },
    level: alertLevel,
    previousLevel: status === 'FIRING' ? null : (previous as AlertState).level,
    rule: { id: rule.id, kind: rule.kind },
    window,
    score,
    explanation: explanationOf(text),
    countsByCategory,
    contributingEventIds: contributors.map((e) => e.eventId).sort(),
    distinctSourceCountries: countries,
    firstSeen,
    lastSeen: maxOf(occurred, window.endAt),
    summary: summaryOf(text),
    tlp,
    evaluatedAt: input.now,
    // Retractions in the window count too: they are the newest reports a RESOLVED version reflects.
    latestReportedAt: maxOf(considered.map((e) => e.reportedAt), window.endAt),
  };
  const state: AlertState = { alertId: alert.alertId, version: alert.version, status, level: alertLevel, tlp, evidence };
  return { state, alert };
}
