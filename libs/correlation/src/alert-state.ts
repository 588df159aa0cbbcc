import type { AlertOrigins } from './alert-origins';
import { TLP_LEVELS, type AlertLevel, type AlertStatus, type Tlp } from '@vigie/contracts';

/**
 * What a zone × rule remembers of its alert between evaluations: enough to number the next
 * version and to tell whether anything an analyst cares about changed.
 */
export interface AlertState {
  readonly alertId: string;
  /** Version of the last alert produced (1 for the first); never reused. */
  readonly version: number;
  readonly status: AlertStatus;
  /** Level of the last version (for RESOLVED / RETRACTED, the level it ended from). */
  readonly level: AlertLevel;
  readonly tlp: Tlp;
  /** Distinct source countries of the last version's evidence, sorted. */
  readonly countries: readonly string[];
  /** Incidents (or silent feeds) counted by the last version. */
  readonly count: number;
  /** Which incidents (see evidenceHash); absent for silent feeds. */
  readonly digest?: number;
  /** Ids the last version listed (event ids, or silent feed ids): a revision or retraction of one is news. */
  readonly listed: readonly string[];
  /** Where the current (or last) episode began and ended: window position, or arrival time for silent feeds. */
  readonly episodeFrom: number;
  readonly episodeTo: number | null;
  /** Who the last version's evidence came from (absent from state an earlier release stored: unknown). */
  readonly origins?: AlertOrigins;
}

/** An alert that is on: its next change is an UPDATE or an end, not a new FIRING. */
export const isActive = (state: AlertState | null): boolean => state !== null && (state.status === 'FIRING' || state.status === 'UPDATED');

/** TLP 2.0 order, CLEAR < GREEN < AMBER < AMBER_STRICT < RED: an alert is as restricted as its most restricted source. */
export function mostRestrictiveTlp(tlps: Iterable<Tlp>, floor: Tlp = 'CLEAR'): Tlp {
  let rank = TLP_LEVELS.indexOf(floor);
  for (const tlp of tlps) rank = Math.max(rank, TLP_LEVELS.indexOf(tlp));
  return TLP_LEVELS[rank] as Tlp;
}

/** Alerts counting fewer incidents than this publish a version for each one. */
export const SMALL_ALERT = 10;

/**
 * Whether the evidence moved enough to publish a new version at the same level: another source
 * country or TLP, a listed incident revised or retracted; below SMALL_ALERT incidents, any other
 * incident (in or out); above, the count moving by a quarter. Small alerts follow every change of
 * their evidence; a busy zone's alert does not republish on each incident, so its versions grow
 * logarithmically with its evidence.
 */
export function evidenceMoved(previous: AlertState, next: EvidenceSummary, touchedListed: boolean): boolean {
  if (touchedListed || previous.tlp !== next.tlp) return true;
  if (previous.countries.length !== next.countries.size || previous.countries.some((c) => !next.countries.has(c))) return true;
  if (previous.count < SMALL_ALERT) return next.count !== previous.count || next.digest !== previous.digest;
  return Math.abs(next.count - previous.count) >= Math.ceil(previous.count / 4);
}

/** What evidenceMoved compares: a window's summary. */
export interface EvidenceSummary {
  readonly tlp: Tlp;
  /** The window's source countries, in any order (an aggregate's counts by country will do). */
  readonly countries: Pick<ReadonlySet<string>, 'size' | 'has'>;
  readonly count: number;
  readonly digest: number;
}
