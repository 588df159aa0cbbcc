import { categorySpec, type AlertLevel, type AlertStatus, type AlertSummary } from '@vigie/contracts';

const LEVEL_FR: Readonly<Record<AlertLevel, string>> = { LOW: 'faible', MEDIUM: 'moyen', HIGH: 'élevé', CRITICAL: 'critique' };
const MAX_CATEGORIES_NAMED = 3;

export interface AlertTextInput {
  readonly zoneName: string;
  readonly status: AlertStatus;
  readonly level: AlertLevel;
  /** The score read the rule kind's way, e.g. {en: "7 incidents in 72 h", fr: "7 incidents en 72 h"}. */
  readonly measure: { readonly en: string; readonly fr: string };
  /** Threshold of `level` (firing) or of LOW (resolved). */
  readonly threshold: number;
  readonly countsByCategory: Readonly<Record<string, number>>;
  readonly countries: readonly string[];
  readonly firstSeen: number;
}

const utcMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Smuggling 4, Kidnapping 3, …": the largest categories first, in the reader's language. */
function categoryList(counts: Readonly<Record<string, number>>, lang: 'en' | 'fr'): string {
  const ranked = Object.entries(counts).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  const named = ranked.slice(0, MAX_CATEGORIES_NAMED).map(([c, n]) => `${categorySpec(c)?.label[lang] ?? c} ${n}`);
  return ranked.length > MAX_CATEGORIES_NAMED ? `${named.join(', ')}, …` : named.join(', ');
}

/** One line for the machine-minded reader: the measure against the threshold that decided the level. */
export function explanationOf(t: AlertTextInput): string {
  return t.status === 'RESOLVED' ? `${t.measure.en} < ${t.threshold} (LOW): resolved` : `${t.measure.en} ≥ ${t.threshold} (${t.level})`;
}

/** One short sentence per language: zone, level, counts, countries, since when. */
export function summaryOf(t: AlertTextInput): AlertSummary {
  if (t.status === 'RESOLVED') {
    return {
      en: `${t.zoneName}: ${t.level} alert resolved — ${t.measure.en}, below the LOW threshold of ${t.threshold}.`,
      fr: `${t.zoneName} : fin de l'alerte de niveau ${LEVEL_FR[t.level]} — ${t.measure.fr}, sous le seuil bas de ${t.threshold}.`,
    };
  }
  const countries = t.countries.join(', ');
  const since = utcMinute(t.firstSeen);
  return {
    en: `${t.zoneName}: ${t.level} alert — ${t.measure.en} (${categoryList(t.countsByCategory, 'en')}) reported by ${countries} since ${since}.`,
    fr: `${t.zoneName} : alerte de niveau ${LEVEL_FR[t.level]} — ${t.measure.fr} (${categoryList(t.countsByCategory, 'fr')}) signalés par ${countries} depuis le ${since}.`,
  };
}
