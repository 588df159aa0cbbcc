import type { AlertDelivery } from '@vigie/contracts';
import { TLP_MARKING, WITHHELD_EN, WITHHELD_FR } from '@vigie/sharing';

const iso = (millis: number): string => new Date(millis).toISOString().replace('.000Z', 'Z');

/** The words around the values; levels and statuses stay codes, as subscriptions and the API spell them. */
const LABELS = {
  en: {
    alert: 'alert', was: 'was', rule: 'rule', window: 'window', score: 'score', countries: 'countries', noCounts: 'no counts', events: 'events',
    withheld: (fields: string) => `${WITHHELD_EN}: ${fields}`,
    delivered: (agency: string, subscription: string, at: string) => `delivered to ${agency} by subscription ${subscription} at ${at}`,
  },
  fr: {
    alert: 'alerte', was: 'précédemment', rule: 'règle', window: 'fenêtre', score: 'score', countries: 'pays', noCounts: 'aucun décompte', events: 'événements',
    withheld: (fields: string) => `${WITHHELD_FR} : ${fields}`,
    delivered: (agency: string, subscription: string, at: string) => `remise à ${agency} par l’abonnement ${subscription} le ${at}`,
  },
} as const;

/**
 * A delivered alert as a short block an analyst can read in a terminal. A field the sharing policy
 * withheld holds an empty stand-in (a score of 0, a window at 1970), so it is never shown: one line
 * names what was withheld instead. The TLP marking is always kept, and always shown.
 */
export function renderDelivery(delivery: AlertDelivery, lang: 'fr' | 'en'): string {
  const a = delivery.alert;
  const label = LABELS[lang];
  const withheld = new Set(delivery.redactedFields);
  const shown = (field: keyof typeof a): boolean => !withheld.has(field);
  /** The parts of one line that are shown, or no line when none is. */
  const line = (separator: string, ...parts: (string | false)[]): string[] => {
    const kept = parts.filter((part): part is string => part !== false);
    return kept.length > 0 ? [`  ${kept.join(separator)}`] : [];
  };
  const counts = Object.entries(a.countsByCategory).map(([category, n]) => `${category}=${n}`).join(' ');
  const lines = [
    `[${a.level}] ${a.status} ${a.zone.name} (${a.zone.kind} ${a.zone.id}) — ${label.alert} ${a.alertId} v${a.version}${a.previousLevel && shown('previousLevel') ? `, ${label.was} ${a.previousLevel}` : ''} — ${TLP_MARKING[a.tlp]}`,
    ...line('', shown('summary') && a.summary[lang]),
    ...line(', ',
      shown('rule') && `${label.rule} ${a.rule.id} (${a.rule.kind})`,
      shown('window') && `${label.window} ${iso(a.window.startAt)} → ${iso(a.window.endAt)}`,
      shown('score') && `${label.score} ${a.score}`),
    ...line('; ',
      shown('distinctSourceCountries') && `${label.countries} ${a.distinctSourceCountries.join(', ') || '-'}`,
      shown('countsByCategory') && (counts || label.noCounts)),
    ...line('', shown('contributingEventIds') && `${label.events} ${a.contributingEventIds.join(', ') || '-'}`),
    ...line('', withheld.size > 0 && label.withheld(delivery.redactedFields.join(', '))),
    `  ${label.delivered(delivery.agencyId, delivery.subscriptionId, iso(delivery.deliveredAt))}`,
  ];
  return lines.join('\n');
}
