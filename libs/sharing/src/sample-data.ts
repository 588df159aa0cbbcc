import type { RegionalAlert } from '@vigie/contracts';

/**
 * Pure sample data for tests and demos: a small directory covering every sharing relationship to
 * an alert reported from Mali (same country, same bloc, another bloc, no bloc), and an alert.
 */

export const SAMPLE_DIRECTORY_JSON = {
  agencies: [
    { agencyId: 'ml-police-frontieres', name: 'Police des frontières du Mali', country: 'ML', languages: ['fr'], blocs: ['AES'] },
    { agencyId: 'bf-gendarmerie', name: 'Gendarmerie nationale du Burkina Faso', country: 'BF', languages: ['fr'], blocs: ['AES'] },
    { agencyId: 'sn-douanes', name: 'Douanes sénégalaises', country: 'SN', languages: ['fr'], blocs: ['ECOWAS'] },
    { agencyId: 'mr-surete', name: 'Direction générale de la sûreté nationale (Mauritanie)', country: 'MR', languages: ['ar', 'fr'], blocs: ['OTHER'] },
  ],
  subscriptions: [
    { subscriptionId: 'ml-all', agencyId: 'ml-police-frontieres', countries: ['ML'], zones: [], categories: [], minLevel: 'LOW' },
    { subscriptionId: 'bf-region', agencyId: 'bf-gendarmerie', countries: [], zones: [], categories: [], minLevel: 'MEDIUM' },
    { subscriptionId: 'sn-faleme', agencyId: 'sn-douanes', countries: [], zones: ['SECTION:ML-SN-003'], categories: [], minLevel: 'LOW' },
    { subscriptionId: 'sn-smuggling', agencyId: 'sn-douanes', countries: ['SN'], zones: [], categories: ['SMUGGLING'], minLevel: 'LOW' },
    { subscriptionId: 'mr-high', agencyId: 'mr-surete', countries: [], zones: [], categories: [], minLevel: 'HIGH' },
  ],
};

const HOUR_MS = 60 * 60 * 1000;
const EVALUATED_AT = Date.UTC(2025, 2, 14, 10, 0, 0);

/** A HIGH alert on the Mali–Senegal border section of the Falémé, from two Malian reports (AMBER). */
export function sampleRegionalAlert(overrides: Partial<RegionalAlert> = {}): RegionalAlert {
  return {
    alertId: 'SECTION:ML-SN-003:smuggling-threshold',
    version: 3,
    status: 'UPDATED',
    zone: { kind: 'SECTION', id: 'ML-SN-003', name: 'Falémé (Kayes – Saraya)', countries: ['ML', 'SN'] },
    level: 'HIGH',
    previousLevel: 'MEDIUM',
    rule: { id: 'smuggling-threshold', kind: 'threshold' },
    window: { startAt: EVALUATED_AT - 48 * HOUR_MS, endAt: EVALUATED_AT },
    score: 2.4,
    explanation: '3 reports from ML in 48 h (threshold 2): ml-dgpc:KAY-2025-0311, ml-dgpc:KAY-2025-0312, ml-dgpc:KAY-2025-0313',
    countsByCategory: { SMUGGLING: 2, ARMED_GROUP_MOVEMENT: 1 },
    contributingEventIds: ['ml-dgpc:KAY-2025-0311', 'ml-dgpc:KAY-2025-0312', 'ml-dgpc:KAY-2025-0313'],
    distinctSourceCountries: ['ML'],
    firstSeen: EVALUATED_AT - 30 * HOUR_MS,
    lastSeen: EVALUATED_AT - 2 * HOUR_MS,
    summary: { fr: 'Contrebande d’or signalée par ML près de Kéniéba', en: 'Gold smuggling reported by ML near Kéniéba' },
    tlp: 'AMBER',
    evaluatedAt: EVALUATED_AT,
    latestReportedAt: EVALUATED_AT - HOUR_MS,
    sourceAgencies: ['ml-dgpc'],
    releasableTo: [],
    ...overrides,
  };
}
