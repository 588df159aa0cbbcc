import type { IncidentStatus, SourceReliability, Tlp } from '@vigie/contracts';
import { interned, type WindowEvent } from '@vigie/correlation';

/**
 * A WindowEvent as stored in the partition's events hash (field `<zoneKey>|<eventId>`): a JSON
 * array, a third of the size of an object. Append new positions at the end; never reorder.
 */
type CompactEvent = [
  revision: number,
  status: IncidentStatus,
  occurredAt: number,
  reportedAt: number,
  ingestedAt: number,
  category: string,
  subCategory: string,
  feedId: string,
  sourceCountry: string,
  tlp: Tlp,
  fatalities: number,
  reliability: SourceReliability,
  credibility: number,
  side: string | null,
  chainageKm: number | null,
  // Since the fifteenth session; absent from events stored before (read as unknown).
  reportingAgency?: string,
  releasableTo?: string[],
];

export const encodeCompactEvent = (e: WindowEvent): string =>
  JSON.stringify([
    e.revision, e.status, e.occurredAt, e.reportedAt, e.ingestedAt, e.category, e.subCategory, e.feedId,
    e.sourceCountry, e.tlp, e.fatalities, e.reliability, e.credibility, e.side, e.chainageKm,
    ...(e.reportingAgency === null ? [] : e.releasableTo.length ? [e.reportingAgency, [...e.releasableTo]] : [e.reportingAgency]),
  ] as CompactEvent);

export function decodeCompactEvent(eventId: string, payload: string): WindowEvent {
  const [revision, status, occurredAt, reportedAt, ingestedAt, category, subCategory, feedId, sourceCountry, tlp, fatalities, reliability, credibility, side, chainageKm, reportingAgency, releasableTo] =
    JSON.parse(payload) as CompactEvent;
  return {
    eventId, revision, status: interned(status), occurredAt, reportedAt, ingestedAt,
    category: interned(category), subCategory: interned(subCategory), feedId: interned(feedId), sourceCountry: interned(sourceCountry),
    tlp: interned(tlp), fatalities, reliability: interned(reliability), credibility, side: side === null ? null : interned(side), chainageKm,
    reportingAgency: reportingAgency === undefined ? null : interned(reportingAgency),
    releasableTo: releasableTo ? releasableTo.map(interned) : [],
  };
}
