import type { IncidentReport, IncidentStatus, Tlp } from '@vigie/contracts';

/**
 * What correlation keeps of an incident: the fields rules, alert text and TLP need, so the
 * per-zone state stays small. One per eventId: its latest revision (RETRACTED ones are kept as
 * tombstones so an older revision arriving afterwards cannot bring the incident back).
 */
export interface WindowEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly status: IncidentStatus;
  readonly occurredAt: number;
  readonly reportedAt: number;
  readonly category: string;
  readonly subCategory: string;
  readonly sourceCountry: string;
  readonly tlp: Tlp;
}

export const toWindowEvent = (report: IncidentReport): WindowEvent => ({
  eventId: report.eventId,
  revision: report.revision,
  status: report.status,
  occurredAt: report.occurredAt,
  reportedAt: report.reportedAt,
  category: report.category,
  subCategory: report.subCategory,
  sourceCountry: report.sourceCountry,
  tlp: report.tlp,
});

export const isRetracted = (event: WindowEvent): boolean => event.status === 'RETRACTED';
