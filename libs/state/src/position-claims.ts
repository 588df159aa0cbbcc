import { execPipeline, type RedisClient } from './redis-connection';

/**
 * Claims keys for the source positions (topic/partition/offset) that produce them, in one pipelined
 * round trip: SET NX GET keeps the first position. A claim succeeds when the key is new, or when
 * the very same position claimed it before (a replay after a crash or rebalance, whose outputs may
 * not have reached Kafka). A key claimed from another position is a duplicate.
 */
export async function claimPositions(
  redis: RedisClient,
  ttlSeconds: number,
  claims: readonly { readonly key: string; readonly position: string }[],
): Promise<boolean[]> {
  if (claims.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const c of claims) pipeline.set(c.key, c.position, 'EX', ttlSeconds, 'NX', 'GET');
  const previous = await execPipeline(pipeline);
  return claims.map((c, i) => previous[i] === null || previous[i] === c.position);
}
