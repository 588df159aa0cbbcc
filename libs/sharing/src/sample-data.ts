import type { RegionalAlert } from '@vigie/contracts';

/**
 * Pure sample data for tests and demos: a small directory and policy covering every sharing
 * relationship to an alert reported from Mali — the originating agency, another agency of the same
 * country, a partner of its community (AES, AMBER), a partner by bilateral agreement (Mauritania,
 * AMBER; Senegal, GREEN), and an agency with no link to Mali (Ghana) — and an alert.
 */

export const SAMPLE_DIRECTORY_JSON = {
  agencies: [
    { agencyId: 'ml-police-frontieres', name: 'Police des frontières du Mali', country: 'ML', languages: ['fr'] },
    { agencyId: 'ml-douanes', name: 'Douanes du Mali', country: 'ML', languages: ['fr'] },
    { agencyId: 'bf-gendarmerie', name: 'Gendarmerie nationale du Burkina Faso', country: 'BF', languages: ['fr'] },
    { agencyId: 'sn-douanes', name: 'Douanes sénégalaises', country: 'SN', languages: ['fr'] },
    { agencyId: 'mr-surete', name: 'Direction générale de la sûreté nationale (Mauritanie)', country: 'MR', languages: ['ar', 'fr'] },
    { agencyId: 'gh-immigration', name: 'Ghana Immigration Service', country: 'GH', languages: ['en'] },
  ],
  subscriptions: [
    { subscriptionId: 'ml-all', agencyId: 'ml-police-frontieres', countries: ['ML'], zones: [], categories: [], minLevel: 'LOW' },
    { subscriptionId: 'ml-douanes-smuggling', agencyId: 'ml-douanes', countries: [], zones: [], categories: ['SMUGGLING'], minLevel: 'LOW' },
    { subscriptionId: 'bf-region', agencyId: 'bf-gendarmerie', countries: [], zones: [], categories: [], minLevel: 'MEDIUM' },
    { subscriptionId: 'sn-faleme', agencyId: 'sn-douanes', countries: [], zones: ['SECTION:ML-SN-003'], categories: [], minLevel: 'LOW' },
    { subscriptionId: 'sn-smuggling', agencyId: 'sn-douanes', countries: ['SN'], zones: [], categories: ['SMUGGLING'], minLevel: 'LOW' },
    { subscriptionId: 'mr-high', agencyId: 'mr-surete', countries: [], zones: [], categories: [], minLevel: 'HIGH' },
    { subscriptionId: 'gh-all', agencyId: 'gh-immigration', countries: [], zones: [], categories: [], minLevel: 'LOW' },
  ],
};

export const SAMPLE_POLICY_JSON = {
  communities: [
    { communityId: 'ECOWAS', name: 'Economic Community of West African States', countries: ['BJ', 'CI', 'CV', 'GH', 'GM', 'GN', 'GW', 'LR', 'NG', 'SL', 'SN', 'TG'], maxTlp: 'GREEN' },
    { communityId: 'AES', name: 'Alliance des États du Sahel', countries: ['BF', 'ML', 'NE'], maxTlp: 'AMBER' },
  ],
  agreements: [
    { agreementId: 'ml-mr', name: 'Mali–Mauritania', countries: ['ML', 'MR'], maxTlp: 'AMBER' },
    { agreementId: 'ml-sn', name: 'Mali–Senegal', countries: ['ML', 'SN'], maxTlp: 'GREEN' },
  ],
  redaction: { keep: ['previousLevel', 'rule', 'window'], withholdFactFor: [] },
};

const HOUR_MS = 60 * 60 * 1000;
const EVALUATED_AT = Date.UTC(2025, 2, 14, 10, 0, 0);

/** A HIGH alert on the Mali–Senegal border section of the Falémé, from three reports of Mali's border police (AMBER). */
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
    sourceAgencies: ['ml-police-frontieres'],
    releasableTo: ['sn-douanes'],
    ...overrides,
  };
}
