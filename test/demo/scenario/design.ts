/**
 * The demo scenario as designed: quiet background activity everywhere, and three scripted
 * episodes an analyst should notice. expected.json states what the pipeline should make of it;
 * those expectations follow from this design, not from running pipeline code.
 *
 * Times are hours relative to the scenario base (its "now"): every report is made before it, so
 * shifting the base to the present puts the scenario in the last three weeks.
 */
import type { Area, GeoPrecision, ProfileId } from '../../../libs/testing/src/fixtures';

export const SCENARIO_SEED = 20261120;
export const SCENARIO_BASE = Date.UTC(2026, 10, 20); // 2026-11-20T00:00:00Z
export const SPAN_DAYS = 21;
/** Background events happen no later than this before the base, so their normal reports precede it. */
export const BACKGROUND_END_HOURS = -12;
/** No report is made in the last minutes before the base: after a shift to "now" nothing is in the future. */
export const LAST_REPORT_HOURS = -10 / 60;
/** A report is late when made more than this after the event. */
export const LATE_AFTER_HOURS = 48;

/**
 * Background events per area over the whole span, evenly spaced with bounded jitter: at most
 * 2 per area in any 24 h (slots of ≥ 15 h), so only the scripted episodes stand out.
 */
export const BACKGROUND: Readonly<Record<Area, number>> = {
  FALEME: 30,
  ML_MR_BORDER: 30,
  LIPTAKO_GOURMA: 30,
  BAMAKO_DAKAR_ROUTE: 28,
  ATLANTIC_ROUTE: 24,
  CENTRAL_SAHEL: 24,
  FUEL_CORRIDORS: 26,
  SOUTHERN_BORDERS: 30,
  INTERIOR: 14,
};
/** Areas whose quiet background must not blur an episode: no background within 24 h of it. */
export const BACKGROUND_FREE_MARGIN_HOURS = 24;
/** Share of older background reports that arrive days late. */
export const LATE_SHARE = 0.09;

export interface ScriptedEvent {
  readonly key: string;
  /** Hours after the episode starts. */
  readonly at: number;
  readonly feedId: string;
  readonly place: string;
  readonly kind: ProfileId;
  readonly geoPrecision?: GeoPrecision;
  /** Keys of earlier events this report refers to (cross-border coordination). */
  readonly relatedTo?: readonly string[];
  /** Reported this many hours after it happened (default: 30 min – 4 h). */
  readonly reportedAfterHours?: number;
}

export interface ZoneExpectation {
  readonly zoneKeys: readonly string[];
  readonly alsoLikely: readonly string[];
  /** Count threshold of the brief: ≥ 5 incidents in 24 h in one zone. */
  readonly countThreshold: boolean;
  /** Corroboration: reports from ≥ 2 source countries in the zone within the window. */
  readonly corroboration: boolean;
  readonly why: string;
}

export interface Episode {
  readonly id: string;
  readonly area: Area;
  readonly title: string;
  /** Hours relative to the base. */
  readonly startsAt: number;
  readonly events: readonly ScriptedEvent[];
  /** Absent for scripted events that only exist to be revised. */
  readonly expectation?: ZoneExpectation;
}

export const EPISODES: readonly Episode[] = [
  {
    id: 'faleme-burst',
    area: 'FALEME',
    title: 'Falémé valley (Kayes–Saraya), Mali–Senegal border: raids on gold-panning sites, then smuggling and crossings on both banks',
    startsAt: -36,
    events: [
      { key: 'fal-01', at: 0, feedId: 'ml-gendarmerie', place: 'Kéniéba', kind: 'ATTACK' },
      { key: 'fal-02', at: 1.5, feedId: 'ml-police', place: 'Sadiola', kind: 'GOLD' },
      { key: 'fal-03', at: 3, feedId: 'sn-police', place: 'Saraya', kind: 'ARMED_GROUP_MOVEMENT', relatedTo: ['fal-01'] },
      { key: 'fal-04', at: 4.5, feedId: 'sn-police', place: 'Sabodala', kind: 'GOLD' },
      { key: 'fal-05', at: 6, feedId: 'ml-police', place: 'Diboli', kind: 'FUEL' },
      { key: 'fal-06', at: 7.5, feedId: 'sn-police', place: 'Kidira', kind: 'IRREGULAR_CROSSING' },
      { key: 'fal-07', at: 9, feedId: 'ml-gendarmerie', place: 'Kéniéba', kind: 'ARMED_GROUP_MOVEMENT' },
      { key: 'fal-08', at: 10.5, feedId: 'sn-police', place: 'Saraya', kind: 'KIDNAPPING', relatedTo: ['fal-03'] },
      { key: 'fal-09', at: 12, feedId: 'ml-police', place: 'Ambidédi', kind: 'MIGRANT_CONVOY' },
      { key: 'fal-10', at: 13.5, feedId: 'sn-police', place: 'Kidira', kind: 'MIGRANT_CONVOY', relatedTo: ['fal-09'] },
      { key: 'fal-11', at: 15, feedId: 'ml-police', place: 'Diboli', kind: 'IRREGULAR_CROSSING' },
      { key: 'fal-12', at: 16.5, feedId: 'sn-police', place: 'Saraya', kind: 'GOLD' },
      { key: 'fal-13', at: 18, feedId: 'ml-gendarmerie', place: 'Sadiola', kind: 'FUEL', geoPrecision: 2 },
      { key: 'fal-14', at: 19.5, feedId: 'ml-police', place: 'Kéniéba', kind: 'GOLD' },
      { key: 'fal-15', at: 21, feedId: 'sn-police', place: 'Sabodala', kind: 'MIGRANT_SAFE_HOUSE' },
    ],
    expectation: {
      zoneKeys: ['HOTSPOT:HS-FALEME'],
      alsoLikely: ['SECTION:ML-SN-* (the sections along the Falémé, e.g. ML-SN-006 at Saraya/Kéniéba)', 'ROUTE:RT-BAMAKO-DAKAR (Diboli, Kidira, Ambidédi lie on the corridor)', 'COUNTRY:ML', 'COUNTRY:SN'],
      countThreshold: true,
      corroboration: true,
      why: '15 reports in 21 h on both banks (14 once fal-07 is retracted) from ml-police, sn-police and ml-gendarmerie: well over 5 in 24 h, and two source countries',
    },
  },
  {
    id: 'liptako-burst',
    area: 'LIPTAKO_GOURMA',
    title: 'Liptako-Gourma tri-border (Mali, Niger, Burkina Faso): a day of coordinated attacks, IEDs and kidnappings',
    startsAt: -7.5 * 24,
    events: [
      { key: 'lip-01', at: 0, feedId: 'ne-police', place: 'Ayorou', kind: 'ATTACK' },
      { key: 'lip-02', at: 1, feedId: 'ml-gendarmerie', place: 'Labbezanga', kind: 'IED' },
      { key: 'lip-03', at: 2.5, feedId: 'bf-police', place: 'Markoye', kind: 'ARMED_CLASH' },
      { key: 'lip-04', at: 4, feedId: 'ne-police', place: 'Téra', kind: 'IED' },
      { key: 'lip-05', at: 5.5, feedId: 'ml-police', place: 'Ansongo', kind: 'ARMED_GROUP_MOVEMENT', relatedTo: ['lip-01'] },
      { key: 'lip-06', at: 7, feedId: 'bf-police', place: 'Gorom-Gorom', kind: 'ATTACK' },
      { key: 'lip-07', at: 8.5, feedId: 'ne-police', place: 'Tillabéri', kind: 'KIDNAPPING' },
      { key: 'lip-08', at: 10, feedId: 'ml-gendarmerie', place: 'Ménaka', kind: 'ARMED_CLASH' },
      { key: 'lip-09', at: 11.5, feedId: 'bf-police', place: 'Dori', kind: 'IED' },
      { key: 'lip-10', at: 13, feedId: 'ne-police', place: 'Ouallam', kind: 'ABDUCTION' },
      { key: 'lip-11', at: 14.5, feedId: 'ml-gendarmerie', place: 'Anderamboukane', kind: 'ATTACK' },
      { key: 'lip-12', at: 16, feedId: 'bf-police', place: 'Arbinda', kind: 'ARMED_GROUP_MOVEMENT' },
      { key: 'lip-13', at: 17.5, feedId: 'ne-police', place: 'Banibangou', kind: 'ATTACK' },
      { key: 'lip-14', at: 19, feedId: 'ml-police', place: 'Labbezanga', kind: 'ARMED_GROUP_MOVEMENT', relatedTo: ['lip-02'] },
      // Reported 3.5 days later, when the Sebba post got its radio back: beyond a short allowed lateness.
      { key: 'lip-15', at: 20.5, feedId: 'bf-police', place: 'Sebba', kind: 'ATTACK', reportedAfterHours: 84 },
    ],
    expectation: {
      zoneKeys: ['HOTSPOT:HS-LIPTAKO-GOURMA'],
      alsoLikely: ['HOTSPOT:HS-MENAKA-TILLABERI', 'ROUTE:RT-GAO-NIAMEY', 'SECTION:ML-NE-*', 'SECTION:BF-NE-*', 'COUNTRY:ML', 'COUNTRY:NE', 'COUNTRY:BF'],
      countThreshold: true,
      corroboration: true,
      why: '14 on-time reports in 19 h from ml-police, ml-gendarmerie, ne-police and bf-police (three source countries), plus one bf-police report 3.5 days late; the zone is quiet again for the last week, so the alert should cool and resolve',
    },
  },
  {
    id: 'ml-mr-movement',
    area: 'ML_MR_BORDER',
    title: 'Mali–Mauritania border strip: an armed column moving west along the border over 36 h, seen from both sides, ending in cattle raids',
    startsAt: -10 * 24,
    events: [
      { key: 'mr-01', at: 0, feedId: 'mr-gendarmerie', place: 'Fassala', kind: 'ARMED_GROUP_MOVEMENT', geoPrecision: 2 },
      { key: 'mr-02', at: 9, feedId: 'ml-gendarmerie', place: 'Léré', kind: 'ARMED_GROUP_MOVEMENT', relatedTo: ['mr-01'] },
      { key: 'mr-03', at: 18, feedId: 'mr-gendarmerie', place: 'Adel Bagrou', kind: 'ARMED_GROUP_MOVEMENT' },
      { key: 'mr-04', at: 27, feedId: 'ml-gendarmerie', place: 'Nara', kind: 'CATTLE' },
      { key: 'mr-05', at: 36, feedId: 'mr-gendarmerie', place: 'Kobenni', kind: 'CATTLE' },
    ],
    expectation: {
      zoneKeys: ['HOTSPOT:HS-ML-MR-BORDER'],
      alsoLikely: ['SECTION:ML-MR-*', 'COUNTRY:ML', 'COUNTRY:MR'],
      countThreshold: false,
      corroboration: true,
      why: '5 reports in 36 h but never more than 3 in 24 h: below the count threshold; reported by both Mauritania and Mali, so a cross-border corroboration rule fires',
    },
  },
  {
    id: 'paga-reclassified',
    area: 'SOUTHERN_BORDERS',
    title: 'Paga (Ghana–Burkina Faso): a group crossing later reclassified as child trafficking',
    startsAt: -15 * 24,
    events: [{ key: 'paga-01', at: 0, feedId: 'gh-immigration', place: 'Paga', kind: 'IRREGULAR_CROSSING' }],
  },
];

export type RevisionChange = 'RAISE_TOLL' | 'CORRECT_QUANTITY' | 'REFINE_LOCATION' | 'RECLASSIFY' | 'RETRACT';

export interface RevisionDesign {
  readonly key: string;
  readonly afterHours: number;
  readonly change: RevisionChange;
  /** Appended to the original notes; {toll}, {qty}, {place} are filled in. */
  readonly note: { readonly fr: string; readonly en: string };
}

export const REVISIONS: readonly RevisionDesign[] = [
  {
    key: 'lip-01', afterHours: 14, change: 'RAISE_TOLL',
    note: { fr: 'Mise à jour: bilan revu à {toll} après recensement sur place.', en: 'Update: toll revised to {toll} after an on-site count.' },
  },
  {
    key: 'fal-12', afterHours: 6, change: 'CORRECT_QUANTITY',
    note: { fr: 'Mise à jour: quantité corrigée à {qty} après pesée officielle.', en: 'Update: quantity corrected to {qty} after official weighing.' },
  },
  {
    key: 'mr-01', afterHours: 10, change: 'REFINE_LOCATION',
    note: { fr: 'Mise à jour: position précisée, la colonne a été observée à {place}.', en: 'Update: position refined, the column was seen at {place}.' },
  },
  {
    key: 'paga-01', afterHours: 26, change: 'RECLASSIFY',
    note: { fr: "Mise à jour: requalifié en traite d'enfants après audition du groupe.", en: 'Update: reclassified as child trafficking after interviews with the group.' },
  },
  {
    key: 'fal-07', afterHours: 8, change: 'RETRACT',
    note: {
      fr: 'Signalement retiré: la colonne signalée était une patrouille des forces de défense et de sécurité.',
      en: 'Report withdrawn: the column reported was a patrol of the national defence and security forces.',
    },
  },
];

/** Which feed sends each malformed line (labels of MALFORMATIONS in libs/testing). */
export const MALFORMED_FEEDS: Readonly<Record<string, string>> = {
  'not-json-truncated': 'ne-police',
  'not-json-csv': 'mr-gendarmerie',
  'missing-occurredAt': 'bf-police',
  'lat-out-of-range': 'ml-police',
  'unknown-category': 'sn-police',
  'subcategory-not-in-category': 'bj-police',
  'occurred-after-reported': 'gh-immigration',
  'reported-in-future': 'ml-gendarmerie',
  'fatalities-min-gt-max': 'ne-police',
  'feed-country-mismatch': 'ml-police',
  'amber-strict-without-recipients': 'sn-police',
  'unknown-field': 'ci-police',
  'timestamp-not-iso': 'mr-gendarmerie',
};

/** How each feed numbers its reports (the sourceEventId prefix). */
export const SOURCE_ID_PREFIX: Readonly<Record<string, string>> = {
  'ml-police': 'ML-PF-2026-',
  'ml-gendarmerie': 'ML-GN-2026-',
  'sn-police': 'SN-DPAF-2026-',
  'mr-gendarmerie': 'MR-GN-2026-',
  'bf-police': 'BF-PN-2026-',
  'ne-police': 'NE-PN-2026-',
  'bj-police': 'BJ-PR-2026-',
  'gh-immigration': 'GIS-2026-',
  'ci-police': 'CI-PN-2026-',
};
