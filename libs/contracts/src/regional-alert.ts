import type { Tlp } from './incident-report';

/** TypeScript view of schemas/regional-alert/v2.avsc (v1 plus sourceAgencies and releasableTo). */

export const ALERT_STATUSES = ['FIRING', 'UPDATED', 'RESOLVED', 'RETRACTED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Whether a version ends its alert (RESOLVED, RETRACTED): whoever was told it was on must be told it is over. */
export const isAlertEnd = (status: AlertStatus): boolean => status === 'RESOLVED' || status === 'RETRACTED';

/** Ordered from least to most severe, so an index comparison ranks levels. */
export const ALERT_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ZONE_KINDS = ['SECTION', 'HOTSPOT', 'ROUTE', 'COUNTRY'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export interface AlertZone {
  kind: ZoneKind;
  id: string;
  name: string;
  countries: string[];
}

export interface AlertRule {
  id: string;
  kind: string;
}

export interface AlertWindow {
  startAt: number;
  endAt: number;
}

export interface AlertSummary {
  fr: string;
  en: string;
}

export interface RegionalAlert {
  alertId: string;
  version: number;
  status: AlertStatus;
  zone: AlertZone;
  level: AlertLevel;
  previousLevel: AlertLevel | null;
  rule: AlertRule;
  window: AlertWindow;
  score: number;
  explanation: string;
  countsByCategory: Record<string, number>;
  contributingEventIds: string[];
  distinctSourceCountries: string[];
  firstSeen: number;
  lastSeen: number;
  summary: AlertSummary;
  tlp: Tlp;
  evaluatedAt: number;
  latestReportedAt: number;
  /** v2: agency ids of the contributing reports' originators; absent (= empty) from v1 producers. */
  sourceAgencies?: string[];
  /** v2: for AMBER_STRICT, the agencies every AMBER_STRICT contributor was released to (none when GREEN or AMBER evidence is mixed in); absent = none. */
  releasableTo?: string[];
}
