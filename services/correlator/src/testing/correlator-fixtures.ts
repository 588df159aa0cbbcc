import { TOPICS, createCodecs, type EnrichedIncident, type IncidentReport, type RegionalAlert } from '@vigie/contracts';
import { parseRules, type CorrelationStore, type Zone } from '@vigie/correlation';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { CorrelatorStage, type CorrelatorOptions } from '../correlator.stage';

/*
 * Builders for the correlator stage specs: one hotspot watched by a threshold rule (LOW 3,
 * MEDIUM 5 in 72 h, 6 h dwell), one section no rule watches, and enriched incidents as Kafka
 * messages of partition 0.
 */

export const codecs = createCodecs();
export const HOUR = 3_600_000;
export const T0 = Date.parse('2025-05-01T00:00:00Z');
export const NOW = T0 + 1000 * HOUR;
export const LATENESS = 7 * 24 * HOUR;

export const FALEME = 'HOTSPOT:HS-FALEME';
export const ZONES = new Map<string, Zone>([
  [FALEME, { kind: 'HOTSPOT', id: 'HS-FALEME', name: 'Falémé valley', countries: ['ML', 'SN'] }],
  ['SECTION:ML-SN-003', { kind: 'SECTION', id: 'ML-SN-003', name: 'Mali–Senegal 3', countries: ['ML', 'SN'] }],
]);
export const rules = parseRules({
  rules: [{ id: 'surge', kind: 'threshold', window: '72h', dwell: '6h', zoneKinds: ['HOTSPOT'], levels: { LOW: 3, MEDIUM: 5 } }],
});

export function report(sourceEventId: string, hours: number, overrides: Partial<IncidentReport> = {}): IncidentReport {
  return {
    eventId: `ml-police:${sourceEventId}`,
    sourceEventId,
    feedId: 'ml-police',
    sourceCountry: 'ML',
    reportingAgency: 'ml-police',
    revision: 1,
    status: 'ACTIVE',
    occurredAt: T0 + hours * HOUR,
    timePrecision: 'HOUR',
    reportedAt: T0 + (hours + 2) * HOUR,
    location: { lat: 13.9, lon: -11.6, geoPrecision: 1, placeName: 'Kéniéba', admin1: 'Kayes', admin2: null },
    category: 'SMUGGLING',
    subCategory: 'FUEL',
    commodity: { kind: 'fuel', quantity: 400, unit: 'l' },
    fatalities: { min: 0, max: 0, known: true },
    actors: [],
    sourceReliability: 'B',
    infoCredibility: 2,
    tlp: 'GREEN',
    releasableTo: [],
    notes: null,
    lang: 'fr',
    relatedEventIds: [],
    ...overrides,
  };
}

export const enriched = (r: IncidentReport): EnrichedIncident => ({
  report: r,
  geo: {
    country: 'ML', reportedCountryMismatch: false, borderDistanceKm: 4, borderSectionId: 'ML-SN-003', neighbourCountry: 'SN',
    hotspotIds: ['HS-FALEME'], routes: [], h3Cell: null, uncertaintyKm: 1, flags: [], referenceVersion: 'test',
  },
  correlationKeys: [FALEME, 'SECTION:ML-SN-003'],
  enrichedAt: r.reportedAt,
  ingestedAt: r.reportedAt,
});

export const message = (offset: number, r: IncidentReport, zoneKey = FALEME): InboundMessage => ({
  topic: TOPICS.enriched,
  partition: 0,
  offset: String(offset),
  key: Buffer.from(zoneKey),
  value: codecs.enrichedIncident.encode(enriched(r)),
  headers: {},
  timestamp: NOW,
});

/** Messages at consecutive offsets from `first`. */
export const batch = (first: number, ...reports: IncidentReport[]): InboundMessage[] => reports.map((r, i) => message(first + i, r));

export const outputsTo = (topic: string, outcomes: readonly MessageOutcome[]) =>
  outcomes.flatMap((o) => (o.kind === 'emit' ? o.messages.filter((m) => m.topic === topic) : []));

export const alertsIn = (outcomes: readonly MessageOutcome[]): RegionalAlert[] =>
  outputsTo(TOPICS.regionalAlerts, outcomes).map((m) => {
    const alert = codecs.regionalAlert.decode(m.value);
    if (m.key !== alert.alertId) throw new Error(`alert ${alert.alertId} published under key ${String(m.key)}`);
    return alert;
  });

export const versionsIn = (outcomes: readonly MessageOutcome[]): string[] => alertsIn(outcomes).map((a) => `${a.version}:${a.status}`);

/** A correlator over `store` with the fixtures' rules and zones, at NOW. */
export const stageOver = (store: CorrelationStore, options: Partial<CorrelatorOptions> = {}): CorrelatorStage =>
  new CorrelatorStage(codecs, store, rules, (key) => ZONES.get(key), { allowedLatenessMs: LATENESS, ...options }, () => NOW);
