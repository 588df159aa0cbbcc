import type { WindowEvent } from '../window-event';

/*
 * Builders for the correlation specs (not exported from the lib): hours after a fixed epoch read
 * better in tests than epoch millis.
 */

export const HOUR = 3_600_000;
export const T0 = Date.parse('2025-05-01T00:00:00Z');
export const at = (hours: number): number => T0 + hours * HOUR;

/** An ACTIVE SMUGGLING/FUEL incident reported by ml-police (B2), GREEN, in Mali, reported and ingested one hour after it occurred. */
export function windowEvent(eventId: string, hours: number, overrides: Partial<WindowEvent> = {}): WindowEvent {
  return {
    eventId,
    revision: 1,
    status: 'ACTIVE',
    occurredAt: at(hours),
    reportedAt: at(hours + 1),
    ingestedAt: at(hours + 1),
    category: 'SMUGGLING',
    subCategory: 'FUEL',
    feedId: 'ml-police',
    sourceCountry: 'ML',
    tlp: 'GREEN',
    fatalities: 0,
    reliability: 'B',
    credibility: 2,
    side: 'ML',
    chainageKm: null,
    reportingAgency: 'ml-police',
    releasableTo: [],
    ...overrides,
  };
}
