/*
 * Lua scripts of the correlation store, atomic per input partition. KEYS, all under the
 * partition's hash tag (one Redis Cluster slot): the meta hash (seq, through, wm, arrival,
 * outboxBinary; `outbox`, the JSON layout of earlier versions, is deleted), the zones hash (zone
 * key → zone record JSON), the events hash (`<zoneKey>|<eventId>` → compact event), the sealed
 * hash (`<zoneKey>|<ruleId>|<bucket>` → compact sealed bucket) and the alerts hash
 * (`<zoneKey>|<ruleId>` → alert state JSON, kept apart from the zone record: it changes only with
 * a new version, the record with every incident).
 */

/** LOAD — the partition's whole state in one reply: {HGETALL meta, zones, events, sealed, alerts}. */
export const LOAD_SCRIPT = `
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4]), redis.call('HGETALL', KEYS[5]) }
`;

/**
 * COMMIT — compare-and-set on seq, then one batch's changes. ARGV: expectedSeq, seq, through, wm,
 * arrival, outbox, then nZones, (zoneKey, record) × nZones, nAlerts, (field, alert) × nAlerts,
 * nDropped, field × nDropped (alerts of removed rules), nSet, (field, event) × nSet, nDel,
 * field × nDel, nSealed, (field, sealed) × nSealed, nUnsealed, field × nUnsealed. Empty strings
 * stand for null. Returns 1, or 0 when seq moved (another writer: nothing is written).
 */
export const COMMIT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'seq') or '0'
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[2], 'through', ARGV[3], 'wm', ARGV[4], 'arrival', ARGV[5], 'outboxBinary', ARGV[6])
redis.call('HDEL', KEYS[1], 'outbox')
local i = 7
local function pairs_into(key)
  local n = tonumber(ARGV[i])
  i = i + 1
  for j = 0, n - 1, 500 do
    local args = {}
    for k = j, math.min(j + 499, n - 1) do
      args[#args + 1] = ARGV[i + 2 * k]
      args[#args + 1] = ARGV[i + 2 * k + 1]
    end
    if #args > 0 then redis.call('HSET', key, unpack(args)) end
  end
  i = i + 2 * n
end
local function fields_from(key)
  local n = tonumber(ARGV[i])
  i = i + 1
  for j = 0, n - 1, 500 do
    redis.call('HDEL', key, unpack(ARGV, i + j, i + math.min(j + 499, n - 1)))
  end
  i = i + n
end
pairs_into(KEYS[2])
pairs_into(KEYS[5])
fields_from(KEYS[5])
pairs_into(KEYS[3])
fields_from(KEYS[3])
pairs_into(KEYS[4])
fields_from(KEYS[4])
return 1
`;
