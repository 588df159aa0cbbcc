import { claimPositions } from './position-claims';
import type { RedisClient } from './redis-connection';

export interface DedupClaim {
  /** Identity of the report: the same feed, source event id and revision is the same report. */
  readonly identity: string;
  /** Where this copy was read from (topic/partition/offset). */
  readonly position: string;
}

/**
 * Remembers which reports ingest has accepted. A republished copy (same identity, another source
 * position) is a duplicate; a replay of the same position is processed again (see claimPositions).
 */
export class ReportDedupStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}ingest:seen:`;
  }

  /** One pipelined round trip for the whole batch; `true` = first time (process it). */
  claim(claims: readonly DedupClaim[]): Promise<boolean[]> {
    return claimPositions(this.redis, this.ttlSeconds, claims.map((c) => ({ key: this.prefix + c.identity, position: c.position })));
  }
}
