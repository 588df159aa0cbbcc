import { describe, expect, it } from 'vitest';
import { deriveDeliveryId } from './alert-delivery';
import { ISO_COUNTRY_CODES, isIsoCountryCode } from './countries';
import { deriveEventId, feedCountryOf, isEventId, isFeedId } from './event-id';
import { formatIsoTimestamp, parseIsoTimestamp } from './iso-time';

describe('event and delivery ids', () => {
  it('derives ids deterministically', () => {
    expect(deriveEventId('ml-douanes', 'DGD-KYS-2025-000417')).toBe('ml-douanes:DGD-KYS-2025-000417');
    expect(deriveDeliveryId('sn-douanes', 'section:ML-SN-003:mirror', 7)).toBe('sn-douanes:section:ML-SN-003:mirror:7');
  });

  it('recognises feed ids and event ids, even when the source id contains a colon', () => {
    expect(isFeedId('ml-douanes')).toBe(true);
    expect(isFeedId('bf-police-nationale')).toBe(true);
    for (const bad of ['ml', 'ml-', 'ML-douanes', 'ml--x', 'mli-douanes', `ml-${'x'.repeat(62)}`]) expect(isFeedId(bad)).toBe(false);
    expect(feedCountryOf('ne-garde-nationale')).toBe('ne');
    expect(isEventId('ml-douanes:A:1')).toBe(true);
    for (const bad of ['ml-douanes:', ':A1', 'ml-douanes:a b', 'A1']) expect(isEventId(bad)).toBe(false);
  });
});

describe('ISO 3166-1 alpha-2 codes', () => {
  it('has all 249 codes, including every country of the region', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    for (const code of ['BF', 'BJ', 'CI', 'CV', 'DZ', 'GH', 'GM', 'GN', 'GW', 'LR', 'LY', 'MA', 'ML', 'MR', 'NE', 'NG', 'SL', 'SN', 'TD', 'TG', 'CM', 'EH']) {
      expect(isIsoCountryCode(code), code).toBe(true);
    }
    for (const notIso of ['UK', 'XK', 'EU', 'ml', 'MLI']) expect(isIsoCountryCode(notIso), notIso).toBe(false);
  });
});

describe('ISO-8601 timestamps', () => {
  it('parses UTC and offset forms, with or without seconds and fractions', () => {
    expect(parseIsoTimestamp('2025-03-14T04:40:00Z')).toBe(Date.UTC(2025, 2, 14, 4, 40));
    expect(parseIsoTimestamp('2025-03-14T04:40Z')).toBe(Date.UTC(2025, 2, 14, 4, 40));
    expect(parseIsoTimestamp('2025-03-14T04:40:05.123456Z')).toBe(Date.UTC(2025, 2, 14, 4, 40, 5, 123));
    expect(parseIsoTimestamp('2025-03-14T00:30:00+01:00')).toBe(Date.UTC(2025, 2, 13, 23, 30));
    expect(parseIsoTimestamp('2025-03-13T23:00:00-01:30')).toBe(Date.UTC(2025, 2, 14, 0, 30));
    expect(parseIsoTimestamp('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('rejects impossible dates and zone-less or malformed strings', () => {
    for (const bad of ['2025-02-29T12:00:00Z', '2025-04-31T00:00:00Z', '2025-13-01T00:00:00Z', '2025-03-14T24:00:00Z', '2025-03-14T04:60:00Z',
      '2025-03-14T04:40:00', '2025-03-14', '14/03/2025 04:40', '2025-03-14T04:40:00+25:00', ' 2025-03-14T04:40:00Z']) {
      expect(parseIsoTimestamp(bad), bad).toBeNull();
    }
  });

  it('formats as UTC with milliseconds', () => {
    expect(formatIsoTimestamp(Date.UTC(2025, 2, 14, 4, 40))).toBe('2025-03-14T04:40:00.000Z');
  });
});
