import { categorySpec, isAlertEnd, type AlertLevel, type AlertStatus, type AlertSummary } from '@vigie/contracts';
import type { Text } from './rule-kinds';

const LEVEL_FR: Readonly<Record<AlertLevel, string>> = { LOW: 'faible', MEDIUM: 'moyen', HIGH: 'élevé', CRITICAL: 'critique' };
const MAX_CATEGORIES_NAMED = 3;

export interface AlertTextInput {
  readonly zoneName: Text;
  readonly status: AlertStatus;
  readonly level: AlertLevel;
  /** The score read the rule kind's way, e.g. {en: "7 incidents in 72 h", fr: "7 incidents en 72 h"}. */
  readonly measure: Text;
  /** Threshold of `level` (active) or of LOW (ended). */
  readonly threshold: number;
  /** True while the level is held by hysteresis above what the score now reaches. */
  readonly held: boolean;
  readonly countsByCategory: Readonly<Record<string, number>>;
  readonly countries: readonly string[];
  readonly firstSeen: number;
  /** Contributors listed / counted, when the alert lists fewer than it counts. */
  readonly listed: number;
  readonly counted: number;
  /** Kind-specific detail appended to the sentence (silent feeds named), if any. */
  readonly detail?: Text;
}

const utcMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Smuggling 4, Kidnapping 3, …": the largest categories first, in the reader's language. */
function categoryList(counts: Readonly<Record<string, number>>, lang: 'en' | 'fr'): string {
  // Ties by code, in code-point order: the host's locale must not change what is published.
  const ranked = Object.entries(counts).sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1));
  const named = ranked.slice(0, MAX_CATEGORIES_NAMED).map(([c, n]) => `${categorySpec(c)?.label[lang] ?? c} ${n}`);
  return ranked.length > MAX_CATEGORIES_NAMED ? `${named.join(', ')}, …` : named.join(', ');
}

/** One line for the machine-minded reader: the measure against the threshold that decided the level. */
export function explanationOf(t: AlertTextInput): string {
  const listing = t.listed < t.counted ? ` (${t.listed} of ${t.counted} incidents listed)` : '';
  const detail = t.detail ? `; ${t.detail.en}` : '';
  if (t.status === 'RETRACTED') return `${t.measure.en} < ${t.threshold} (LOW) once its evidence was retracted or located elsewhere: retracted${detail}`;
  if (t.status === 'RESOLVED') return `${t.measure.en} < ${t.threshold} (LOW): resolved${detail}`;
  if (t.held) return `${t.measure.en} ≥ ${t.threshold} (${t.level}) in the window shown; held for the dwell time, the score is lower now${listing}${detail}`;
  return `${t.measure.en} ≥ ${t.threshold} (${t.level})${listing}${detail}`;
}

/** One short sentence per language: zone, level, counts, countries, since when. */
export function summaryOf(t: AlertTextInput): AlertSummary {
  const detail = (lang: 'en' | 'fr'): string => (t.detail ? ` ${t.detail[lang]}` : '');
  if (isAlertEnd(t.status)) {
    // What is left, against the LOW threshold; a retraction says that reports retracted, or corrected
    // to another place (zone-withdrawal.ts), took it there.
    const after = t.status === 'RETRACTED' ? { en: ' once reports were retracted or located elsewhere', fr: ' après le retrait ou la relocalisation de signalements' } : { en: '', fr: '' };
    const verb = t.status === 'RETRACTED' ? { en: 'retracted', fr: 'annulation' } : { en: 'resolved', fr: 'fin' };
    return {
      en: `${t.zoneName.en}: ${t.level} alert ${verb.en} — ${t.measure.en}, below the LOW threshold of ${t.threshold}${after.en}.${detail('en')}`,
      fr: `${t.zoneName.fr} : ${verb.fr} de l'alerte de niveau ${LEVEL_FR[t.level]} — ${t.measure.fr}, sous le seuil bas de ${t.threshold}${after.fr}.${detail('fr')}`,
    };
  }
  const countries = t.countries.join(', ');
  const since = utcMinute(t.firstSeen);
  const cats = { en: categoryList(t.countsByCategory, 'en'), fr: categoryList(t.countsByCategory, 'fr') };
  const what = (lang: 'en' | 'fr'): string => (cats[lang] ? `${t.measure[lang]} (${cats[lang]})` : t.measure[lang]);
  const by = countries ? { en: ` reported by ${countries}`, fr: ` signalés par ${countries}` } : { en: '', fr: '' };
  return {
    en: `${t.zoneName.en}: ${t.level} alert — ${what('en')}${by.en} since ${since}.${detail('en')}`,
    fr: `${t.zoneName.fr} : alerte de niveau ${LEVEL_FR[t.level]} — ${what('fr')}${by.fr} depuis le ${since}.${detail('fr')}`,
  };
}
