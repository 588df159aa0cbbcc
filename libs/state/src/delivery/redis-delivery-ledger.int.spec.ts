import { useRedisNamespace } from '@vigie/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../redis-connection';
import { RedisDeliveryLedger } from './redis-delivery-ledger';

describe('RedisDeliveryLedger (real Redis)', () => {
  const { redis, prefix } = useRedisNamespace('ledger');

  it('claims new deliveries, re-claims a replay of the same position and refuses the same delivery from another', async () => {
    const ledger = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:alert-a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'bf-gendarmerie:alert-a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'sn-douanes:alert-a:1', position: 'alerts.regional/3/99' },
    ])).toEqual([true, true, false]);

    // Another ledger instance (a restarted dispatcher) sees the same state.
    const restarted = new RedisDeliveryLedger(redis(), 60, prefix);
    expect(await restarted.claim([
      { deliveryId: 'sn-douanes:alert-a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'sn-douanes:alert-a:1', position: 'alerts.regional/0/11' },
      { deliveryId: 'sn-douanes:alert-a:2', position: 'alerts.regional/0/11' },
    ])).toEqual([true, false, true]);
  });

  it('keeps the first position under the configured time to live', async () => {
    await new RedisDeliveryLedger(redis(), 120, prefix).claim([{ deliveryId: 'mr-surete:alert-b:7', position: 'alerts.regional/1/5' }]);
    expect(await redis().get(`${prefix}dispatcher:delivered:mr-surete:alert-b:7`)).toBe('alerts.regional/1/5');
    const ttl = await redis().ttl(`${prefix}dispatcher:delivered:mr-surete:alert-b:7`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
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
      await expect(ledger.claim([{ deliveryId: 'x:y:1', position: 'alerts.regional/0/1' }])).rejects.toMatchObject({ code: expect.stringMatching(/^REDIS_/), retriable: true });
    } finally {
      unreachable.disconnect();
    }
  }, 30_000);
});
