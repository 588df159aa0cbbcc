import type { AlertLevel, AlertStatus, RegionalAlert } from '@vigie/contracts';

/**
 * What an agency not entitled to an alert's details still learns: which zone is on alert, at what
 * level, under which rule and window. Everything that could identify an event or the countries
 * that reported it is removed.
 */
export const REDACTED_FIELDS = [
  'score',
  'explanation',
  'countsByCategory',
  'contributingEventIds',
  'distinctSourceCountries',
  'summary',
] as const;

const LEVEL_FR: Record<AlertLevel, string> = { LOW: 'faible', MEDIUM: 'moyen', HIGH: 'élevé', CRITICAL: 'critique' };
const STATUS_FR: Record<AlertStatus, string> = { FIRING: 'déclenchée', UPDATED: 'mise à jour', RESOLVED: 'levée', RETRACTED: 'retirée' };

export const WITHHELD_EN = 'details withheld under the sharing policy';
export const WITHHELD_FR = 'détails non communiqués en application de la politique de partage';

export function redact(alert: RegionalAlert): { alert: RegionalAlert; redactedFields: string[] } {
  const en = `${alert.zone.name}: alert ${alert.status.toLowerCase()}, level ${alert.level}; ${WITHHELD_EN}.`;
  const fr = `${alert.zone.name} : alerte ${STATUS_FR[alert.status]}, niveau ${LEVEL_FR[alert.level]} ; ${WITHHELD_FR}.`;
  return {
    alert: {
      ...alert,
      score: 0,
      explanation: en,
      countsByCategory: {},
      contributingEventIds: [],
      distinctSourceCountries: [],
      summary: { fr, en },
    },
    redactedFields: [...REDACTED_FIELDS],
  };
}
