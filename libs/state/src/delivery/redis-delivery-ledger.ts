import { VigieError, errorMessage } from '@vigie/contracts';
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
 * KEYS[1]: the marker of a restored ledger; KEYS[1 + i]: the key of claim i. ARGV[1]: time to live
 * (s); ARGV[2]: '1' when the ledger must have been restored, so that a Redis emptied under a
 * running dispatcher answers false instead of granting what it forgot; ARGV[2 + i]: claim i.
 */
const CLAIM_SCRIPT = `
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return false end
local ttl = ARGV[1]
local granted = {}
for i = 2, #KEYS do
  local key, claim = KEYS[i], ARGV[i + 1]
  local held = redis.call('GET', key)
  local grant = true
  if held and held ~= claim then
    local position, print = string.match(claim, '^(%S+) (%S+)$')
    local heldPosition, heldPrint = string.match(held, '^(%S+) (%S+)$')
    grant = (heldPosition or held) == position or (heldPrint ~= nil and heldPrint ~= print)
  end
  if grant and held ~= claim then redis.call('SET', key, claim, 'EX', ttl) end
  granted[i - 1] = grant and 1 or 0
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

  /**
   * `keyPrefix` is the pipeline's Redis namespace (REDIS_KEY_PREFIX, e.g. "vigie:"). With
   * `restoreWhenLost`, every claim checks that the ledger was restored on this Redis; when it was
   * not (Redis emptied under a running dispatcher), the claim waits for that restore, then decides.
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    keyPrefix: string,
    private readonly restoreWhenLost?: () => Promise<unknown>,
  ) {
    this.prefix = `${keyPrefix}dispatcher:delivered:`;
    this.restoredMarker = `${keyPrefix}dispatcher:ledger-restored`;
    redis.defineCommand('vigieDeliveryClaim', { lua: CLAIM_SCRIPT });
    this.claims = new GroupedClaims((claims) => this.claimInOrder(claims));
  }

  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return this.claims.claim(deliveries);
  }

  /** Group commit runs one call at a time: a restore here holds the claims behind it, not a second restore. */
  private async claimInOrder(claims: readonly DeliveryClaim[]): Promise<boolean[]> {
    let granted = await this.runClaimScript(claims);
    if (granted === null && this.restoreWhenLost) {
      try {
        await this.restoreWhenLost();
      } catch (error) {
        // Retriable, so that the stage retries its batch rather than dead-lettering alerts for it.
        throw new VigieError('DELIVERY_LEDGER_RESTORE_FAILED', `restoring the delivery ledger failed: ${errorMessage(error)}`, true);
      }
      granted = await this.runClaimScript(claims);
    }
    if (granted === null) throw new VigieError('DELIVERY_LEDGER_LOST', 'the delivery ledger is not restored on this Redis (emptied?), and restoring it did not mark it restored', true);
    return granted.map((g) => g === 1);
  }

  /** null when the ledger must have been restored and was not. */
  private async runClaimScript(claims: readonly DeliveryClaim[]): Promise<number[] | null> {
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    const keys = [this.restoredMarker, ...claims.map((c) => this.prefix + c.deliveryId)];
    pipeline.vigieDeliveryClaim(keys.length, ...keys, this.ttlSeconds, this.restoreWhenLost ? '1' : '0', ...claims.map((c) => `${c.position} ${c.fingerprint}`));
    const [granted] = (await execPipeline(pipeline)) as [number[] | null];
    return granted;
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
