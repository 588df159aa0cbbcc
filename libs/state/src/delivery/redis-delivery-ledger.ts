import type { DeliveryClaim, DeliveryLedger } from '@vigie/sharing';
import type { RedisClient } from '../redis-connection';
import { PositionClaimer } from '../position-claims';

/**
 * Long enough to cover any re-publication of an alert version (a correlator replay after a crash
 * or a rebalance); a deliberate full replay of alerts.regional older than this re-delivers.
 */
export const DEFAULT_DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The dispatcher's delivery ledger in Redis: one key per delivery id, one round trip per batch (shared by concurrent batches). */
export class RedisDeliveryLedger implements DeliveryLedger {
  private readonly prefix: string;
  private readonly claimer: PositionClaimer;

  /** `keyPrefix` is the pipeline's Redis namespace (REDIS_KEY_PREFIX, e.g. "vigie:"). */
  constructor(redis: RedisClient, ttlSeconds: number, keyPrefix: string) {
    this.prefix = `${keyPrefix}dispatcher:delivered:`;
    this.claimer = new PositionClaimer(redis, ttlSeconds);
  }

  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return this.claimer.claim(deliveries.map((d) => ({ key: this.prefix + d.deliveryId, position: d.position })));
  }
}
