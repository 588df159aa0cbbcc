import type { DeliveryClaim, DeliveryLedger } from '@vigie/sharing';
import type { RedisClient } from '../redis-connection';
import { claimPositions } from '../position-claims';

/**
 * Long enough to cover any re-publication of an alert version (a correlator replay after a crash
 * or a rebalance); a deliberate full replay of alerts.regional older than this re-delivers.
 */
export const DEFAULT_DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The dispatcher's delivery ledger in Redis: one key per delivery id, one round trip per batch. */
export class RedisDeliveryLedger implements DeliveryLedger {
  private readonly prefix: string;

  /** `keyPrefix` is the pipeline's Redis namespace (REDIS_KEY_PREFIX, e.g. "vigie:"). */
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}dispatcher:delivered:`;
  }

  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return claimPositions(this.redis, this.ttlSeconds, deliveries.map((d) => ({ key: this.prefix + d.deliveryId, position: d.position })));
  }
}
