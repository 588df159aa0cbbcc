import { describe, expect, it } from 'vitest';
import { acknowledgementEffect, parseAcknowledgement } from './acknowledgements';
import { sampleRegionalAlert } from './sample-data';

// Acknowledged at version 3 (the sample: UPDATED, HIGH, previously MEDIUM).
const ack = { alertId: 'SECTION:ML-SN-003:smuggling-threshold', version: 3, comment: 'patrol sent' };
const v = (version: number, over: Parameters<typeof sampleRegionalAlert>[0]) => sampleRegionalAlert({ version, ...over });

describe('acknowledgementEffect', () => {
  it.each([
    ['no acknowledgement', undefined, v(4, { level: 'HIGH', previousLevel: 'HIGH' }), 'none'],
    ['the acknowledged version itself (a replay)', ack, v(3, {}), 'none'],
    ['an update at the same level', ack, v(4, { level: 'HIGH', previousLevel: 'HIGH' }), 'hold'],
    ['an update that lowers the level', ack, v(4, { level: 'MEDIUM', previousLevel: 'HIGH' }), 'hold'],
    ['an update that raises the level', ack, v(4, { level: 'CRITICAL', previousLevel: 'HIGH' }), 'deliver'],
    ['the alert resolving', ack, v(5, { status: 'RESOLVED', level: 'HIGH', previousLevel: 'HIGH' }), 'rearm'],
    ['the alert retracted', ack, v(5, { status: 'RETRACTED' }), 'rearm'],
    ['the alert firing again after a resolution the dispatcher missed', ack, v(7, { status: 'FIRING', previousLevel: null }), 'rearm'],
  ] as const)('%s → %s', (_, acknowledgement, alert, expected) => {
    expect(acknowledgementEffect(alert, acknowledgement)).toBe(expected);
  });
});

describe('parseAcknowledgement', () => {
  it('needs the version the operator saw', () => {
    expect(parseAcknowledgement('A:1', { version: 3 })).toEqual({ alertId: 'A:1', version: 3, comment: '' });
    expect(() => parseAcknowledgement('A:1', { comment: 'seen' })).toThrow('version: must be the alert version you acknowledge');
  });
});
