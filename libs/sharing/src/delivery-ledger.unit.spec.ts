import type { RegionalAlert } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { deliveryFingerprint } from './delivery-fingerprint';
import { InMemoryDeliveryLedger, RESTORED_POSITION, claimAnswer, claimGranted, claimedRecord, noticeIdOf, restoredRecord, versionOf, type DeliveryNotice } from './delivery-ledger';
import { redact } from './redaction';
import { sampleRegionalAlert } from './sample-data';

describe('InMemoryDeliveryLedger', () => {
  it('claims new deliveries, re-claims replays of the same position, refuses the same content from other positions', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'bf-gendarmerie:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/2/99', fingerprint: 'f1' },
    ])).toEqual(['granted', 'granted', 'duplicate']);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/11', fingerprint: 'f1' },
      { deliveryId: 'sn-douanes:a:2', position: 'alerts.regional/0/11', fingerprint: 'f2' },
    ])).toEqual(['granted', 'duplicate', 'granted']);
  });

  it('delivers other content under a known id, and then knows that content', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.claim([{ deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'old' }]);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/500', fingerprint: 'renumbered' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/501', fingerprint: 'renumbered' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/500', fingerprint: 'renumbered' },
    ])).toEqual(['granted', 'duplicate', 'granted']);
  });
});

describe('notices: who was told of an alert', () => {
  const claim = (version: number, notice: DeliveryNotice, position = `alerts.regional/0/${version}`, agency = 'sn-douanes') => ({ deliveryId: `${agency}:a:${version}`, position, fingerprint: `f${version}`, notice });

  it('delivers a follow-up only to an agency told of the alert, in any episode: an end corrected after an end still reaches it', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.claim([claim(1, 'follow-up'), claim(1, 'follow-up', 'alerts.regional/0/1', 'ml-police')])).toEqual(['untold', 'untold']);
    expect(await ledger.claim([claim(2, 'news'), claim(3, 'follow-up'), claim(4, 'follow-up'), claim(5, 'news'), claim(6, 'follow-up')])).toEqual([
      'granted', 'granted', 'granted', 'granted', 'granted',
    ]);
    // Another agency's notice is its own.
    expect(await ledger.claim([claim(7, 'follow-up', 'alerts.regional/0/7', 'ml-police')])).toEqual(['untold']);
  });

  it('answers a version delivered before under its id as claimGranted does, whatever the notice: a replay, or other content numbered the same', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.restore([{ deliveryId: 'gh-police:a:1', fingerprint: 'f1', deliveredAt: 0 }]);
    expect(await ledger.claim([claim(1, 'news', 'alerts.regional/0/1', 'gh-police'), { ...claim(1, 'follow-up', 'alerts.regional/4/9', 'gh-police'), fingerprint: 'other' }])).toEqual(['duplicate', 'granted']);
  });

  it('answers a follow-up re-published by a rebuild as the first time, though the agency was told of later versions since', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.claim([claim(3, 'follow-up'), claim(5, 'news'), claim(6, 'follow-up')])).toEqual(['untold', 'granted', 'granted']);
    expect(await ledger.claim([claim(3, 'follow-up', 'alerts.regional/9/3')])).toEqual(['untold']);
  });

  it('learns from a restore who was told of what', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.restore([{ deliveryId: 'sn-douanes:a:1', fingerprint: 'f1', deliveredAt: 0 }]);
    expect(await ledger.claim([claim(3, 'follow-up'), claim(3, 'follow-up', 'alerts.regional/0/3', 'ml-police')])).toEqual(['granted', 'untold']);
  });

  it('answers as claimGranted does for news, and untold only for a follow-up of a version never delivered to an agency never told', () => {
    const news = { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' };
    const followUp = { ...news, deliveryId: 'sn-douanes:a:4', notice: 'follow-up' as const };
    expect(claimAnswer(undefined, news, undefined)).toBe('granted');
    expect(claimAnswer(undefined, followUp, undefined)).toBe('untold');
    expect(claimAnswer(undefined, followUp, 3)).toBe('granted');
    // Told of version 4 or later only: version 4's follow-up was not owed when it came, and is not now.
    expect(claimAnswer(undefined, followUp, 4)).toBe('untold');
    expect(claimAnswer({ position: 'alerts.regional/3/7', fingerprints: ['f1'] }, followUp, undefined)).toBe('duplicate');
    expect(claimAnswer({ position: 'alerts.regional/3/7', fingerprints: ['f0'] }, followUp, undefined)).toBe('granted');
    expect(claimAnswer({ position: 'alerts.regional/0/10', fingerprints: ['f1'] }, followUp, undefined)).toBe('granted');
    expect(versionOf('sn-douanes:surge:HOTSPOT:HS-FALEME:12')).toBe(12);
    expect(noticeIdOf('sn-douanes:surge:HOTSPOT:HS-FALEME:12')).toBe('sn-douanes:surge:HOTSPOT:HS-FALEME');
  });
});

describe('claimGranted', () => {
  const claim = { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' };

  it('grants a new id and a replay of the same position, whatever it held', () => {
    expect(claimGranted(undefined, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10', fingerprints: ['f1'] }, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10', fingerprints: [] }, claim)).toBe(true);
    expect(claimGranted({ position: 'alerts.regional/0/10', fingerprints: ['other'] }, claim)).toBe(true);
  });

  it('refuses content already delivered from elsewhere, a restored delivery among them, and anything over a record of unknown content', () => {
    expect(claimGranted({ position: 'alerts.regional/3/7', fingerprints: ['f1'] }, claim)).toBe(false);
    expect(claimGranted({ position: 'alerts.regional/3/7', fingerprints: ['f0', 'f1'] }, claim)).toBe(false);
    expect(claimGranted({ position: RESTORED_POSITION, fingerprints: ['f1'] }, claim)).toBe(false);
    expect(claimGranted({ position: 'alerts.regional/3/7', fingerprints: [] }, claim)).toBe(false);
  });

  it('grants other content from elsewhere', () => {
    expect(claimGranted({ position: RESTORED_POSITION, fingerprints: ['f0'] }, claim)).toBe(true);
  });
});

describe('the records a ledger keeps', () => {
  const claim = { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10', fingerprint: 'f1' };

  it('remember every content delivered under an id, and the last position that claimed it', () => {
    expect(claimedRecord(undefined, claim)).toEqual({ position: 'alerts.regional/0/10', fingerprints: ['f1'] });
    expect(claimedRecord({ position: RESTORED_POSITION, fingerprints: ['f0'] }, claim)).toEqual({ position: 'alerts.regional/0/10', fingerprints: ['f0', 'f1'] });
    expect(claimedRecord({ position: 'alerts.regional/0/10', fingerprints: ['f1'] }, claim)).toEqual({ position: 'alerts.regional/0/10', fingerprints: ['f1'] });
    expect(claimedRecord({ position: 'alerts.regional/0/10', fingerprints: [] }, claim)).toEqual({ position: 'alerts.regional/0/10', fingerprints: ['f1'] });
  });

  it('add what a restore found to what they hold, keeping the position that claimed it', () => {
    expect(restoredRecord(undefined, 'f1')).toEqual({ position: RESTORED_POSITION, fingerprints: ['f1'] });
    expect(restoredRecord({ position: 'alerts.regional/0/10', fingerprints: ['f1'] }, 'f2')).toEqual({ position: 'alerts.regional/0/10', fingerprints: ['f1', 'f2'] });
    expect(restoredRecord({ position: RESTORED_POSITION, fingerprints: ['f1'] }, 'f1')).toEqual({ position: RESTORED_POSITION, fingerprints: ['f1'] });
  });

  it('so that content that comes back (A, B, then A again) is not delivered twice', async () => {
    const ledger = new InMemoryDeliveryLedger();
    const found = (fingerprint: string) => ({ deliveryId: 'sn-douanes:a:1', fingerprint, deliveredAt: 0 });
    expect(await ledger.restore([found('A'), found('B'), found('A')])).toBe(2);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/1', fingerprint: 'A' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/2', fingerprint: 'B' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/3', fingerprint: 'C' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/4', fingerprint: 'A' },
    ])).toEqual(['duplicate', 'duplicate', 'granted', 'duplicate']);
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

  it('stays what earlier releases computed: ledgers and agency topics hold fingerprints they wrote', () => {
    // A change here makes a rebuild deliver again what was delivered before the upgrade.
    expect(deliveryFingerprint(alert)).toBe('1c6nktb6ote');
    expect(deliveryFingerprint(redact(alert).alert)).toBe('1hf6ufnqeln');
  });

  it('is the hash of the fields as JSON, whatever their characters and numbers (random alerts)', () => {
    let seed = 7;
    const random = (): number => ((seed = Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    // Plain text, and what JSON escapes: quotes, backslashes, control characters, lone surrogates.
    const pieces = ['Kayes', 'Falémé', 'a"b', 'back\\slash', 'line\nbreak', '\t', '\u0001', '\u001f', '🐪', '\ud800', '\udfff', 'x', '', ',', '[]'];
    const text = (): string => Array.from({ length: Math.floor(random() * 4) }, () => pick(pieces)).join('');
    const texts = (): string[] => Array.from({ length: Math.floor(random() * 5) }, text);
    const number = (): number => pick([0, -0, 1, -3, 2.5, 1e21, 1e-7, 123456789012, Number.MAX_SAFE_INTEGER, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY]);
    for (let i = 0; i < 500; i++) {
      const randomAlert = {
        ...alert,
        alertId: text(), version: number(), explanation: text(), score: number(), firstSeen: number(), lastSeen: number(), latestReportedAt: number(),
        zone: { ...alert.zone, id: text(), name: text(), countries: texts() },
        previousLevel: random() < 0.5 ? null : alert.previousLevel,
        rule: { id: text(), kind: text() },
        window: { startAt: number(), endAt: number() },
        countsByCategory: Object.fromEntries(texts().map((c) => [c, number()])),
        contributingEventIds: texts(),
        distinctSourceCountries: texts(),
        summary: { fr: text(), en: text() },
        sourceAgencies: random() < 0.2 ? undefined : texts(),
        releasableTo: texts(),
      } as typeof alert;
      expect(deliveryFingerprint(randomAlert), JSON.stringify(randomAlert)).toBe(jsonFingerprint(randomAlert));
    }
  });

  it('tells apart every other field that changes, and the redacted view from the full alert', () => {
    const variants = [
      { alertId: 'SECTION:ML-SN-003:other-rule' },
      { zone: { ...alert.zone, name: 'Falémé' } },
      { zone: { ...alert.zone, countries: ['ML'] } },
      { rule: { ...alert.rule, kind: 'rate' } },
      { window: { ...alert.window, startAt: alert.window.startAt - 1 } },
      { summary: { ...alert.summary, fr: 'Contrebande' } },
      { contributingEventIds: ['ml-dgpc:KAY-2025-0311,ml-dgpc:KAY-2025-0312', 'ml-dgpc:KAY-2025-0313'] },
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

/** deliveryFingerprint as first written: cyrb53 of the fields as one JSON array. */
function jsonFingerprint(alert: RegionalAlert): string {
  const sorted = (values: readonly string[]): string[] => [...values].sort();
  const counts = Object.keys(alert.countsByCategory).sort().map((category) => [category, alert.countsByCategory[category]]);
  const text = JSON.stringify([
    alert.alertId, alert.version, alert.status, alert.zone.kind, alert.zone.id, alert.zone.name, sorted(alert.zone.countries), alert.level,
    alert.previousLevel ?? null, alert.rule.id, alert.rule.kind, alert.window.startAt, alert.window.endAt, alert.score, alert.explanation, counts,
    sorted(alert.contributingEventIds), sorted(alert.distinctSourceCountries), alert.firstSeen, alert.lastSeen, alert.summary.fr, alert.summary.en,
    alert.tlp, alert.latestReportedAt, sorted(alert.sourceAgencies ?? []), sorted(alert.releasableTo ?? []),
  ]);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
