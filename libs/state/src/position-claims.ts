import { GroupCommit } from '@vigie/runtime';
import { execPipeline, type RedisClient } from './redis-connection';

export interface PositionClaim {
  readonly key: string;
  /** The source position (topic/partition/offset) that produces the key. */
  readonly position: string;
}

/**
 * Claims keys for the source positions that produce them, in one pipelined round trip: SET NX GET
 * keeps the first position. A claim succeeds when the key is new, or when the very same position
 * claimed it before (a replay after a crash or rebalance, whose outputs may not have reached
 * Kafka). A key claimed from another position is a duplicate.
 */
export async function claimPositions(redis: RedisClient, ttlSeconds: number, claims: readonly PositionClaim[]): Promise<boolean[]> {
  if (claims.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const c of claims) pipeline.set(c.key, c.position, 'EX', ttlSeconds, 'NX', 'GET');
  const previous = await execPipeline(pipeline);
  return claims.map((c, i) => previous[i] === null || previous[i] === c.position);
}

/**
 * Claims of concurrent callers (the partition batches a consumer handles at once) made together, by
 * group commit: a round trip or two per fetch rather than one per partition batch. `claimAll` must
 * apply claims in order, so that two callers claiming one key get what two round trips in turn
 * would give.
 */
export class GroupedClaims<C> {
  private readonly group: GroupCommit<readonly C[], boolean[]>;

  constructor(claimAll: (claims: readonly C[]) => Promise<boolean[]>) {
    this.group = new GroupCommit(async (callers) => {
      const granted = await claimAll(callers.length === 1 ? (callers[0] as readonly C[]) : callers.flat());
      let at = 0;
      return callers.map((claims) => granted.slice(at, (at += claims.length)));
    });
  }

  claim(claims: readonly C[]): Promise<boolean[]> {
    return claims.length === 0 ? Promise.resolve([]) : this.group.submit(claims);
  }
}

/** claimPositions shared by concurrent callers (see GroupedClaims); claims of one pipeline apply in order. */
export class PositionClaimer extends GroupedClaims<PositionClaim> {
  constructor(redis: RedisClient, ttlSeconds: number) {
    super((claims) => claimPositions(redis, ttlSeconds, claims));
  }
}
