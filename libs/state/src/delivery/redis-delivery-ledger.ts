import { RESTORED_POSITION, type DeliveryClaim, type DeliveryLedger } from '@vigie/sharing';
import { GroupedClaims } from '../position-claims';
import { execPipeline, type RedisClient } from '../redis-connection';

/**
 * Long enough to cover any re-publication of an alert version (a correlator replay after a crash
 * or a rebalance); a deliberate full replay of alerts.regional older than this re-delivers.
 */
export const DEFAULT_DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

/** A delivery read back from an agency topic: what it carried, and when it was made. */
export interface RestoredDelivery {
  readonly deliveryId: string;
  readonly fingerprint: string;
  readonly deliveredAt: number;
}

/**
 * claimGranted (libs/sharing) in Redis, for a batch of claims in order. A key holds
 * "position fingerprint", or a bare position when written before fingerprints.
 * KEYS: one per claim. ARGV[1]: time to live (s); ARGV[1 + i]: the claim of KEYS[i].
 */
const CLAIM_SCRIPT = `
local ttl = ARGV[1]
local granted = {}
for i, key in ipairs(KEYS) do
  local claim = ARGV[i + 1]
  local held = redis.call('GET', key)
  local grant = true
  if held and held ~= claim then
    local position, print = string.match(claim, '^(%S+) (%S+)$')
    local heldPosition, heldPrint = string.match(held, '^(%S+) (%S+)$')
    grant = (heldPosition or held) == position or (heldPrint ~= nil and heldPrint ~= print)
  end
  if grant and held ~= claim then redis.call('SET', key, claim, 'EX', ttl) end
  granted[i] = grant and 1 or 0
end
return granted
`;

interface LedgerPipeline extends ReturnType<RedisClient['pipeline']> {
  vigieDeliveryClaim(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
}

const RESTORE_CHUNK = 1_000;

/**
 * The dispatcher's delivery ledger in Redis: one key per delivery id, one script call per batch
 * (shared by the batches claiming at the same time, by group commit).
 */
export class RedisDeliveryLedger implements DeliveryLedger {
  private readonly prefix: string;
  private readonly restoredMarker: string;
  private readonly claims: GroupedClaims<DeliveryClaim>;

  /** `keyPrefix` is the pipeline's Redis namespace (REDIS_KEY_PREFIX, e.g. "vigie:"). */
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}dispatcher:delivered:`;
    this.restoredMarker = `${keyPrefix}dispatcher:ledger-restored`;
    redis.defineCommand('vigieDeliveryClaim', { lua: CLAIM_SCRIPT });
    this.claims = new GroupedClaims((claims) => this.claimInOrder(claims));
  }

  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return this.claims.claim(deliveries);
  }

  private async claimInOrder(claims: readonly DeliveryClaim[]): Promise<boolean[]> {
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    pipeline.vigieDeliveryClaim(claims.length, ...claims.map((c) => this.prefix + c.deliveryId), this.ttlSeconds, ...claims.map((c) => `${c.position} ${c.fingerprint}`));
    const [granted] = (await execPipeline(pipeline)) as [number[]];
    return granted.map((g) => g === 1);
  }

  /** True once the ledger was restored on this Redis: the marker lives with the ledger, and goes when Redis is lost. */
  async isRestored(): Promise<boolean> {
    return (await this.redis.exists(this.restoredMarker)) === 1;
  }

  /**
   * Records deliveries already made (read back from the agency topics), each until its time to live
   * from when it was made; those past it are left out, claims already in the ledger kept. Returns
   * how many it recorded.
   */
  async restore(deliveries: readonly RestoredDelivery[], now = Date.now()): Promise<number> {
    const live = deliveries.filter((d) => d.deliveredAt + this.ttlSeconds * 1000 > now);
    for (let at = 0; at < live.length; at += RESTORE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const d of live.slice(at, at + RESTORE_CHUNK)) {
        pipeline.set(this.prefix + d.deliveryId, `${RESTORED_POSITION} ${d.fingerprint}`, 'PXAT', d.deliveredAt + this.ttlSeconds * 1000, 'NX');
      }
      await execPipeline(pipeline);
    }
    return live.length;
  }

  async markRestored(at = Date.now()): Promise<void> {
    await this.redis.set(this.restoredMarker, new Date(at).toISOString());
  }
}
