import { randomBytes } from 'node:crypto';
import { VigieError, errorMessage } from '@vigie/contracts';
import { noticeIdOf, versionOf, type DeliveryAnswer, type DeliveryClaim, type RestorableDeliveryLedger, type RestoredDelivery } from '@vigie/sharing';
import { GroupedClaims } from '../position-claims';
import { execPipeline, scriptChunks, type RedisClient } from '../redis-connection';
import { CLAIM_SCRIPT, IS_RESTORED_SCRIPT, MARK_RESTORED_SCRIPT, NOTICE_CODES, RESTORE_SCRIPT, restoredMarkerValue } from './delivery-scripts';

/**
 * Long enough to cover any re-publication of an alert version (a correlator replay after a crash
 * or a rebalance); versions with an older arrival watermark are held back (withinLedgerReach).
 */
export const DEFAULT_DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

interface LedgerPipeline extends ReturnType<RedisClient['pipeline']> {
  vigieDeliveryClaim(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
  vigieDeliveryRestore(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
  vigieDeliveryMarkRestored(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
  vigieDeliveryIsRestored(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
}

/** CLAIM_SCRIPT's answers. */
const ANSWERS: Readonly<Record<number, DeliveryAnswer>> = { 0: 'duplicate', 1: 'granted', 2: 'untold' };

/** A restore takes seconds to minutes; a token older than this is one whose restore crashed. */
const RESTORING_TTL_SECONDS = 24 * 60 * 60;

export interface RedisDeliveryLedgerOptions {
  /**
   * With it, every claim checks that the ledger was restored on this Redis; when it was not (Redis
   * emptied under a running dispatcher), the claim waits for this restore, then decides.
   */
  readonly restoreWhenLost?: () => Promise<unknown>;
  /** How often a claim waiting for that restore calls its caller's keepAlive (default 3 s, kafkajs' heartbeat interval here). */
  readonly keepAliveMs?: number;
}

const DEFAULT_KEEP_ALIVE_MS = 3_000;

/**
 * The dispatcher's delivery ledger in Redis: one key per delivery id and one per notice (an agency
 * told of an alert), one script call per batch (shared by the batches claiming at the same time,
 * by group commit).
 */
export class RedisDeliveryLedger implements RestorableDeliveryLedger {
  private readonly prefix: string;
  private readonly noticePrefix: string;
  private readonly restoredMarker: string;
  /** The tokens of the restores under way: emptied with Redis, which tells a restore to start again. */
  private readonly restoringTokens: string;
  private readonly claims: GroupedClaims<DeliveryClaim, DeliveryAnswer>;

  private readonly restoreWhenLost: (() => Promise<unknown>) | undefined;
  private readonly keepAliveMs: number;
  /** The last heartbeat a caller gave: group commit merges callers of one consumer. */
  private keepAlive: (() => Promise<void>) | undefined;
  /** Its time to live: how far back it can tell what was delivered (withinLedgerReach). */
  readonly reachMs: number;

  /** `keyPrefix` is the pipeline's Redis namespace (REDIS_KEY_PREFIX, e.g. "vigie:"). */
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    keyPrefix: string,
    options: RedisDeliveryLedgerOptions = {},
  ) {
    this.reachMs = ttlSeconds * 1_000;
    this.restoreWhenLost = options.restoreWhenLost;
    this.keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.prefix = `${keyPrefix}dispatcher:delivered:`;
    this.noticePrefix = `${keyPrefix}dispatcher:told:`;
    this.restoredMarker = `${keyPrefix}dispatcher:ledger-restored`;
    this.restoringTokens = `${keyPrefix}dispatcher:ledger-restoring`;
    redis.defineCommand('vigieDeliveryClaim', { lua: CLAIM_SCRIPT });
    redis.defineCommand('vigieDeliveryRestore', { lua: RESTORE_SCRIPT });
    redis.defineCommand('vigieDeliveryMarkRestored', { lua: MARK_RESTORED_SCRIPT });
    redis.defineCommand('vigieDeliveryIsRestored', { lua: IS_RESTORED_SCRIPT });
    this.claims = new GroupedClaims((claims) => this.claimInOrder(claims));
  }

  claim(deliveries: readonly DeliveryClaim[], keepAlive?: () => Promise<void>): Promise<DeliveryAnswer[]> {
    if (keepAlive) this.keepAlive = keepAlive;
    return this.claims.claim(deliveries);
  }

  /** Group commit runs one call at a time: a restore here holds the claims behind it, not a second restore. */
  private async claimInOrder(claims: readonly DeliveryClaim[]): Promise<DeliveryAnswer[]> {
    const chunks = scriptChunks(claims);
    const replies = await this.runClaimScripts(chunks);
    // A script that found no marker wrote nothing; the others (the marker went between them) stand.
    const refused = replies.flatMap((reply, i) => (reply === null ? [i] : []));
    if (refused.length > 0 && this.restoreWhenLost) {
      // The consumer's heartbeat keeps its partitions while the batch waits for the restore. A
      // heartbeat that finds the group rebalancing throws: the runner sees it after the batch.
      const beating = setInterval(() => void this.keepAlive?.().catch(() => {}), this.keepAliveMs);
      try {
        await this.restoreWhenLost();
      } catch (error) {
        // Retriable, so that the stage retries its batch rather than dead-lettering alerts for it.
        throw new VigieError('DELIVERY_LEDGER_RESTORE_FAILED', `restoring the delivery ledger failed: ${errorMessage(error)}`, true);
      } finally {
        clearInterval(beating);
      }
      const again = await this.runClaimScripts(refused.map((i) => chunks[i]!));
      refused.forEach((i, k) => (replies[i] = again[k]!));
    }
    if (replies.includes(null)) throw new VigieError('DELIVERY_LEDGER_LOST', 'the delivery ledger is not restored on this Redis (emptied?), and restoring it did not mark it restored', true);
    return (replies as number[][]).flat().map((answer) => ANSWERS[answer] as DeliveryAnswer);
  }

  /** One script call per chunk, in one pipeline; null for a chunk when the ledger must have been restored and was not. */
  private async runClaimScripts(chunks: readonly (readonly DeliveryClaim[])[]): Promise<(number[] | null)[]> {
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    const mustBeRestored = this.restoreWhenLost ? '1' : '0';
    for (const chunk of chunks) {
      const keys = [this.restoredMarker, ...chunk.flatMap((c) => [this.prefix + c.deliveryId, this.noticePrefix + noticeIdOf(c.deliveryId)])];
      const args = chunk.flatMap((c) => [`${c.position} ${c.fingerprint}`, `${NOTICE_CODES[c.notice ?? 'news']} ${versionOf(c.deliveryId)}`]);
      pipeline.vigieDeliveryClaim(keys.length, ...keys, this.ttlSeconds, mustBeRestored, ...args);
    }
    return (await execPipeline(pipeline)) as (number[] | null)[];
  }

  /**
   * True once the ledger was restored on this Redis, as far back as its time to live now reaches:
   * the marker lives with the ledger, and goes when Redis is lost. It records the time to live of
   * its restore, so that a longer one (DELIVERY_TTL_DAYS raised) restores again: the records
   * already held would expire before the new reach.
   */
  async isRestored(): Promise<boolean> {
    // The claim script's own test of the marker, so that a claim and a restore never disagree on it.
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    pipeline.vigieDeliveryIsRestored(1, this.restoredMarker, this.ttlSeconds);
    const [restored] = (await execPipeline(pipeline)) as [number];
    return restored === 1;
  }

  /**
   * Records deliveries already made (read back from the agency topics, in order) by the rule of
   * restoredRecord, each until its time to live from when it was made; those past it are left out.
   * Returns how many records it added or changed.
   */
  async restore(deliveries: readonly RestoredDelivery[], now = Date.now()): Promise<number> {
    const live = deliveries.filter((d) => d.deliveredAt + this.reachMs > now);
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    for (const chunk of scriptChunks(live)) {
      const keys = chunk.flatMap((d) => [this.prefix + d.deliveryId, this.noticePrefix + noticeIdOf(d.deliveryId)]);
      pipeline.vigieDeliveryRestore(keys.length, ...keys, now, ...chunk.flatMap((d) => [d.fingerprint, d.deliveredAt + this.reachMs, versionOf(d.deliveryId)]));
    }
    const changed = live.length > 0 ? ((await execPipeline(pipeline)) as number[]) : [];
    return changed.reduce((sum, n) => sum + n, 0);
  }

  async beginRestore(): Promise<string> {
    const token = randomBytes(8).toString('hex');
    // Tokens of restores that crashed go with the set's expiry.
    await execPipeline(this.redis.pipeline().sadd(this.restoringTokens, token).expire(this.restoringTokens, RESTORING_TTL_SECONDS));
    return token;
  }

  async markRestored(token: string): Promise<boolean> {
    const pipeline = this.redis.pipeline() as LedgerPipeline;
    pipeline.vigieDeliveryMarkRestored(2, this.restoringTokens, this.restoredMarker, token, restoredMarkerValue(this.ttlSeconds, new Date()));
    const [marked] = (await execPipeline(pipeline)) as [number];
    return marked === 1;
  }
}
