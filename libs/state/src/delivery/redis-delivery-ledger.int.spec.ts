import { createPrng } from '@vigie/runtime';
import { InMemoryDeliveryLedger, type DeliveryAnswer, type DeliveryClaim, type DeliveryNotice } from '@vigie/sharing';
import { useRedisNamespace } from '@vigie/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../redis-connection';
import { RedisDeliveryLedger } from './redis-delivery-ledger';

const claim = (deliveryId: string, position: string, fingerprint = 'f1', notice: DeliveryNotice = 'news'): DeliveryClaim => ({ deliveryId, position, fingerprint, notice });

const NOTICES: readonly DeliveryNotice[] = ['news', 'follow-up'];

describe('RedisDeliveryLedger (real Redis)', () => {
  const { redis, prefix } = useRedisNamespace('ledger');
  const deliveredKey = (deliveryId: string): string => `${prefix}dispatcher:delivered:${deliveryId}`;
  /** A key's remaining time to live, in seconds, between `min` and `max`. */
  const expectTtl = async (key: string, min: number, max: number): Promise<void> => {
    const ttl = (await redis().pttl(key)) / 1000;
    expect(ttl).toBeGreaterThan(min);
    expect(ttl).toBeLessThanOrEqual(max);
  };

  it('claims new deliveries, re-claims a replay of the same position and refuses the same content from another', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await ledger.claim([
      claim('sn-douanes:alert-a:1', 'alerts.regional/0/10'),
      claim('bf-gendarmerie:alert-a:1', 'alerts.regional/0/10'),
      claim('sn-douanes:alert-a:1', 'alerts.regional/3/99'),
    ])).toEqual(['granted', 'granted', 'duplicate']);

    // Another ledger instance (a restarted dispatcher) sees the same state.
    const restarted = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await restarted.claim([
      claim('sn-douanes:alert-a:1', 'alerts.regional/0/10'),
      claim('sn-douanes:alert-a:1', 'alerts.regional/0/11'),
      claim('sn-douanes:alert-a:2', 'alerts.regional/0/11'),
      claim('sn-douanes:alert-a:1', 'alerts.regional/0/12', 'renumbered'),
      claim('sn-douanes:alert-a:1', 'alerts.regional/0/13', 'renumbered'),
    ])).toEqual(['granted', 'duplicate', 'granted', 'granted', 'duplicate']);
  });

  it('decides and restores as the rules do (InMemoryDeliveryLedger), on random claims by concurrent batches and restores', async () => {
    const prng = createPrng(7);
    const random = (n: number): number => prng.int(0, n - 1);
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    const rule = new InMemoryDeliveryLedger();
    for (let round = 0; round < 150; round++) {
      if (random(4) === 0) {
        const found = Array.from({ length: 1 + random(4) }, () => ({ deliveryId: `ag${random(2)}:alert-r:${random(5)}`, fingerprint: `f${random(3)}`, deliveredAt: Date.now() }));
        expect(await ledger.restore(found)).toBe(await rule.restore(found));
        continue;
      }
      const batches = Array.from({ length: 1 + random(4) }, () =>
        Array.from({ length: 1 + random(6) }, () => claim(`ag${random(2)}:alert-r:${random(5)}`, `alerts.regional/0/${random(4)}`, `f${random(3)}`, NOTICES[random(2)])),
      );
      const granted = await Promise.all(batches.map((batch) => ledger.claim(batch)));
      const expected: DeliveryAnswer[][] = [];
      for (const batch of batches) expected.push(await rule.claim(batch));
      expect(granted).toEqual(expected);
    }
  });

  it('delivers follow-ups only to agencies told of the alert, keeps notices without expiry, and learns them back from a restore', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    const notice = (agencyAlert: string) => `${prefix}dispatcher:told:${agencyAlert}`;
    expect(await ledger.claim([
      claim('sn-douanes:alert-n:1', 'alerts.regional/1/1', 'f1', 'follow-up'),
      claim('sn-douanes:alert-n:2', 'alerts.regional/1/2', 'f2', 'news'),
      claim('sn-douanes:alert-n:3', 'alerts.regional/1/3', 'f3', 'follow-up'),
      claim('ml-police:alert-n:3', 'alerts.regional/1/3', 'f3', 'follow-up'),
      claim('sn-douanes:alert-n:4', 'alerts.regional/1/4', 'f4', 'follow-up'),
    ])).toEqual(['untold', 'granted', 'granted', 'untold', 'granted']);
    expect(await redis().pttl(notice('sn-douanes:alert-n'))).toBe(-1);
    expect(await redis().get(notice('sn-douanes:alert-n'))).toBe('2');
    // An old follow-up re-published (a rebuild) after the agency was told of later versions: as the first time.
    expect(await ledger.claim([claim('sn-douanes:alert-n:1', 'alerts.regional/7/1', 'f1', 'follow-up')])).toEqual(['untold']);
    expect(await redis().exists(notice('ml-police:alert-n'))).toBe(0);
    // A restore: ml-police was told.
    const now = Date.now();
    await ledger.restore([{ deliveryId: 'ml-police:alert-n:6', fingerprint: 'f6', deliveredAt: now - 30_000 }], now);
    expect(await ledger.claim([claim('ml-police:alert-n:8', 'alerts.regional/1/8', 'f8', 'follow-up'), claim('bf-gendarmerie:alert-n:8', 'alerts.regional/1/8', 'f8', 'follow-up')])).toEqual(['granted', 'untold']);
  });

  it('remembers every content delivered under an id: content that comes back (A, B, then A again) is not delivered twice', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await ledger.claim([
      claim('ag:alert-aba:1', 'alerts.regional/2/1', 'A'),
      claim('ag:alert-aba:1', 'alerts.regional/2/2', 'B'),
      claim('ag:alert-aba:1', 'alerts.regional/2/3', 'A'),
      claim('ag:alert-aba:1', 'alerts.regional/2/4', 'B'),
    ])).toEqual(['granted', 'granted', 'duplicate', 'duplicate']);
    expect(await redis().get(deliveredKey('ag:alert-aba:1'))).toBe('alerts.regional/2/2 A,B');
  });

  it('decides a batch larger than one script call takes, in order', async () => {
    const claims = Array.from({ length: 2_500 }, (_, i) => claim(`ag:alert-big:${i % 1_200}`, `alerts.regional/1/${i}`, i % 2 === 0 ? 'even' : `odd${i % 7}`));
    const expected = await new InMemoryDeliveryLedger().claim(claims);
    expect(await new RedisDeliveryLedger(redis(), 60, prefix).claim(claims)).toEqual(expected);
    // Across script calls, repeated ids: even ones carry the same content (refused), odd ones other content (granted).
    const repeated = expected.slice(1_200);
    expect(repeated.filter((g) => g !== 'granted').length).toBeGreaterThan(0);
    expect(repeated.filter((g) => g === 'granted').length).toBeGreaterThan(0);
  });

  it('reads a record written before fingerprints as a position of unknown content', async () => {
    await redis().set(deliveredKey('ml-police:alert-old:4'), 'alerts.regional/5/70');
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await ledger.claim([claim('ml-police:alert-old:4', 'alerts.regional/5/71', 'f9')])).toEqual(['duplicate']);
    expect(await ledger.claim([claim('ml-police:alert-old:4', 'alerts.regional/5/70', 'f9')])).toEqual(['granted']);
    expect(await redis().get(deliveredKey('ml-police:alert-old:4'))).toBe('alerts.regional/5/70 f9');
  });

  it('keeps the position that claimed and what it carried under the configured time to live', async () => {
    await new RedisDeliveryLedger(redis(), 120, prefix).claim([claim('mr-surete:alert-b:7', 'alerts.regional/1/5', 'abc')]);
    expect(await redis().get(deliveredKey('mr-surete:alert-b:7'))).toBe('alerts.regional/1/5 abc');
    await expectTtl(deliveredKey('mr-surete:alert-b:7'), 100, 120);
  });

  it('restores deliveries read back from the agency topics: the same content is refused, other content delivered, a claim already there kept, an expired delivery left out', async () => {
    const now = Date.now();
    const ledger = new RedisDeliveryLedger(redis(), 3_600, prefix);
    await ledger.claim([claim('sn-douanes:alert-c:1', 'alerts.regional/2/40')]);
    expect(await ledger.isRestored()).toBe(false);
    const recorded = await ledger.restore([
      { deliveryId: 'sn-douanes:alert-c:1', fingerprint: 'f1', deliveredAt: now - 60_000 },
      { deliveryId: 'sn-douanes:alert-c:2', fingerprint: 'f2', deliveredAt: now - 1_800_000 },
      { deliveryId: 'sn-douanes:alert-c:3', fingerprint: 'f3', deliveredAt: now - 7_200_000 },
      { deliveryId: 'sn-douanes:alert-c:4', fingerprint: 'f4', deliveredAt: now - 60_000 },
    ], now);
    expect(recorded).toBe(2); // c:1 held that content already; c:3 is past its time to live
    await ledger.markRestored(await ledger.beginRestore());
    expect(await new RedisDeliveryLedger(redis(), 3_600, prefix).isRestored()).toBe(true);
    expect(await new RedisDeliveryLedger(redis(), 1_800, prefix).isRestored()).toBe(true);
    // A longer time to live reaches further back than this restore read: restore again.
    expect(await new RedisDeliveryLedger(redis(), 7_200, prefix).isRestored()).toBe(false);
    // So does a marker written before markers recorded their time to live.
    const marker = `${prefix}dispatcher:ledger-restored`;
    const current = (await redis().get(marker)) as string;
    await redis().set(marker, new Date().toISOString());
    expect(await ledger.isRestored()).toBe(false);
    // And one written before the ledger kept notices (who was told of what): the restore learns them.
    await redis().set(marker, `ttl=3600 at=${new Date().toISOString()}`);
    expect(await ledger.isRestored()).toBe(false);
    await redis().set(marker, current);
    expect(await ledger.claim([
      claim('sn-douanes:alert-c:1', 'alerts.regional/2/40'), // its own replay, as before the restore
      claim('sn-douanes:alert-c:2', 'alerts.regional/2/41', 'f2'), // re-published by a rebuild
      claim('sn-douanes:alert-c:3', 'alerts.regional/2/42', 'f3'), // older than the time to live
      claim('sn-douanes:alert-c:4', 'alerts.regional/2/43', 'f4-renumbered'), // another version numbered the same
    ])).toEqual(['granted', 'duplicate', 'granted', 'granted']);
    // Remembered until its own time to live from when it was delivered: half an hour left of the hour.
    await expectTtl(deliveredKey('sn-douanes:alert-c:2'), 1_700, 1_800);
  });

  it('keeps a restored record as long as the latest delivery found for it, and gives a record written before fingerprints its content', async () => {
    const now = Date.now();
    const ledger = new RedisDeliveryLedger(redis(), 3_600, prefix);
    // Claimed now (an hour to live); a restore finds other content delivered 50 minutes ago: the hour stands.
    await ledger.claim([claim('ne-police:alert-e:1', 'alerts.regional/3/1', 'f1')]);
    expect(await ledger.restore([{ deliveryId: 'ne-police:alert-e:1', fingerprint: 'f2', deliveredAt: now - 3_000_000 }], now)).toBe(1);
    expect(await redis().get(deliveredKey('ne-police:alert-e:1'))).toBe('alerts.regional/3/1 f1,f2');
    expect(await redis().pttl(deliveredKey('ne-police:alert-e:1'))).toBeGreaterThan(3_500_000);
    // The same content found twice, 50 minutes ago and just now: it lives an hour from now.
    expect(await ledger.restore([
      { deliveryId: 'ne-police:alert-e:2', fingerprint: 'f1', deliveredAt: now - 3_000_000 },
      { deliveryId: 'ne-police:alert-e:2', fingerprint: 'f1', deliveredAt: now },
    ], now)).toBe(1);
    expect(await redis().pttl(deliveredKey('ne-police:alert-e:2'))).toBeGreaterThan(3_500_000);
    // A bare position (written before fingerprints) gains the content found, and keeps its position.
    await redis().set(deliveredKey('ne-police:alert-e:3'), 'alerts.regional/3/9', 'EX', 3_600);
    expect(await ledger.restore([{ deliveryId: 'ne-police:alert-e:3', fingerprint: 'f5', deliveredAt: now }], now)).toBe(1);
    expect(await redis().get(deliveredKey('ne-police:alert-e:3'))).toBe('alerts.regional/3/9 f5');
    expect(await ledger.claim([
      claim('ne-police:alert-e:3', 'alerts.regional/3/10', 'f5'),
      claim('ne-police:alert-e:3', 'alerts.regional/3/9', 'f5'),
      claim('ne-police:alert-e:3', 'alerts.regional/3/11', 'f6'),
    ])).toEqual(['duplicate', 'granted', 'granted']);
  });

  it('restores itself when Redis was emptied under it: once for the claims waiting, which then see what it restored', async () => {
    let restores = 0;
    const ledger: RedisDeliveryLedger = new RedisDeliveryLedger(redis(), 3_600, prefix, {
      restoreWhenLost: async () => {
        restores++;
        await ledger.restore([{ deliveryId: 'gh-immigration:alert-d:1', fingerprint: 'f1', deliveredAt: Date.now() }]);
        await ledger.markRestored(await ledger.beginRestore());
      },
    });
    await ledger.markRestored(await ledger.beginRestore());
    expect(await ledger.claim([claim('gh-immigration:alert-d:1', 'alerts.regional/4/1')])).toEqual(['granted']);
    expect(restores).toBe(0);

    // Redis emptied: without the check, the next re-publication from elsewhere would be granted.
    await redis().del(`${prefix}dispatcher:ledger-restored`, deliveredKey('gh-immigration:alert-d:1'));
    const granted = await Promise.all([
      ledger.claim([claim('gh-immigration:alert-d:1', 'alerts.regional/4/9')]),
      ledger.claim([claim('gh-immigration:alert-d:2', 'alerts.regional/4/10')]),
      ledger.claim([claim('gh-immigration:alert-d:1', 'alerts.regional/4/11')]),
    ]);
    expect(granted).toEqual([['duplicate'], ['granted'], ['duplicate']]);
    expect(restores).toBe(1);
  });

  it('restores further back before claiming when another dispatcher restored it for a shorter time to live', async () => {
    const shorter = new RedisDeliveryLedger(redis(), 60, prefix);
    await shorter.markRestored(await shorter.beginRestore());
    const restoredFor: number[] = [];
    const longer: RedisDeliveryLedger = new RedisDeliveryLedger(redis(), 120, prefix, {
      restoreWhenLost: async () => {
        restoredFor.push(longer.reachMs);
        await longer.markRestored(await longer.beginRestore());
      },
    });
    expect(await longer.claim([claim('ci-douanes:alert-g:1', 'alerts.regional/1/1')])).toEqual(['granted']);
    expect(restoredFor).toEqual([120_000]);
    // Restored for 120 s, which serves the shorter one too.
    expect(await shorter.isRestored()).toBe(true);
    expect(await longer.claim([claim('ci-douanes:alert-g:2', 'alerts.regional/1/2')])).toEqual(['granted']);
    expect(restoredFor).toHaveLength(1);
  });

  it("keeps the consumer alive with its caller's heartbeat while a claim waits for the restore", async () => {
    let beats = 0;
    const ledger: RedisDeliveryLedger = new RedisDeliveryLedger(redis(), 60, prefix, {
      keepAliveMs: 50,
      restoreWhenLost: async () => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await ledger.markRestored(await ledger.beginRestore());
      },
    });
    await redis().del(`${prefix}dispatcher:ledger-restored`);
    expect(await ledger.claim([claim('bj-police:alert-f:1', 'alerts.regional/5/1')], async () => void beats++)).toEqual(['granted']);
    expect(beats).toBeGreaterThanOrEqual(4);
    const after = beats;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(beats).toBe(after); // no heartbeat once the restore is over
  });

  it('refuses to decide, as a retriable error, when the restore did not mark the ledger restored', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix, { restoreWhenLost: async () => {} });
    await redis().del(`${prefix}dispatcher:ledger-restored`);
    await expect(ledger.claim([claim('x:y:1', 'alerts.regional/0/1')])).rejects.toMatchObject({ code: 'DELIVERY_LEDGER_LOST', retriable: true });
  });

  it('reports a failed restore as a retriable error, so that no alert is dead-lettered for it', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix, {
      restoreWhenLost: async () => {
        throw new Error('broker unreachable (test)');
      },
    });
    await redis().del(`${prefix}dispatcher:ledger-restored`);
    await expect(ledger.claim([claim('x:y:1', 'alerts.regional/0/1')])).rejects.toMatchObject({ code: 'DELIVERY_LEDGER_RESTORE_FAILED', retriable: true });
  });

  it("marks itself restored only if Redis was not emptied during the restore", async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    await redis().del(`${prefix}dispatcher:ledger-restored`);
    const interrupted = await ledger.beginRestore();
    await redis().del(`${prefix}dispatcher:ledger-restoring`); // Redis emptied meanwhile
    expect(await ledger.markRestored(interrupted)).toBe(false);
    expect(await ledger.isRestored()).toBe(false);
    const [first, second] = [await ledger.beginRestore(), await ledger.beginRestore()]; // two instances at once
    expect(await ledger.markRestored(second)).toBe(true);
    expect(await ledger.markRestored(first)).toBe(true);
    expect(await ledger.isRestored()).toBe(true);
  });

  it('answers an empty batch without a round trip', async () => {
    expect(await new RedisDeliveryLedger(redis(), 60, prefix).claim([])).toEqual([]);
  });

  it('reports an unreachable Redis as a retriable error', async () => {
    // Port 1 is never a Redis; the client gives up after its bounded retries.
    const unreachable = createRedis('redis://127.0.0.1:1');
    unreachable.on('error', () => {}); // connection errors are expected here; the claim must surface them
    try {
      const ledger = new RedisDeliveryLedger(unreachable, 60, prefix);
      await expect(ledger.claim([claim('x:y:1', 'alerts.regional/0/1')])).rejects.toMatchObject({ code: expect.stringMatching(/^REDIS_/), retriable: true });
    } finally {
      unreachable.disconnect();
    }
  }, 30_000);
});
