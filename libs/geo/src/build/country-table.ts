import type { BBox, LocalizedName } from '../types';

export interface CountryEntry {
  readonly code: string;
  readonly name: LocalizedName;
  readonly inRegion: boolean;
}

/**
 * The layers' extent: the region's 17 countries plus the sea and islands migrants cross (Cabo
 * Verde, the Canaries, Madeira) and the Mediterranean shore. Every country with land inside it is
 * kept (clipped to it), so that inside it "no country" really means "at sea".
 */
export const REFERENCE_EXTENT: BBox = [-26, 2, 26, 38];

const entry = (code: string, en: string, fr: string, inRegion = false): CountryEntry => ({ code, name: { en, fr }, inRegion });

/**
 * ISO 3166-1 numeric (as world-atlas ids them) → alpha-2 and names, for every country with land in
 * REFERENCE_EXTENT. inRegion marks the region's countries (those whose agencies feed Vigie).
 */
export const COUNTRY_TABLE: Readonly<Record<string, CountryEntry>> = {
  '012': entry('DZ', 'Algeria', 'Algérie', true),
  '204': entry('BJ', 'Benin', 'Bénin', true),
  '854': entry('BF', 'Burkina Faso', 'Burkina Faso', true),
  '148': entry('TD', 'Chad', 'Tchad', true),
  '384': entry('CI', "Côte d'Ivoire", "Côte d'Ivoire", true),
  '270': entry('GM', 'The Gambia', 'Gambie', true),
  '288': entry('GH', 'Ghana', 'Ghana', true),
  '324': entry('GN', 'Guinea', 'Guinée', true),
  '624': entry('GW', 'Guinea-Bissau', 'Guinée-Bissau', true),
  '430': entry('LR', 'Liberia', 'Libéria', true),
  '466': entry('ML', 'Mali', 'Mali', true),
  '478': entry('MR', 'Mauritania', 'Mauritanie', true),
  '562': entry('NE', 'Niger', 'Niger', true),
  '566': entry('NG', 'Nigeria', 'Nigéria', true),
  '686': entry('SN', 'Senegal', 'Sénégal', true),
  '694': entry('SL', 'Sierra Leone', 'Sierra Leone', true),
  '768': entry('TG', 'Togo', 'Togo', true),
  '132': entry('CV', 'Cabo Verde', 'Cap-Vert'),
  '120': entry('CM', 'Cameroon', 'Cameroun'),
  '140': entry('CF', 'Central African Republic', 'République centrafricaine'),
  '178': entry('CG', 'Congo', 'Congo'),
  '180': entry('CD', 'DR Congo', 'RD Congo'),
  '226': entry('GQ', 'Equatorial Guinea', 'Guinée équatoriale'),
  '266': entry('GA', 'Gabon', 'Gabon'),
  '434': entry('LY', 'Libya', 'Libye'),
  '504': entry('MA', 'Morocco', 'Maroc'),
  '732': entry('EH', 'Western Sahara', 'Sahara occidental'),
  '788': entry('TN', 'Tunisia', 'Tunisie'),
  '818': entry('EG', 'Egypt', 'Égypte'),
  '728': entry('SS', 'South Sudan', 'Soudan du Sud'),
  '729': entry('SD', 'Sudan', 'Soudan'),
  '724': entry('ES', 'Spain', 'Espagne'),
  '620': entry('PT', 'Portugal', 'Portugal'),
  '380': entry('IT', 'Italy', 'Italie'),
  '470': entry('MT', 'Malta', 'Malte'),
  '300': entry('GR', 'Greece', 'Grèce'),
  '792': entry('TR', 'Türkiye', 'Turquie'),
};
