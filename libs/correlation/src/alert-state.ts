import { TLP_LEVELS, type AlertLevel, type AlertStatus, type Tlp } from '@vigie/contracts';
import type { WindowEvent } from './window-event';

/**
 * What a zone × rule remembers of its alert between evaluations: enough to number the next
 * version and to tell whether anything an analyst cares about changed.
 */
export interface AlertState {
  readonly alertId: string;
  /** Version of the last alert produced (1 for the first); never reused. */
  readonly version: number;
  readonly status: AlertStatus;
  /** Level of the last version (for RESOLVED, the level it resolved from). */
  readonly level: AlertLevel;
  readonly tlp: Tlp;
  /** `eventId@revision` of the last version's contributors, sorted: a revision of a contributor is a change. */
  readonly evidence: readonly string[];
}

/** An alert that is on: its next change is an UPDATE or a RESOLVE, not a new FIRING. */
export const isActive = (state: AlertState | null): state is AlertState =>
  state !== null && (state.status === 'FIRING' || state.status === 'UPDATED');

export const evidenceOf = (contributors: readonly WindowEvent[]): string[] =>
  contributors.map((e) => `${e.eventId}@${e.revision}`).sort();

export const sameEvidence = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/** TLP 2.0 order, CLEAR < GREEN < AMBER < AMBER_STRICT < RED: an alert is as restricted as its most restricted source. */
export function mostRestrictiveTlp(tlps: Iterable<Tlp>, floor: Tlp = 'CLEAR'): Tlp {
  let rank = TLP_LEVELS.indexOf(floor);
  for (const tlp of tlps) rank = Math.max(rank, TLP_LEVELS.indexOf(tlp));
  return TLP_LEVELS[rank] as Tlp;
}
