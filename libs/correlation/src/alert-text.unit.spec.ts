import { describe, expect, it } from 'vitest';
import { summaryOf, type AlertTextInput } from './alert-text';
import { countText } from './rule-kinds/rule-kind';

const ended = (status: 'RESOLVED' | 'RETRACTED', remaining: number): AlertTextInput => ({
  zoneName: { en: 'Falémé valley', fr: 'Vallée de la Falémé' },
  status,
  level: 'LOW',
  measure: { en: `${countText(remaining, 'incident', 'incident').en} in 72 h`, fr: `${countText(remaining, 'incident', 'incident').fr} en 72 h` },
  threshold: 3,
  held: false,
  countsByCategory: {},
  countries: ['ML'],
  firstSeen: 0,
  listed: remaining,
  counted: remaining,
});

describe('alert text of an end', () => {
  it('says what is left against the LOW threshold, and that retracted reports took it there', () => {
    expect(summaryOf(ended('RETRACTED', 2))).toEqual({
      en: 'Falémé valley: LOW alert retracted — 2 incidents in 72 h, below the LOW threshold of 3 once reports were retracted or located elsewhere.',
      fr: 'Vallée de la Falémé : annulation de l\'alerte de niveau faible — 2 incidents en 72 h, sous le seuil bas de 3 après le retrait ou la relocalisation de signalements.',
    });
    expect(summaryOf(ended('RESOLVED', 0))).toEqual({
      en: 'Falémé valley: LOW alert resolved — 0 incidents in 72 h, below the LOW threshold of 3.',
      fr: 'Vallée de la Falémé : fin de l\'alerte de niveau faible — 0 incident en 72 h, sous le seuil bas de 3.',
    });
  });

  it('counts in each language\'s grammar: the French singular below 2', () => {
    expect([0, 1, 1.5, 2].map((n) => countText(n, 'incident', 'incident'))).toEqual([
      { en: '0 incidents', fr: '0 incident' },
      { en: '1 incident', fr: '1 incident' },
      { en: '1.5 incidents', fr: '1,5 incident' },
      { en: '2 incidents', fr: '2 incidents' },
    ]);
  });
});
