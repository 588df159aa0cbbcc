/**
 * Event taxonomy: ACLED's event types and sub-event types (codebook 2023), extended with the
 * border crime that border agencies report. Category and sub-category travel as strings, so the
 * table can grow without a schema change; ingest validates against it.
 *
 * Severity (0–1) weighs an event in correlation scores: mass-casualty violence near 1, routine
 * irregular crossings and peaceful protests near 0.1.
 */

export interface Label {
  readonly en: string;
  readonly fr: string;
}

export interface SubCategorySpec {
  readonly severity: number;
  readonly label: Label;
}

export interface CategorySpec {
  readonly label: Label;
  /** Where the category comes from: ACLED's codebook, or Vigie's border-crime extension. */
  readonly origin: 'ACLED' | 'VIGIE';
  /** Seizure-type categories must say what was seized (IncidentReport.commodity). */
  readonly requiresCommodity: boolean;
  readonly subCategories: Readonly<Record<string, SubCategorySpec>>;
}

const sub = (severity: number, en: string, fr: string): SubCategorySpec => ({ severity, label: { en, fr } });

export const TAXONOMY = {
  BATTLES: {
    label: { en: 'Battles', fr: 'Affrontements' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      ARMED_CLASH: sub(0.8, 'Armed clash', 'Affrontement armé'),
      GOVERNMENT_REGAINS_TERRITORY: sub(0.6, 'Government regains territory', "Reprise de territoire par l'État"),
      NON_STATE_ACTOR_OVERTAKES_TERRITORY: sub(0.9, 'Non-state actor overtakes territory', "Prise de territoire par un acteur non étatique"),
    },
  },
  EXPLOSIONS_REMOTE_VIOLENCE: {
    label: { en: 'Explosions/Remote violence', fr: 'Explosions/Violence à distance' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      CHEMICAL_WEAPON: sub(1, 'Chemical weapon', 'Arme chimique'),
      AIR_DRONE_STRIKE: sub(0.8, 'Air/drone strike', 'Frappe aérienne/de drone'),
      SUICIDE_BOMB: sub(1, 'Suicide bomb', 'Attentat-suicide'),
      SHELLING_ARTILLERY_MISSILE_ATTACK: sub(0.8, 'Shelling/artillery/missile attack', "Bombardement/tir d'artillerie/de missile"),
      REMOTE_EXPLOSIVE_LANDMINE_IED: sub(0.9, 'Remote explosive/landmine/IED', 'Engin explosif/mine/EEI'),
      GRENADE: sub(0.7, 'Grenade', 'Grenade'),
    },
  },
  VIOLENCE_AGAINST_CIVILIANS: {
    label: { en: 'Violence against civilians', fr: 'Violence contre les civils' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      SEXUAL_VIOLENCE: sub(0.8, 'Sexual violence', 'Violence sexuelle'),
      ATTACK: sub(0.9, 'Attack', 'Attaque'),
      ABDUCTION_FORCED_DISAPPEARANCE: sub(0.8, 'Abduction/forced disappearance', 'Enlèvement/disparition forcée'),
    },
  },
  PROTESTS: {
    label: { en: 'Protests', fr: 'Manifestations' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      PEACEFUL_PROTEST: sub(0.1, 'Peaceful protest', 'Manifestation pacifique'),
      PROTEST_WITH_INTERVENTION: sub(0.2, 'Protest with intervention', 'Manifestation avec intervention'),
      EXCESSIVE_FORCE_AGAINST_PROTESTERS: sub(0.5, 'Excessive force against protesters', 'Usage excessif de la force contre des manifestants'),
    },
  },
  RIOTS: {
    label: { en: 'Riots', fr: 'Émeutes' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      VIOLENT_DEMONSTRATION: sub(0.4, 'Violent demonstration', 'Manifestation violente'),
      MOB_VIOLENCE: sub(0.5, 'Mob violence', 'Violence collective'),
    },
  },
  STRATEGIC_DEVELOPMENTS: {
    label: { en: 'Strategic developments', fr: 'Évolutions stratégiques' },
    origin: 'ACLED',
    requiresCommodity: false,
    subCategories: {
      AGREEMENT: sub(0.1, 'Agreement', 'Accord'),
      ARREST: sub(0.3, 'Arrest', 'Arrestation'),
      CHANGE_TO_GROUP_ACTIVITY: sub(0.4, 'Change to group/activity', "Changement de groupe/d'activité"),
      DISRUPTED_WEAPONS_USE: sub(0.5, 'Disrupted weapons use', "Usage d'armes déjoué"),
      HEADQUARTERS_OR_BASE_ESTABLISHED: sub(0.6, 'Headquarters or base established', 'Établissement de quartier général ou de base'),
      LOOTING_PROPERTY_DESTRUCTION: sub(0.5, 'Looting/property destruction', 'Pillage/destruction de biens'),
      NON_VIOLENT_TRANSFER_OF_TERRITORY: sub(0.6, 'Non-violent transfer of territory', 'Transfert non violent de territoire'),
      OTHER: sub(0.2, 'Other', 'Autre'),
    },
  },
  SMUGGLING: {
    label: { en: 'Smuggling', fr: 'Contrebande' },
    origin: 'VIGIE',
    requiresCommodity: true,
    subCategories: {
      ARMS: sub(0.8, 'Arms and ammunition', "Armes et munitions"),
      DRUGS: sub(0.6, 'Drugs', 'Stupéfiants'),
      FUEL: sub(0.3, 'Fuel', 'Carburant'),
      CATTLE: sub(0.4, 'Cattle', 'Bétail'),
      GOODS: sub(0.2, 'Goods', 'Marchandises'),
      GOLD: sub(0.4, 'Gold', 'Or'),
      MEDICINES: sub(0.4, 'Medicines', 'Médicaments'),
    },
  },
  MIGRANT_SMUGGLING: {
    label: { en: 'Migrant smuggling', fr: 'Trafic illicite de migrants' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      LAND_CONVOY: sub(0.4, 'Land convoy', 'Convoi terrestre'),
      SEA_DEPARTURE: sub(0.5, 'Sea departure', 'Départ par mer'),
      SAFE_HOUSE: sub(0.4, 'Safe house (ghetto)', 'Lieu de regroupement (ghetto)'),
      OTHER: sub(0.3, 'Other', 'Autre'),
    },
  },
  HUMAN_TRAFFICKING: {
    label: { en: 'Human trafficking', fr: 'Traite des personnes' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      SEXUAL_EXPLOITATION: sub(0.7, 'Sexual exploitation', 'Exploitation sexuelle'),
      FORCED_LABOUR: sub(0.6, 'Forced labour', 'Travail forcé'),
      CHILD_TRAFFICKING: sub(0.8, 'Child trafficking', "Traite d'enfants"),
      FORCED_RECRUITMENT: sub(0.8, 'Forced recruitment by armed groups', 'Recrutement forcé par des groupes armés'),
      OTHER: sub(0.5, 'Other', 'Autre'),
    },
  },
  IRREGULAR_CROSSING: {
    label: { en: 'Irregular border crossing', fr: 'Franchissement irrégulier de frontière' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      INDIVIDUAL: sub(0.1, 'Individual', 'Individuel'),
      GROUP: sub(0.2, 'Group', 'Groupe'),
      VEHICLE: sub(0.2, 'Vehicle', 'Véhicule'),
      TRANSHUMANCE: sub(0.2, 'Transhumance outside agreed corridors', 'Transhumance hors couloirs convenus'),
    },
  },
  DOCUMENT_FRAUD: {
    label: { en: 'Document fraud', fr: 'Fraude documentaire' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      FORGED_DOCUMENT: sub(0.2, 'Forged or counterfeit document', 'Document falsifié ou contrefait'),
      IMPOSTOR: sub(0.2, 'Genuine document used by an impostor', 'Document authentique utilisé par un imposteur'),
      FRAUDULENTLY_OBTAINED: sub(0.2, 'Fraudulently obtained document', 'Document obtenu frauduleusement'),
      OTHER: sub(0.1, 'Other', 'Autre'),
    },
  },
  KIDNAPPING: {
    label: { en: 'Kidnapping', fr: 'Enlèvement' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      FOR_RANSOM: sub(0.8, 'Kidnapping for ransom', 'Enlèvement contre rançon'),
      HOSTAGE_TAKING: sub(0.9, 'Hostage taking by an armed group', "Prise d'otages par un groupe armé"),
      MASS_ABDUCTION: sub(1, 'Mass abduction', 'Enlèvement de masse'),
      OTHER: sub(0.7, 'Other', 'Autre'),
    },
  },
  ARMED_GROUP_MOVEMENT: {
    label: { en: 'Armed group movement', fr: 'Mouvement de groupe armé' },
    origin: 'VIGIE',
    requiresCommodity: false,
    subCategories: {
      CONVOY: sub(0.7, 'Convoy of armed men', "Convoi d'hommes armés"),
      CAMP: sub(0.6, 'Camp or staging area', 'Campement ou zone de regroupement'),
      ILLEGAL_CHECKPOINT: sub(0.6, 'Illegal checkpoint or levy', 'Barrage ou prélèvement illégal'),
      RECRUITMENT: sub(0.5, 'Recruitment or preaching', 'Recrutement ou prêche'),
      OTHER: sub(0.5, 'Other', 'Autre'),
    },
  },
} as const satisfies Readonly<Record<string, CategorySpec>>;

export type Category = keyof typeof TAXONOMY;
export const CATEGORIES = Object.keys(TAXONOMY) as Category[];

/** Weight of a pair this code does not know (a newer taxonomy upstream): counted, at a middle weight. */
export const UNKNOWN_SEVERITY = 0.5;

const categoryTable: ReadonlyMap<string, CategorySpec> = new Map(Object.entries(TAXONOMY));

export function categorySpec(category: string): CategorySpec | undefined {
  return categoryTable.get(category);
}

export function subCategorySpec(category: string, subCategory: string): SubCategorySpec | undefined {
  const subs = categoryTable.get(category)?.subCategories;
  return subs && Object.hasOwn(subs, subCategory) ? subs[subCategory] : undefined;
}

export function severityOf(category: string, subCategory: string): number {
  return subCategorySpec(category, subCategory)?.severity ?? UNKNOWN_SEVERITY;
}
