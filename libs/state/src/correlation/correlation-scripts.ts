/*
 * Lua scripts of the correlation store, atomic per zone. KEYS: the zone's events hash
 * (eventId → compact event), times sorted set (eventId by occurredAt, for eviction) and meta
 * hash (wm = watermark, off:<partition> = last applied offset, ver:<ruleId> / rec:<ruleId> =
 * alert record version and JSON). All keys of a zone share a hash tag, so one slot holds them.
 */

/**
 * APPLY — mirrors applyEntries() of @vigie/correlation (kept in step by an integration test).
 * ARGV: partition, horizonMs, then per entry: offset, eventId, revision, occurredAt, payload.
 * Returns {statuses, HGETALL events, HGETALL meta}. Numbers read from ARGV are stored as the
 * original strings, so Lua's double formatting never rewrites a timestamp or an offset.
 */
export const APPLY_SCRIPT = `
local offField = 'off:' .. ARGV[1]
local horizon = tonumber(ARGV[2])
-- HGET of a missing field gives false in Lua: 'or nil' keeps absent values nil.
local lastRaw = redis.call('HGET', KEYS[3], offField) or nil
local last = tonumber(lastRaw or '-1')
local through, throughRaw = last, lastRaw
local wmRaw = redis.call('HGET', KEYS[3], 'wm') or nil
local wm = wmRaw and tonumber(wmRaw) or nil
local n = (#ARGV - 2) / 5
for i = 0, n - 1 do
  local b = 3 + i * 5
  local offset = tonumber(ARGV[b])
  if offset > last then
    if offset > through then through, throughRaw = offset, ARGV[b] end
    local at = tonumber(ARGV[b + 3])
    if wm == nil or at > wm then wm, wmRaw = at, ARGV[b + 3] end
  end
end
local statuses = {}
for i = 0, n - 1 do
  local b = 3 + i * 5
  local status
  if wm ~= nil and tonumber(ARGV[b + 3]) < wm - horizon then
    status = 'late'
  elseif tonumber(ARGV[b]) <= last then
    status = 'replayed'
  else
    local kept = redis.call('HGET', KEYS[1], ARGV[b + 1])
    if kept and cjson.decode(kept)[1] >= tonumber(ARGV[b + 2]) then
      status = 'stale'
    else
      redis.call('HSET', KEYS[1], ARGV[b + 1], ARGV[b + 4])
      redis.call('ZADD', KEYS[2], ARGV[b + 3], ARGV[b + 1])
      status = 'applied'
    end
  end
  statuses[i + 1] = status
end
if wmRaw then redis.call('HSET', KEYS[3], 'wm', wmRaw) end
if throughRaw then redis.call('HSET', KEYS[3], offField, throughRaw) end
return { statuses, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[3]) }
`;

/**
 * COMMIT — compare-and-set on every rule's version (all or nothing), write the records, evict.
 * ARGV: evictBefore, then per rule: ruleId, expectedVersion, newVersion, recordJson. Returns 1, or
 * 0 when a version moved (a zombie or concurrent writer): nothing is written then.
 */
export const COMMIT_SCRIPT = `
local n = (#ARGV - 1) / 4
for i = 0, n - 1 do
  local b = 2 + i * 4
  local current = tonumber(redis.call('HGET', KEYS[3], 'ver:' .. ARGV[b]) or '0')
  if current ~= tonumber(ARGV[b + 1]) then return 0 end
end
for i = 0, n - 1 do
  local b = 2 + i * 4
  redis.call('HSET', KEYS[3], 'ver:' .. ARGV[b], ARGV[b + 2])
  redis.call('HSET', KEYS[3], 'rec:' .. ARGV[b], ARGV[b + 3])
end
local bound = '(' .. ARGV[1]
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', bound)
for i = 1, #old, 1000 do
  redis.call('HDEL', KEYS[1], unpack(old, i, math.min(i + 999, #old)))
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', bound)
return 1
`;
