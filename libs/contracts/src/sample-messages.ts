import type { AlertDelivery } from './alert-delivery';
import { controlRecord, type ControlRecord } from './control-record';
import type { EnrichedIncident } from './enriched-incident';
import type { IncidentReport } from './incident-report';
import type { RegionalAlert } from './regional-alert';

/**
 * Fully populated messages for tests (every optional field set, every array non-empty), so a
 * round trip exercises every field of every schema. Each call returns a fresh object.
 * Test support only; not exported from the library's index.
 */

const t = (iso: string): number => Date.parse(iso);

export function sampleIncidentReport(overrides: Partial<IncidentReport> = {}): IncidentReport {
  return {
    eventId: 'sn-gendarmerie:GN-TMB-88213',
    sourceEventId: 'GN-TMB-88213',
    feedId: 'sn-gendarmerie',
    sourceCountry: 'SN',
    reportingAgency: 'sn-gendarmerie',
    revision: 2,
    status: 'REVISED',
    occurredAt: t('2025-05-02T22:10:00Z'),
    timePrecision: 'EXACT',
    reportedAt: t('2025-05-03T07:45:12.250Z'),
    location: { lat: 13.0538, lon: -12.1733, geoPrecision: 2, placeName: 'Saraya', admin1: 'Kédougou', admin2: 'Saraya' },
    category: 'KIDNAPPING',
    subCategory: 'FOR_RANSOM',
    commodity: { kind: 'ransom demanded', quantity: 5_000_000.5, unit: 'xof' },
    fatalities: { min: 1, max: 3, known: true },
    actors: [
      { name: 'unidentified armed group', kind: 'NON_STATE_ARMED_GROUP' },
      { name: 'Gendarmerie nationale', kind: 'STATE_FORCES' },
    ],
    sourceReliability: 'C',
    infoCredibility: 3,
    tlp: 'AMBER_STRICT',
    releasableTo: ['ml-gendarmerie'],
    notes: 'Deux orpailleurs enlevés près de la Falémé ; rançon exigée.',
    lang: 'fr',
    relatedEventIds: ['ml-gendarmerie:KYS-2025-0091'],
    ...overrides,
  };
}

export function sampleEnrichedIncident(): EnrichedIncident {
  return {
    report: sampleIncidentReport(),
    geo: {
      country: 'SN',
      reportedCountryMismatch: false,
      borderDistanceKm: 11.25,
      borderSectionId: 'ML-SN-003',
      neighbourCountry: 'ML',
      hotspotIds: ['faleme-valley'],
      routes: [{ routeId: 'bamako-kayes-dakar', distanceKm: 38.5, chainageKm: 612.75 }],
      h3Cell: '8755a2d4bffffff',
      uncertaintyKm: 25,
      flags: ['COARSE_LOCATION'],
      referenceVersion: '2025.05-ne110m',
    },
    correlationKeys: ['section:ML-SN-003', 'hotspot:faleme-valley'],
    enrichedAt: t('2025-05-03T07:45:13.001Z'),
    ingestedAt: t('2025-05-03T07:45:12.900Z'),
  };
}

export function sampleRegionalAlert(): RegionalAlert {
  return {
    alertId: 'section:ML-SN-003:cross-border-mirror',
    version: 4,
    status: 'UPDATED',
    zone: { kind: 'SECTION', id: 'ML-SN-003', name: 'Falémé (Kéniéba – Saraya)', countries: ['ML', 'SN'] },
    level: 'HIGH',
    previousLevel: 'MEDIUM',
    rule: { id: 'mirror-48h', kind: 'cross-border-mirror' },
    window: { startAt: t('2025-05-01T00:00:00Z'), endAt: t('2025-05-03T00:00:00Z') },
    score: 2.35,
    explanation: '3 events on both sides of section ML-SN-003 within 48 h (threshold 2)',
    countsByCategory: { KIDNAPPING: 2, ARMED_GROUP_MOVEMENT: 1 },
    contributingEventIds: ['sn-gendarmerie:GN-TMB-88213', 'ml-gendarmerie:KYS-2025-0091', 'ml-gendarmerie:KYS-2025-0094'],
    distinctSourceCountries: ['ML', 'SN'],
    firstSeen: t('2025-05-01T18:20:00Z'),
    lastSeen: t('2025-05-02T22:10:00Z'),
    summary: { fr: 'Enlèvements des deux côtés de la Falémé.', en: 'Kidnappings on both sides of the Falémé.' },
    tlp: 'AMBER',
    evaluatedAt: t('2025-05-03T07:45:14Z'),
    latestReportedAt: t('2025-05-03T07:45:12.250Z'),
    sourceAgencies: ['ml-gendarmerie', 'sn-gendarmerie'],
    releasableTo: ['ml-gendarmerie'],
  };
}

export function sampleAlertDelivery(): AlertDelivery {
  const alert = sampleRegionalAlert();
  return {
    deliveryId: `gm-police:${alert.alertId}:${alert.version}`,
    agencyId: 'gm-police',
    subscriptionId: 'gm-police-western-borders',
    redacted: true,
    redactedFields: ['contributingEventIds', 'explanation'],
    alert: { ...alert, contributingEventIds: [], explanation: '' },
    deliveredAt: t('2025-05-03T07:45:15Z'),
  };
}

/** One control record per entity kind, each with every field set. */
export function sampleControlRecords(): ControlRecord[] {
  const change = { changedAt: t('2025-05-03T08:00:00Z'), changedBy: 'duty-officer', reason: 'weekly review' };
  return [
    controlRecord('agency', { agencyId: 'ml-police', name: 'Police des frontières', country: 'ML', languages: ['fr', 'bm'] }, change),
    controlRecord('subscription', { subscriptionId: 'ml-faleme', agencyId: 'ml-police', countries: ['ML'], zones: ['SECTION:ML-SN-003'], categories: ['SMUGGLING'], minLevel: 'MEDIUM' }, change),
    controlRecord('community', { communityId: 'AES', name: 'Alliance des États du Sahel', countries: ['BF', 'ML', 'NE'], maxTlp: 'AMBER' }, change),
    controlRecord('agreement', { agreementId: 'ml-mr', name: 'Mali–Mauritania', countries: ['ML', 'MR'], maxTlp: 'AMBER' }, change),
    controlRecord('redactionPolicy', { keep: ['rule', 'window'], withholdFactFor: ['RED'] }, change),
    controlRecord('silence', { silenceId: 's-1', zone: 'HOTSPOT:HS-FALEME', ruleId: 'smuggling-threshold', startsAt: t('2025-05-03T08:00:00Z'), endsAt: t('2025-05-03T12:00:00Z'), comment: 'known operation' }, change),
    controlRecord('acknowledgement', { alertId: 'SECTION:ML-SN-003:mirror-48h', version: 4, comment: 'patrol sent' }, { ...change, action: 'DELETE' }),
    controlRecord('seed', { name: 'agencies', sha256: 'ab'.repeat(32) }, { ...change, changedBy: 'seed:agencies.json' }),
  ];
}
