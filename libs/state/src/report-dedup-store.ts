import { PositionClaimer, type ClaimAnswer } from './position-claims';
import type { RedisClient } from './redis-connection';

export interface DedupClaim {
  /** Identity of the report: the same feed, source event id and revision is the same report. */
  readonly identity: string;
  /** Where this copy was read from (topic/partition/offset). */
  readonly position: string;
  /** A digest of the report's content: another copy of the same identity with other content is a conflict, not a duplicate. */
  readonly content: string;
}

/**
 * Remembers which reports ingest has accepted. A republished copy (same identity, another source
 * position) is a duplicate; a replay of the same position is processed again (see claimPositions).
 */
export class ReportDedupStore {
  private readonly prefix: string;
  private readonly claimer: PositionClaimer;

  constructor(redis: RedisClient, ttlSeconds: number, keyPrefix: string) {
    this.prefix = `${keyPrefix}ingest:seen:`;
    this.claimer = new PositionClaimer(redis, ttlSeconds);
  }

  /** One pipelined round trip, shared with the batches claiming at the same time; `granted` = first time (process it). */
  claim(claims: readonly DedupClaim[]): Promise<ClaimAnswer[]> {
    return this.claimer.claim(claims.map((c) => ({ key: this.prefix + c.identity, position: c.position, content: c.content })));
  }
}
