import type { RegionalAlert, ZoneKind } from '@vigie/contracts';
import { PartitionRuntime, type BatchEntry, type CorrelationSettings, type EntryStatus } from '../partition-runtime';
import { isWindowRule, ruleAppliesTo, type Rule, type SilentFeedRule, type WindowRule } from '../rule';
import { parseRules } from '../parse-rules';
import type { WindowEvent } from '../window-event';
import type { Zone } from '../zone';
import type { ZoneRules } from '../zone-runtime';
import { HOUR } from './window-events';

/*
 * A partition of the correlator in memory, for the specs: a few zones, rules written inline, and
 * batches of incident copies at consecutive offsets.
 */

export const NOW = Date.parse('2030-01-01T00:00:00Z');
export const FALEME = 'HOTSPOT:HS-FALEME';
export const SECTION = 'SECTION:ML-SN-006';
export const ROUTE = 'ROUTE:RT-BAMAKO-DAKAR';
export const MALI = 'COUNTRY:ML';

export const ZONES: ReadonlyMap<string, Zone> = new Map<string, Zone>([
  [FALEME, { kind: 'HOTSPOT', id: 'HS-FALEME', name: 'Falémé valley', countries: ['ML', 'SN'], names: { en: 'Falémé valley', fr: 'Vallée de la Falémé' } }],
  [SECTION, { kind: 'SECTION', id: 'ML-SN-006', name: 'Mali–Senegal 6', countries: ['ML', 'SN'] }],
  [ROUTE, { kind: 'ROUTE', id: 'RT-BAMAKO-DAKAR', name: 'Bamako–Kayes–Dakar', countries: ['ML', 'SN'] }],
  [MALI, { kind: 'COUNTRY', id: 'ML', name: 'Mali', countries: ['ML'], names: { en: 'Mali', fr: 'Mali' } }],
]);

export const zoneOf = (key: string): Zone => {
  const zone = ZONES.get(key);
  if (!zone) throw new Error(`no test zone ${key}`);
  return zone;
};

export function rulesByKind(rules: readonly Rule[]): (kind: ZoneKind) => ZoneRules {
  return (kind) => {
    const watching = rules.filter((r) => ruleAppliesTo(r, kind));
    return { window: watching.filter(isWindowRule) as WindowRule[], silence: watching.filter((r): r is SilentFeedRule => r.kind === 'silent-feed') };
  };
}

export const LATENESS = 7 * 24 * HOUR;

export const rules = (...raw: Record<string, unknown>[]): Rule[] => parseRules({ rules: raw });

export function partitionWith(ruleSet: readonly Rule[], allowedLatenessMs = LATENESS, zoneDetailLimit?: number): PartitionRuntime {
  return new PartitionRuntime(0, settingsFor(ruleSet, allowedLatenessMs, zoneDetailLimit));
}

export const settingsFor = (ruleSet: readonly Rule[], allowedLatenessMs = LATENESS, zoneDetailLimit?: number): CorrelationSettings => ({
  allowedLatenessMs,
  rulesFor: rulesByKind(ruleSet),
  zoneOf: (key) => ZONES.get(key),
  ...(zoneDetailLimit === undefined ? {} : { zoneDetailLimit }),
});

export type Copy = readonly [zoneKey: string, event: WindowEvent];

/** Copies at consecutive offsets from `first`. */
export const entries = (first: number, ...copies: Copy[]): BatchEntry[] =>
  copies.map(([zoneKey, event], i) => ({ offset: first + i, incident: { zone: zoneOf(zoneKey), event } }));

/** Feeds copies to a partition in batches of `size`, committing each; returns every alert published and the statuses. */
export function feed(runtime: PartitionRuntime, copies: readonly Copy[], size = copies.length, firstOffset = 0): { alerts: RegionalAlert[]; statuses: EntryStatus[] } {
  const alerts: RegionalAlert[] = [];
  const statuses: EntryStatus[] = [];
  for (let i = 0; i < copies.length; i += size) {
    const result = runtime.correlate(entries(firstOffset + i, ...copies.slice(i, i + size)), NOW);
    alerts.push(...result.alerts.filter((a) => !alerts.some((seen) => seen.alertId === a.alertId && seen.version === a.version)));
    statuses.push(...result.statuses);
    if (result.commit) runtime.committed();
  }
  return { alerts, statuses };
}

/** "version:STATUS:LEVEL" per alert, the lifecycle at a glance. */
export const lifecycle = (alerts: readonly RegionalAlert[]): string[] => alerts.map((a) => `${a.version}:${a.status}:${a.level}`);

/** The last version of each alert. */
export function latest(alerts: readonly RegionalAlert[]): Map<string, RegionalAlert> {
  const out = new Map<string, RegionalAlert>();
  for (const a of alerts) if ((out.get(a.alertId)?.version ?? 0) < a.version) out.set(a.alertId, a);
  return out;
}
