import { GroupCommit } from '@vigie/runtime';
import { execPipeline, scriptChunks, type RedisClient } from './redis-connection';

export interface PositionClaim {
  readonly key: string;
  /** The source position (topic/partition/offset) that produces the key; no `|` (the stored value is `position|content`). */
  readonly position: string;
  /** A digest of what the key stands for, when a copy with other content is to be told apart. */
  readonly content?: string;
}

/** Granted: the key was new, or a replay of the position holding it; duplicate: a copy from elsewhere; conflict: other content under the same key. */
export type ClaimAnswer = 'granted' | 'duplicate' | 'conflict';

/**
 * SET NX GET of each key to `position|content` (or `position`), in order. KEYS[i]: a key; ARGV[1]:
 * time to live (s); ARGV[1 + i]: the value claiming KEYS[i]. Per claim: 1 granted (the key was new,
 * or held by that very position), 0 a duplicate, 2 a conflict (both values carry a content, and
 * they differ). Values stored before contents were kept (`position` alone) hold no content.
 */
const CLAIM_POSITIONS_SCRIPT = `
local ttl = ARGV[1]
local answers = {}
local function split(value)
  local bar = string.find(value, '|', 1, true)
  if bar then return string.sub(value, 1, bar - 1), string.sub(value, bar + 1) end
  return value, nil
end
for i = 1, #KEYS do
  local value = ARGV[i + 1]
  local previous = redis.call('SET', KEYS[i], value, 'EX', ttl, 'NX', 'GET')
  if previous == false or previous == value then
    answers[i] = 1
  else
    local position, content = split(value)
    local heldBy, held = split(previous)
    if heldBy == position then answers[i] = 1
    elseif content and held and content ~= held then answers[i] = 2
    else answers[i] = 0 end
  end
end
return answers
`;

const ANSWERS: Readonly<Record<number, ClaimAnswer>> = { 0: 'duplicate', 1: 'granted', 2: 'conflict' };

interface ClaimPipeline extends ReturnType<RedisClient['pipeline']> {
  vigiePositionClaims(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
}

/**
 * Claims keys for the source positions that produce them, in one round trip of script calls (one
 * per thousand claims: a command per claim cost ingest about a fifth of its CPU per report). SET
 * NX GET keeps the first position. A claim succeeds when the key is new, or when the very same
 * position claimed it before (a replay after a crash or rebalance, whose outputs may not have
 * reached Kafka). A key claimed from another position is a duplicate, or a conflict when its
 * content differs.
 */
async function claimPositions(redis: RedisClient, ttlSeconds: number, claims: readonly PositionClaim[]): Promise<ClaimAnswer[]> {
  if (claims.length === 0) return [];
  const pipeline = redis.pipeline() as ClaimPipeline;
  for (const chunk of scriptChunks(claims)) {
    const values = chunk.map((c) => (c.content === undefined ? c.position : `${c.position}|${c.content}`));
    pipeline.vigiePositionClaims(chunk.length, ...chunk.map((c) => c.key), ttlSeconds, ...values);
  }
  const answers = (await execPipeline(pipeline)) as number[][];
  return answers.flat().map((a) => ANSWERS[a] as ClaimAnswer);
}

/**
 * Claims of concurrent callers (the partition batches a consumer handles at once) made together, by
 * group commit: a round trip or two per fetch rather than one per partition batch. `claimAll` must
 * apply claims in order, so that two callers claiming one key get what two round trips in turn
 * would give.
 */
export class GroupedClaims<C, R = boolean> {
  private readonly group: GroupCommit<readonly C[], R[]>;

  constructor(claimAll: (claims: readonly C[]) => Promise<R[]>) {
    this.group = new GroupCommit(async (callers) => {
      const answers = await claimAll(callers.length === 1 ? (callers[0] as readonly C[]) : callers.flat());
      let at = 0;
      return callers.map((claims) => answers.slice(at, (at += claims.length)));
    });
  }

  claim(claims: readonly C[]): Promise<R[]> {
    return claims.length === 0 ? Promise.resolve([]) : this.group.submit(claims);
  }
}

/** claimPositions shared by concurrent callers (see GroupedClaims); claims of one pipeline apply in order. */
export class PositionClaimer extends GroupedClaims<PositionClaim, ClaimAnswer> {
  constructor(redis: RedisClient, ttlSeconds: number) {
    super((claims) => claimPositions(redis, ttlSeconds, claims));
    redis.defineCommand('vigiePositionClaims', { lua: CLAIM_POSITIONS_SCRIPT });
  }
}
