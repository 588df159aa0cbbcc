import type { AlertWindow } from '@vigie/contracts';
import type { RuleBase } from './rule';

/*
 * Event time per zone. The watermark is the latest occurredAt the zone has seen; a rule's window
 * is [watermark − window, watermark]. The zone keeps incidents back to watermark − horizon, where
 * the horizon is its longest rule window plus the allowed lateness: older ones are late (routed
 * to incidents.late, not applied) and evicted from state, which bounds it.
 */

/** How far back a zone's state reaches: the longest window of the rules watching it plus the allowed lateness. */
export function horizonMs(rules: readonly Pick<RuleBase, 'windowMs'>[], allowedLatenessMs: number): number {
  return Math.max(0, ...rules.map((r) => r.windowMs)) + allowedLatenessMs;
}

/** Incidents that occurred strictly before this instant are late (and evicted). */
export const lateBound = (watermark: number, horizon: number): number => watermark - horizon;

export const isLate = (occurredAt: number, watermark: number, horizon: number): boolean => occurredAt < lateBound(watermark, horizon);

export const windowAt = (watermark: number, windowMs: number): AlertWindow => ({ startAt: watermark - windowMs, endAt: watermark });

export const inWindow = (occurredAt: number, window: AlertWindow): boolean => occurredAt >= window.startAt && occurredAt <= window.endAt;
