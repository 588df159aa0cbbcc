import { describe, expect, it } from 'vitest';
import { evidenceMoved, SMALL_ALERT, type AlertState } from './alert-state';

const busy: AlertState = {
  alertId: 'a', version: 3, status: 'UPDATED', level: 'LOW', tlp: 'GREEN',
  countries: ['ML', 'SN'], count: SMALL_ALERT * 2, digest: 7, listed: [], episodeFrom: 0, episodeTo: null,
};
const counts = (...countries: string[]): Map<string, number> => new Map(countries.map((c) => [c, 1]));

describe('evidenceMoved', () => {
  it('compares source countries as a set: another country moves a busy alert, the same ones in any order do not', () => {
    const same = { tlp: 'GREEN' as const, count: busy.count + 1, digest: 8 };
    expect(evidenceMoved(busy, { ...same, countries: counts('SN', 'ML') }, false)).toBe(false);
    expect(evidenceMoved(busy, { ...same, countries: counts('ML', 'NE') }, false)).toBe(true);
    expect(evidenceMoved(busy, { ...same, countries: counts('ML') }, false)).toBe(true);
    expect(evidenceMoved(busy, { ...same, countries: counts('ML', 'SN', 'NE') }, false)).toBe(true);
  });
});
