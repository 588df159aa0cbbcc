import { RESTORED_POSITION } from '@vigie/sharing';

/*
 * The delivery ledger's records in Redis: "position fingerprint,fingerprint,…" (the position that
 * last claimed the delivery, and every content it was delivered with), or a bare position when
 * written before fingerprints (content unknown). The scripts apply the rules of
 * libs/sharing/src/delivery-ledger.ts; a spec checks them against InMemoryDeliveryLedger.
 */

/**
 * claimGranted and claimedRecord, for claims in order.
 * KEYS[1]: the marker of a restored ledger; KEYS[1 + i]: the key of claim i.
 * ARGV[1]: time to live (s); ARGV[2]: '1' when the ledger must have been restored, so that a Redis
 * emptied under a running dispatcher answers false instead of granting what it forgot;
 * ARGV[2 + i]: claim i, "position fingerprint".
 */
export const CLAIM_SCRIPT = `
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return false end
local ttl = ARGV[1]
local granted = {}
for i = 2, #KEYS do
  local key, claim = KEYS[i], ARGV[i + 1]
  local position, fingerprint = string.match(claim, '^(%S+) (%S+)$')
  local held = redis.call('GET', key)
  local grant, record = true, claim
  if held then
    local heldPosition, heldPrints = string.match(held, '^(%S+) (%S+)$')
    heldPosition = heldPosition or held
    local known = heldPrints ~= nil and string.find(',' .. heldPrints .. ',', ',' .. fingerprint .. ',', 1, true) ~= nil
    grant = heldPosition == position or (heldPrints ~= nil and not known)
    if heldPrints then record = position .. ' ' .. (known and heldPrints or heldPrints .. ',' .. fingerprint) end
  end
  if grant and record ~= held then redis.call('SET', key, record, 'EX', ttl) end
  granted[i - 1] = grant and 1 or 0
end
return granted
`;

/**
 * restoredRecord, for deliveries read back from the agency topics, in order. A record lives until
 * the latest expiry of the deliveries it holds. Answers how many records it changed.
 * KEYS[i]: the key of delivery i. ARGV[2i - 1]: its fingerprint; ARGV[2i]: when it expires (epoch ms).
 */
export const RESTORE_SCRIPT = `
local changed = 0
for i, key in ipairs(KEYS) do
  local fingerprint, expireAt = ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local held = redis.call('GET', key)
  local record
  if not held then
    record = '${RESTORED_POSITION} ' .. fingerprint
  else
    local heldPosition, heldPrints = string.match(held, '^(%S+) (%S+)$')
    if not heldPosition then
      record = held .. ' ' .. fingerprint
    elseif not string.find(',' .. heldPrints .. ',', ',' .. fingerprint .. ',', 1, true) then
      record = heldPosition .. ' ' .. heldPrints .. ',' .. fingerprint
    end
  end
  if record then
    changed = changed + 1
    if held and redis.call('PEXPIRETIME', key) > expireAt then redis.call('SET', key, record, 'KEEPTTL')
    else redis.call('SET', key, record, 'PXAT', expireAt) end
  end
end
return changed
`;
