import type { IncidentZones, RoutedRevision } from '@vigie/correlation';
import { GroupedClaims } from './position-claims';
import { execPipeline, scriptChunks, type RedisClient } from './redis-connection';

/** Separates the revision and the zones in a stored value: zone ids are operator data, and no id holds a line break. */
const SEPARATOR = '\n';

/**
 * For each KEYS[i]: returns what it held (false when nothing), then, unless it holds a higher
 * revision, stores `revision \n zone \n zone …` with the higher revision and the union of the zones.
 * ARGV[1]: time to live (s); ARGV[2i]: the revision; ARGV[2i + 1]: its zones, separated by \n.
 * A value it cannot read (another type of key, or no revision first) is taken as nothing and
 * replaced: a script error would stop the enricher for good, retried as Redis trouble.
 */
const REMEMBER_ZONES_SCRIPT = `
local ttl = ARGV[1]
local held = {}
for i = 1, #KEYS do
  local revision = tonumber(ARGV[2 * i])
  local previous = redis.pcall('GET', KEYS[i])
  if type(previous) ~= 'string' or not tonumber(string.match(previous, '^[^\\n]*')) then previous = false end
  held[i] = previous
  local zones, seen = {}, {}
  local heldRevision = -1
  if previous then
    local first = true
    for part in string.gmatch(previous, '[^\\n]+') do
      if first then heldRevision = tonumber(part); first = false
      elseif not seen[part] then seen[part] = true; zones[#zones + 1] = part end
    end
  end
  if revision >= heldRevision then
    for zone in string.gmatch(ARGV[2 * i + 1], '[^\\n]+') do
      if not seen[zone] then seen[zone] = true; zones[#zones + 1] = zone end
    end
    table.insert(zones, 1, tostring(revision))
    redis.call('SET', KEYS[i], table.concat(zones, '\\n'), 'EX', ttl)
  end
end
return held
`;

interface RememberPipeline extends ReturnType<RedisClient['pipeline']> {
  vigieRememberZones(numberOfKeys: number, ...keysThenArgs: (string | number)[]): this;
}

function parse(value: string | null): IncidentZones | null {
  if (value === null) return null;
  const [revision, ...zones] = value.split(SEPARATOR);
  // The script answers only values whose first line is a number (it takes others as nothing).
  return { revision: Number(revision), zones };
}

/**
 * The zones the enricher sent each incident to (routeRevision in libs/correlation says why), in
 * Redis for as long as a later revision can still withdraw it from a zone: longer than the longest
 * rule window and the correlator's allowed lateness. One round trip per fetch, script calls of a
 * thousand revisions, applied in order, so that two revisions of one incident in a batch see each other.
 */
export class IncidentZoneMemory {
  private readonly prefix: string;
  private readonly grouped: GroupedClaims<RoutedRevision, IncidentZones | null>;

  constructor(redis: RedisClient, ttlSeconds: number, keyPrefix: string) {
    this.prefix = `${keyPrefix}enricher:zones:`;
    redis.defineCommand('vigieRememberZones', { lua: REMEMBER_ZONES_SCRIPT });
    this.grouped = new GroupedClaims(async (revisions) => {
      const pipeline = redis.pipeline() as RememberPipeline;
      for (const chunk of scriptChunks(revisions)) {
        const args = chunk.flatMap((r) => [r.revision, r.zones.join(SEPARATOR)]);
        pipeline.vigieRememberZones(chunk.length, ...chunk.map((r) => this.prefix + r.eventId), ttlSeconds, ...args);
      }
      const held = (await execPipeline(pipeline)) as (string | null)[][];
      return held.flat().map(parse);
    });
  }

  /** What each incident's memory held before its revision, in order; the revision is remembered unless a higher one is. */
  remember(revisions: readonly RoutedRevision[]): Promise<(IncidentZones | null)[]> {
    return this.grouped.claim(revisions);
  }
}
