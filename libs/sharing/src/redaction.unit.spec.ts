import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTION, KEEPABLE_FIELDS, NEVER_KEPT_FIELDS, redact } from './redaction';
import { sampleRegionalAlert } from './sample-data';

describe('redact', () => {
  const original = sampleRegionalAlert();
  const { alert, redactedFields } = redact(original);

  it('keeps what says that a zone is on alert, and what the default policy adds', () => {
    for (const field of ['alertId', 'version', 'status', 'zone', 'level', 'tlp', 'previousLevel', 'rule', 'window'] as const) {
      expect(alert[field], field).toEqual(original[field]);
    }
    expect(DEFAULT_REDACTION.keep).toEqual(['previousLevel', 'rule', 'window']);
  });

  it('empties the evidence and lists exactly what it emptied', () => {
    expect(alert).toMatchObject({
      contributingEventIds: [], distinctSourceCountries: [], countsByCategory: {}, score: 0, sourceAgencies: [], releasableTo: [],
      firstSeen: 0, lastSeen: 0, evaluatedAt: 0, latestReportedAt: 0,
    });
    expect(alert.explanation).toContain('details withheld under the sharing policy');
    expect(alert.summary.en).toBe('Falémé (Kayes – Saraya): alert updated, level HIGH; details withheld under the sharing policy.');
    expect(alert.summary.fr).toBe('Falémé (Kayes – Saraya) : alerte mise à jour, niveau élevé ; détails non communiqués en application de la politique de partage.');
    expect([...redactedFields].sort()).toEqual(
      ['contributingEventIds', 'countsByCategory', 'distinctSourceCountries', 'evaluatedAt', 'explanation', 'firstSeen', 'lastSeen', 'latestReportedAt', 'releasableTo', 'score', 'sourceAgencies', 'summary'],
    );
  });

  it('keeps what the policy says, and nothing it does not', () => {
    const keepAll = redact(original, { keep: [...KEEPABLE_FIELDS], withholdFactFor: [] });
    for (const field of KEEPABLE_FIELDS) expect(keepAll.alert[field], field).toEqual(original[field]);
    expect([...keepAll.redactedFields].sort()).toEqual([...NEVER_KEPT_FIELDS].sort());
    const keepNone = redact(original, { keep: [], withholdFactFor: [] });
    expect(keepNone.alert).toMatchObject({ previousLevel: null, rule: { id: '', kind: '' }, window: { startAt: 0, endAt: 0 } });
  });

  it('leaves no event id, source country or originating agency', () => {
    // Reported from Guinea, so that the zone (kept on purpose: ML, SN) cannot mask a leak.
    const fromGuinea = sampleRegionalAlert({
      distinctSourceCountries: ['GN'], sourceAgencies: ['gn-police'], releasableTo: ['sn-douanes'],
      explanation: '2 reports from GN: gn-police:CNK-77, gn-police:CNK-78', contributingEventIds: ['gn-police:CNK-77', 'gn-police:CNK-78'],
      summary: { en: 'Reported by GN', fr: 'Signalé par GN' },
    });
    const text = JSON.stringify(redact(fromGuinea, { keep: [...KEEPABLE_FIELDS], withholdFactFor: [] }).alert);
    expect(text).not.toContain('CNK-7');
    expect(text).not.toMatch(/\bGN\b/);
    expect(text).not.toContain('gn-police');
    expect(text).not.toContain('sn-douanes');
  });

  it('does not alter the original alert', () => {
    expect(original).toEqual(sampleRegionalAlert());
  });
});
