import type { AlertState } from './alert-state';

/** What a zone × rule keeps between evaluations (persisted with the zone). */
export interface RuleRecord {
  /** The alert's last version, or null while the rule never fired in the zone. */
  alert: AlertState | null;
  /**
   * Hysteresis: per level index (LOW … CRITICAL), the last position whose score reached it —
   * a window position (bucket) for window rules, an arrival time for silent-feed rules.
   */
  support: (number | null)[];
  /** Last window position evaluated (window rules). */
  anchor: number | null;
  /** When the rule must be evaluated again without new input (event time, or arrival time for silent feeds), or null. */
  due: number | null;
  /** Spike baselines: weight (milli) per UTC day (days since the epoch). */
  daily: Record<string, number>;
  /** Spike baselines: the first day the rule counted an incident in the zone (a baseline is only trusted once complete). */
  since?: number;
}

/** A national feed's arrivals as a silent-feed rule learns them. */
export interface FeedRhythm {
  /** Latest arrival (ingestedAt). */
  last: number;
  /** Recent gaps between arrivals, oldest first, with when each ended: [endedAt, gapMs]. */
  gaps: [number, number][];
}

/** A zone's persisted state besides its incidents: small and bounded whatever the zone's traffic. */
export interface ZoneRecord {
  /** Event-time clock: the latest occurredAt applied, or a later time a timer moved it to. */
  clock: number | null;
  /** Incidents that occurred before this are sealed (absent: none); see sealed-bucket.ts. */
  sealedBefore?: number;
  rules: Record<string, RuleRecord>;
  feeds: Record<string, FeedRhythm>;
}

export const emptyZoneRecord = (): ZoneRecord => ({ clock: null, rules: {}, feeds: {} });

export const emptyRuleRecord = (): RuleRecord => ({ alert: null, support: [null, null, null, null], anchor: null, due: null, daily: {} });

/** The record as stored: rules without their alert states. */
export function withoutAlerts(record: ZoneRecord): ZoneRecord {
  const rules: ZoneRecord['rules'] = {};
  for (const id in record.rules) rules[id] = { ...(record.rules[id] as RuleRecord), alert: null };
  return { ...record, rules };
}

/** The record as loaded: stored alert states put back into the rules that still exist. */
export function withAlerts(record: ZoneRecord, alerts: ReadonlyMap<string, AlertState | null> | undefined): ZoneRecord {
  if (!alerts) return record;
  const rules: ZoneRecord['rules'] = {};
  for (const id in record.rules) {
    const rule = record.rules[id] as RuleRecord;
    rules[id] = alerts.has(id) ? { ...rule, alert: alerts.get(id) ?? null } : rule;
  }
  return { ...record, rules };
}
