/**
 * Lua scripts of the Redis stock (docs/adr/0014). Each runs atomically, so the checks and the
 * decrement of one reservation cannot interleave with another's.
 *
 * Keys of a drop share the hash tag `{brand:drop}` (one slot under Redis Cluster):
 *   meta         hash: status, tiers (",id,id,"), skus (",a,b,"), pending, rebuilding
 *   sku:<id>     hash: stock, available, held, sold, limit, version
 *   m:<member>   hash: u:<sku> units held + confirmed, h:<sku> the active hold id
 *   members      set of members with a hash (so a rebuild can clear them)
 *   idem:<m>:<k> string "<reservation id>|<request fingerprint>"
 *   rl:m:<member>, rl:ip:<address>  fixed-window counters of reservation attempts
 */

/**
 * KEYS meta, sku, member, idem, members, member rate counter, address rate counter;
 * ARGV skuId, quantity, tierId, reservationId, fingerprint, idempotency TTL seconds,
 * count ('1' on a request's first attempt, '0' on its internal retries), member max, member
 * window ms, address max ('' for no address limit), address window ms. Returns {outcome, ...}.
 * The attempt counters live in the same script (and hash slot) as the stock, so an attempt is
 * one round trip to Redis whatever its outcome.
 */
export const RESERVE_LUA = `
local meta, sku, member, idem, members = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
if ARGV[7] == '1' then
  local mine = redis.call('INCR', KEYS[6])
  if mine == 1 then redis.call('PEXPIRE', KEYS[6], ARGV[9]) end
  if mine > tonumber(ARGV[8]) then return {'rate', 'member', tostring(redis.call('PTTL', KEYS[6]))} end
  if ARGV[10] ~= '' then
    local theirs = redis.call('INCR', KEYS[7])
    if theirs == 1 then redis.call('PEXPIRE', KEYS[7], ARGV[11]) end
    if theirs > tonumber(ARGV[10]) then return {'rate', 'ip', tostring(redis.call('PTTL', KEYS[7]))} end
  end
end
if redis.call('EXISTS', meta) == 0 then return {'missing'} end
if redis.call('HGET', meta, 'rebuilding') == '1' then return {'busy'} end
local prior = redis.call('GET', idem)
if prior then return {'duplicate', prior} end
if redis.call('EXISTS', sku) == 0 then return {'sku'} end
local status = redis.call('HGET', meta, 'status')
if status == 'early_access' then
  local tiers = redis.call('HGET', meta, 'tiers') or ''
  if ARGV[3] == '' or not string.find(tiers, ',' .. ARGV[3] .. ',', 1, true) then
    return {'tier', status}
  end
elseif status ~= 'live' then
  return {'state', status or 'unknown'}
end
local hold = redis.call('HGET', member, 'h:' .. ARGV[1])
if hold then return {'held', hold} end
local qty = tonumber(ARGV[2])
local limit = tonumber(redis.call('HGET', sku, 'limit'))
local used = tonumber(redis.call('HGET', member, 'u:' .. ARGV[1]) or '0')
if used + qty > limit then return {'limit', tostring(limit - used)} end
local available = tonumber(redis.call('HGET', sku, 'available'))
if available < qty then return {'stock', tostring(available)} end
redis.call('HINCRBY', sku, 'available', -qty)
redis.call('HINCRBY', sku, 'held', qty)
local version = redis.call('HINCRBY', sku, 'version', 1)
redis.call('HINCRBY', member, 'u:' .. ARGV[1], qty)
redis.call('HSET', member, 'h:' .. ARGV[1], ARGV[4])
redis.call('SADD', members, member)
redis.call('SET', idem, ARGV[4] .. '|' .. ARGV[5], 'EX', tonumber(ARGV[6]))
redis.call('HINCRBY', meta, 'pending', 1)
return {'ok', tostring(version), tostring(available - qty)}
`;

/**
 * After Postgres decided. KEYS meta, sku, member, idem; ARGV skuId, quantity, reservationId,
 * mode, settlesPending ('1' when this ends a reservation's in-flight insert).
 * Modes: 'release' (expired or cancelled hold: units back), 'abort' (Postgres refused the hold:
 * units back, key forgotten), 'confirm' (held → sold). A committed hold ends its in-flight count
 * through INSERTED_LUA instead. Returns the SKU's new version, -1 when the keys are gone (a
 * rebuild from Postgres will count the change).
 */
export const SETTLE_LUA = `
local meta, sku, member, idem = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local mode = ARGV[4]
if ARGV[5] == '1' and redis.call('EXISTS', meta) == 1 then
  if redis.call('HINCRBY', meta, 'pending', -1) < 0 then redis.call('HSET', meta, 'pending', 0) end
end
if redis.call('EXISTS', sku) == 0 then return -1 end
local qty = tonumber(ARGV[2])
redis.call('HINCRBY', sku, 'held', -qty)
if mode == 'confirm' then
  redis.call('HINCRBY', sku, 'sold', qty)
else
  redis.call('HINCRBY', sku, 'available', qty)
  redis.call('HINCRBY', member, 'u:' .. ARGV[1], -qty)
end
if mode == 'abort' then redis.call('DEL', idem) end
if redis.call('HGET', member, 'h:' .. ARGV[1]) == ARGV[3] then
  redis.call('HDEL', member, 'h:' .. ARGV[1])
end
return redis.call('HINCRBY', sku, 'version', 1)
`;

/**
 * KEYS meta; ARGV n. Ends the in-flight count of n reservations whose holds Postgres committed
 * (a batch's worth at once); nothing when the keys are gone (a rebuild starts from 0).
 */
export const INSERTED_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local left = redis.call('HINCRBY', KEYS[1], 'pending', -tonumber(ARGV[1]))
if left < 0 then redis.call('HSET', KEYS[1], 'pending', 0) end
return left
`;

/** KEYS meta; ARGV status, tiers. Updates the sale status only if the stock exists. */
export const SET_STATUS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'tiers', ARGV[2])
return 1
`;
