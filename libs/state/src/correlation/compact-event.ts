import type { IncidentStatus, Tlp } from '@vigie/contracts';
import type { WindowEvent } from '@vigie/correlation';

/**
 * A WindowEvent as stored in the zone's events hash (field = eventId): a JSON array, a third of
 * the size of an object. The revision comes first: the apply script reads it (cjson) to keep only
 * the latest revision. Append new positions at the end; never reorder.
 */
type CompactEvent = [revision: number, status: IncidentStatus, occurredAt: number, reportedAt: number, category: string, subCategory: string, sourceCountry: string, tlp: Tlp];

export const encodeCompactEvent = (e: WindowEvent): string =>
  JSON.stringify([e.revision, e.status, e.occurredAt, e.reportedAt, e.category, e.subCategory, e.sourceCountry, e.tlp] satisfies CompactEvent);

export function decodeCompactEvent(eventId: string, payload: string): WindowEvent {
  const [revision, status, occurredAt, reportedAt, category, subCategory, sourceCountry, tlp] = JSON.parse(payload) as CompactEvent;
  return { eventId, revision, status, occurredAt, reportedAt, category, subCategory, sourceCountry, tlp };
}
