import type { AlertDelivery } from '@vigie/contracts';
import { DEFAULT_REDACTION, redact, sampleRegionalAlert } from '@vigie/sharing';
import { describe, expect, it } from 'vitest';
import { renderDelivery } from './render-alert';

const alert = sampleRegionalAlert();
const full: AlertDelivery = {
  deliveryId: `sn-douanes:${alert.alertId}:${alert.version}`, agencyId: 'sn-douanes', subscriptionId: 'sn-faleme',
  redacted: false, redactedFields: [], alert, deliveredAt: Date.UTC(2025, 2, 14, 10, 1),
};
const redactedCopy = (keep: AlertDelivery['redactedFields'] = DEFAULT_REDACTION.keep): AlertDelivery => {
  const { alert: withheld, redactedFields } = redact(alert, { keep, withholdFactFor: [] });
  return { ...full, redacted: true, redactedFields, alert: withheld };
};

describe('renderDelivery', () => {
  it('shows none of the stand-ins of withheld fields, and names them once', () => {
    const { redactedFields } = redactedCopy();
    expect(renderDelivery(redactedCopy(), 'en')).toBe([
      '[HIGH] UPDATED Falémé (Kayes – Saraya) (SECTION ML-SN-003) — alert SECTION:ML-SN-003:smuggling-threshold v3, was MEDIUM — TLP:AMBER',
      '  rule smuggling-threshold (threshold), window 2025-03-12T10:00:00Z → 2025-03-14T10:00:00Z',
      `  details withheld under the sharing policy: ${redactedFields.join(', ')}`,
      '  delivered to sn-douanes by subscription sn-faleme at 2025-03-14T10:01:00Z',
    ].join('\n'));
    expect(redactedFields).toEqual(expect.arrayContaining(['score', 'summary', 'countsByCategory', 'distinctSourceCountries', 'contributingEventIds']));
  });

  it('shows no rule, window or score when the policy keeps nothing optional', () => {
    const { redactedFields } = redactedCopy([]);
    expect(renderDelivery(redactedCopy([]), 'en')).toBe([
      '[HIGH] UPDATED Falémé (Kayes – Saraya) (SECTION ML-SN-003) — alert SECTION:ML-SN-003:smuggling-threshold v3 — TLP:AMBER',
      `  details withheld under the sharing policy: ${redactedFields.join(', ')}`,
      '  delivered to sn-douanes by subscription sn-faleme at 2025-03-14T10:01:00Z',
    ].join('\n'));
  });

  it('shows what a policy keeps beyond the default', () => {
    const text = renderDelivery(redactedCopy(['score', 'countsByCategory']), 'en');
    expect(text).toContain('  score 2.4\n');
    expect(text).toContain('  SMUGGLING=2 ARMED_GROUP_MOVEMENT=1\n');
    expect(text).not.toContain('countries');
  });

  it('always shows the TLP marking, as TLP 2.0 writes it', () => {
    expect(renderDelivery(redactedCopy([]), 'en').split('\n')[0]).toMatch(/ — TLP:AMBER$/);
    expect(renderDelivery({ ...full, alert: { ...alert, tlp: 'AMBER_STRICT' } }, 'fr')).toContain('TLP:AMBER+STRICT');
  });

  it('shows a full delivery entire', () => {
    expect(renderDelivery(full, 'en')).toBe([
      '[HIGH] UPDATED Falémé (Kayes – Saraya) (SECTION ML-SN-003) — alert SECTION:ML-SN-003:smuggling-threshold v3, was MEDIUM — TLP:AMBER',
      `  ${alert.summary.en}`,
      '  rule smuggling-threshold (threshold), window 2025-03-12T10:00:00Z → 2025-03-14T10:00:00Z, score 2.4',
      '  countries ML; SMUGGLING=2 ARMED_GROUP_MOVEMENT=1',
      '  events ml-dgpc:KAY-2025-0311, ml-dgpc:KAY-2025-0312, ml-dgpc:KAY-2025-0313',
      '  delivered to sn-douanes by subscription sn-faleme at 2025-03-14T10:01:00Z',
    ].join('\n'));
  });

  it('labels in French with --lang fr', () => {
    expect(renderDelivery(full, 'fr')).toBe([
      '[HIGH] UPDATED Falémé (Kayes – Saraya) (SECTION ML-SN-003) — alerte SECTION:ML-SN-003:smuggling-threshold v3, précédemment MEDIUM — TLP:AMBER',
      `  ${alert.summary.fr}`,
      '  règle smuggling-threshold (threshold), fenêtre 2025-03-12T10:00:00Z → 2025-03-14T10:00:00Z, score 2.4',
      '  pays ML; SMUGGLING=2 ARMED_GROUP_MOVEMENT=1',
      '  événements ml-dgpc:KAY-2025-0311, ml-dgpc:KAY-2025-0312, ml-dgpc:KAY-2025-0313',
      '  remise à sn-douanes par l’abonnement sn-faleme le 2025-03-14T10:01:00Z',
    ].join('\n'));
    expect(renderDelivery(redactedCopy(), 'fr')).toContain('  détails non communiqués en application de la politique de partage : firstSeen, ');
  });
});
