import { describe, expect, it } from 'vitest';
import { deliveryFingerprint } from './delivery-fingerprint';
import { InMemoryDeliveryLedger, RESTORED_POSITION, claimGranted } from './delivery-ledger';
import { redact } from './redaction';
import { sampleRegionalAlert } from './sample-data';

describe('InMemoryDeliveryLedger', () => {
  it('claims new deliveries, re-claims replays of the same position, refuses the same content from other positions', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'bf-gendarmerie:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/2/99', fingerprint: 'f1' },
    ])).toEqual([true, true, false]);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/11', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:2', position: 'alerts.regional/0/11', fingerprint: 'f2' },
    ])).toEqual([true, false, true]);
  });

  it('delivers other content under a known id, and then knows that content', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.claim([{ deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'old' }]);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/500', fingerprint: 'renumbered' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/501', fingerprint: 'renumbered' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/500', fingerprint: 'renumbered' },
    ])).toEqual([true, false, true]);
  });
});

describe('claimGranted', () => {
  const claim = { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' };

  it('grants a new id and a replay of the same position, whatever it held', () => {
    expect(claimGranted(undefined, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10', fingerprint: 'f1' }, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10' }, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10', fingerprint: 'other' }, claim)).toBe(true);
  });

  it('refuses the same content from elsewhere, a restored delivery among them, and anything over a record without a fingerprint', () => {
    expect(claimGranted({ position: 'alerts.regional/3/7', fingerprint: 'f1' }, claim)).toBe(false);
    expect(claimGranted({ position: RESTORED_POSITION, fingerprint: 'f1' }, claim)).toBe(false);
    expect(claimGranted({ position: 'alerts.regional/3/7' }, claim)).toBe(false);
  });

  it('grants other content from elsewhere', () => {
    expect(claimGranted({ position: RESTORED_POSITION, fingerprint: 'f0' }, claim)).toBe(true);
  });
});

describe('deliveryFingerprint', () => {
  const alert = sampleRegionalAlert();

  it('ignores when the alert was evaluated, and the order of lists that are sets', () => {
    expect(deliveryFingerprint({ ...alert, evaluatedAt: alert.evaluatedAt + 86_400_000 })).toBe(deliveryFingerprint(alert));
    const reordered = {
      ...alert,
      contributingEventIds: [...alert.contributingEventIds].reverse(),
      countsByCategory: { ARMED_GROUP_MOVEMENT: 1, SMUGGLING: 2 },
      zone: { ...alert.zone, countries: ['SN', 'ML'] },
    };
    expect(deliveryFingerprint(reordered)).toBe(deliveryFingerprint(alert));
    // A v1 alert has no source agencies or releasability: the same as empty.
    const v1 = { ...alert, sourceAgencies: undefined, releasableTo: undefined } as unknown as typeof alert;
    expect(deliveryFingerprint(v1)).toBe(deliveryFingerprint({ ...alert, sourceAgencies: [], releasableTo: [] }));
  });

  it('tells apart every other field that changes, and the redacted view from the full alert', () => {
    const variants = [
      { version: 4 },
      { status: 'RESOLVED' as const },
      { level: 'CRITICAL' as const },
      { previousLevel: null },
      { window: { ...alert.window, endAt: alert.window.endAt + 1 } },
      { score: 2.41 },
      { explanation: `${alert.explanation}.` },
      { countsByCategory: { SMUGGLING: 3, ARMED_GROUP_MOVEMENT: 1 } },
      { contributingEventIds: [...alert.contributingEventIds, 'ml-dgpc:KAY-2025-0314'] },
      { distinctSourceCountries: ['ML', 'SN'] },
      { firstSeen: alert.firstSeen - 1 },
      { lastSeen: alert.lastSeen + 1 },
      { summary: { ...alert.summary, en: 'Gold smuggling' } },
      { tlp: 'RED' as const },
      { latestReportedAt: alert.latestReportedAt + 1 },
      { sourceAgencies: ['sn-douanes'] },
      { releasableTo: [] },
    ];
    const prints = new Set([alert, ...variants.map((v) => ({ ...alert, ...v })), redact(alert).alert].map(deliveryFingerprint));
    expect(prints.size).toBe(variants.length + 2);
    expect(deliveryFingerprint(alert)).toMatch(/^[0-9a-z]{1,11}$/);
  });
});
