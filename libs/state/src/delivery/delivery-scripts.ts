import { RESTORED_POSITION } from '@vigie/sharing';

/*
 * The delivery ledger's records in Redis: "position fingerprint,fingerprint,…" (the position that
 * last claimed the delivery, and every content it was delivered with), or a bare position when
 * written before fingerprints (content unknown). The scripts apply the rules of
 * libs/sharing/src/delivery-ledger.ts; a spec checks them against InMemoryDeliveryLedger.
 * Fingerprints are base-36 (deliveryFingerprint), so neither a space nor a comma is ever in one.
 */

/** Lua shared by the scripts: a record's parts, and whether it holds a content. */
const RECORDS = `
local function parse(record)
  local position, prints = string.match(record, '^(%S+) (%S+)$')
  if position then return position, prints end
  return record, nil
end
local function holds(prints, fingerprint)
  return prints ~= nil and string.find(',' .. prints .. ',', ',' .. fingerprint .. ',', 1, true) ~= nil
end
`;

/**
 * The marker of a restored ledger: the time to live (s) the restore read the agency topics back
 * over, that it restored the notices too, and when it was done. A ledger with a longer time to
 * live counts it as not restored.
 */
export const restoredMarkerValue = (ttlSeconds: number, at: Date): string => `ttl=${ttlSeconds} notices=1 at=${at.toISOString()}`;

/**
 * Lua shared by the scripts: whether the ledger was restored for a time to live of `ttl` seconds
 * (a marker written before markers recorded theirs counts as 0: restore again), notices included
 * (a marker written before the ledger kept notices counts as not restored: the first dispatcher
 * of the release that keeps them reads the agency topics back, and learns who was told of what).
 */
const MARKER = `
local function restored_for(marker_key, ttl)
  local marker = redis.call('GET', marker_key)
  return marker ~= false and (tonumber(string.match(marker, '^ttl=(%d+) ')) or 0) >= tonumber(ttl) and string.find(marker, ' notices=1 ', 1, true) ~= nil
end
`;

/** Lua shared by the scripts: toldSinceAfter, on a notice key (a value that is not a version counts as none). */
const NOTICES = `
local function tell(noticeKey, version)
  local since = tonumber(redis.call('GET', noticeKey))
  if not since or version < since then redis.call('SET', noticeKey, version) end
end
`;

/** KEYS[1]: the marker; ARGV[1]: the time to live (s). 1 when restored for it, else 0. */
export const IS_RESTORED_SCRIPT = `${MARKER}
return restored_for(KEYS[1], ARGV[1]) and 1 or 0
`;

/** A claim's notice on the wire of CLAIM_SCRIPT (DeliveryNotice). */
export const NOTICE_CODES = { news: 'n', 'follow-up': 'f' } as const;

/**
 * claimAnswer, claimedRecord and toldSinceAfter, for claims in order: 1 granted, 0 duplicate, 2 untold.
 * KEYS[1]: the marker of a restored ledger; KEYS[2i], KEYS[2i + 1]: the record of claim i, and the
 * notice of its agency and alert (the first version it was told of, without expiry).
 * ARGV[1]: time to live (s); ARGV[2]: '1' when the ledger must have been restored (for that time to
 * live: see restoredMarkerValue), so that a Redis emptied under a running dispatcher answers false,
 * having written nothing, instead of granting what it forgot; ARGV[2i + 1]: claim i, "position
 * fingerprint"; ARGV[2i + 2]: its notice (NOTICE_CODES) and version, "n 12".
 */
export const CLAIM_SCRIPT = `${RECORDS}${MARKER}${NOTICES}
if ARGV[2] == '1' and not restored_for(KEYS[1], ARGV[1]) then return false end
local ttl = ARGV[1]
local answers = {}
for i = 1, (#KEYS - 1) / 2 do
  local key, noticeKey = KEYS[2 * i], KEYS[2 * i + 1]
  local claim = ARGV[2 * i + 1]
  local notice, version = string.match(ARGV[2 * i + 2], '^(%S+) (%d+)$')
  version = tonumber(version)
  local position, fingerprint = parse(claim)
  local held = redis.call('GET', key)
  local answer, record = 1, claim
  if held then
    local heldPosition, heldPrints = parse(held)
    local known = holds(heldPrints, fingerprint)
    if not (heldPosition == position or (heldPrints ~= nil and not known)) then answer = 0 end
    if heldPrints then record = position .. ' ' .. (known and heldPrints or heldPrints .. ',' .. fingerprint) end
  elseif notice ~= 'n' and not ((tonumber(redis.call('GET', noticeKey)) or version) < version) then
    answer = 2
  end
  if answer == 1 then
    if record ~= held then redis.call('SET', key, record, 'EX', ttl) end
    tell(noticeKey, version)
  end
  answers[i] = answer
end
return answers
`;

/**
 * restoredRecord, for deliveries read back from the agency topics, in order, and the notices they
 * gave. A record lives until the latest expiry of the deliveries found for it. Answers how many
 * records it added or changed. KEYS[2i - 1], KEYS[2i]: the record of delivery i, and the notice of
 * its agency and alert. ARGV[1]: now (epoch ms); ARGV[3i - 1]: the fingerprint of delivery i;
 * ARGV[3i]: when it expires (epoch ms); ARGV[3i + 1]: its version.
 */
export const RESTORE_SCRIPT = `${RECORDS}${NOTICES}
local now = tonumber(ARGV[1])
local changed = 0
for i = 1, #KEYS / 2 do
  local key, noticeKey = KEYS[2 * i - 1], KEYS[2 * i]
  local fingerprint, expireAt, version = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  local held = redis.call('GET', key)
  if not held then
    redis.call('SET', key, '${RESTORED_POSITION} ' .. fingerprint, 'PXAT', expireAt)
    changed = changed + 1
  else
    local heldPosition, heldPrints = parse(held)
    if not holds(heldPrints, fingerprint) then
      redis.call('SET', key, heldPosition .. ' ' .. (heldPrints and heldPrints .. ',' .. fingerprint or fingerprint), 'KEEPTTL')
      changed = changed + 1
    end
    -- A key without expiry answers -1 and gets one.
    if redis.call('PTTL', key) < expireAt - now then redis.call('PEXPIREAT', key, expireAt) end
  end
  tell(noticeKey, version)
end
return changed
`;

/**
 * Marks the ledger restored if the restore's token is still among those under way: when Redis was
 * emptied during the restore, the token went with what the restore had written, and it must start
 * again. KEYS[1]: the tokens under way; KEYS[2]: the marker. ARGV[1]: the token; ARGV[2]: the marker's value (restoredMarkerValue).
 */
export const MARK_RESTORED_SCRIPT = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;
