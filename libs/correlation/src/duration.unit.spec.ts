import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it('reads minutes, hours and days', () => {
    expect(parseDuration('90m', 'x')).toBe(90 * 60_000);
    expect(parseDuration('72h', 'x')).toBe(72 * 3_600_000);
    expect(parseDuration('7d', 'x')).toBe(7 * 86_400_000);
  });

  it.each([['72'], ['0h'], ['-3h'], ['3 weeks'], [72], [null]])('refuses %j, naming the field', (value) => {
    expect(() => parseDuration(value, 'rules[0].window', 'RULES_INVALID')).toThrow(/^rules\[0\]\.window: expected a positive duration/);
  });
});

describe('formatDuration', () => {
  it('prefers whole hours, else minutes', () => {
    expect(formatDuration(72 * 3_600_000)).toBe('72 h');
    expect(formatDuration(90 * 60_000)).toBe('90 min');
  });
});
