import { describe, expect, it } from 'vitest';
import { redact } from './redaction';
import { sampleRegionalAlert } from './sample-data';

describe('redact', () => {
  const original = sampleRegionalAlert();
  const { alert, redactedFields } = redact(original);

  it('keeps what says that a zone is on alert', () => {
    for (const field of ['alertId', 'version', 'status', 'zone', 'level', 'previousLevel', 'rule', 'window', 'tlp', 'evaluatedAt'] as const) {
      expect(alert[field], field).toEqual(original[field]);
    }
  });

  it('removes the evidence and lists what it removed', () => {
    expect(alert.contributingEventIds).toEqual([]);
    expect(alert.distinctSourceCountries).toEqual([]);
    expect(alert.countsByCategory).toEqual({});
    expect(alert.score).toBe(0);
    expect(alert.explanation).toContain('details withheld under the sharing policy');
    expect(alert.summary.en).toContain('details withheld under the sharing policy');
    expect(alert.summary.fr).toContain('politique de partage');
    expect([...redactedFields].sort()).toEqual(
      ['contributingEventIds', 'countsByCategory', 'distinctSourceCountries', 'explanation', 'score', 'summary'],
    );
  });

  it('leaves no event id and no source country', () => {
    // Reported from Guinea, so that the zone (kept on purpose: ML, SN) cannot mask a leak.
    const fromGuinea = sampleRegionalAlert({ distinctSourceCountries: ['GN'], explanation: '2 reports from GN: gn-police:CNK-77, gn-police:CNK-78', contributingEventIds: ['gn-police:CNK-77', 'gn-police:CNK-78'] });
    expect(JSON.stringify(fromGuinea)).toMatch(/\bGN\b/);
    const text = JSON.stringify(redact(fromGuinea).alert);
    expect(text).not.toContain('CNK-7');
    expect(text).not.toMatch(/\bGN\b/);
  });

  it('does not alter the original alert', () => {
    expect(original).toEqual(sampleRegionalAlert());
  });
});
