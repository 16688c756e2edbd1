// Lua scripts run inside Redis: each check or state change is one atomic round trip, so concurrent
// orders (or several risk instances) can never both pass a limit that only one of them fits.

/**
 * Pre-trade check. KEYS: 1 limits:default 2 limits:symbol 3 limits:strategy 4 ks:global
 * 5 ks:strategy 6 ks:symbol 7 restricted 8 dup 9 pos 10 working 11 pnl:<day> 12 rate:<sec> 13 order
 * ARGV: 1 mode (submit|check) 2 strategy 3 symbol 4 side 5 qty 6 price ('' = market)
 * 7 reference price ('' = unknown) 8 duplicate window s 9 order ttl s 10 now (ms; when the order was approved)
 * Returns JSON {ok, check?, reason?, values}. In "check" mode nothing is written.
 */
export const CHECK_SCRIPT = `
local function num(v) if v == false or v == nil or v == '' then return nil end return tonumber(v) end
local function hash(key)
  local t = {}
  local r = redis.call('HGETALL', key)
  for i = 1, #r, 2 do t[r[i]] = r[i + 1] end
  return t
end
local L0, LS, LT = hash(KEYS[1]), hash(KEYS[2]), hash(KEYS[3])
if next(L0) == nil then
  return cjson.encode({ ok = false, check = 'limits_unavailable', reason = 'no risk limits loaded in Redis (risk has not seeded them): failing closed', values = {} })
end
local function limit(name)
  local s, t = num(LS[name]), num(LT[name])
  if s and t then return math.min(s, t) end
  return t or s or num(L0[name])
end
local mode, strategy, symbol, side = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local qty, price, ref = tonumber(ARGV[5]), num(ARGV[6]), num(ARGV[7])
local pos = hash(KEYS[9])
local posQty, avg = num(pos.qty) or 0, num(pos.avg) or 0
local sign = 1
if side == 'sell' then sign = -1 end
local increasing = (sign > 0 and posQty >= 0) or (sign < 0 and posQty <= 0)
local function deny(check, reason, values)
  return cjson.encode({ ok = false, check = check, reason = reason, values = values })
end

-- The kill-switch stops every new order, reducing ones too: while it is engaged nothing trades
-- unless a person releases it (cancels still pass; they never reach this script).
for _, key in ipairs({ KEYS[4], KEYS[5], KEYS[6] }) do
  local ks = hash(key)
  if ks.engaged == '1' then
    local where = ks.scope
    if ks.target and ks.target ~= '' then where = where .. ' ' .. ks.target end
    return deny('kill_switch', 'kill-switch engaged (' .. where .. ') by ' .. (ks.actor or '?') .. ': ' .. (ks.reason or ''),
      { scope = ks.scope, target = ks.target or '', actor = ks.actor or '', since = ks.ts or '' })
  end
end

if redis.call('SISMEMBER', KEYS[7], symbol) == 1 then
  return deny('restricted_symbol', symbol .. ' is on the restricted list', { symbol = symbol })
end

if mode == 'submit' then
  if not redis.call('SET', KEYS[8], '1', 'NX', 'EX', ARGV[8]) then
    return deny('duplicate_client_order_id', 'clientOrderId already used by ' .. strategy, {})
  end
elseif redis.call('EXISTS', KEYS[8]) == 1 then
  return deny('duplicate_client_order_id', 'clientOrderId already used by ' .. strategy, {})
end

local maxRate = limit('max_orders_per_sec')
local count
if mode == 'submit' then
  count = redis.call('INCR', KEYS[12])
  if count == 1 then redis.call('EXPIRE', KEYS[12], 2) end
else
  count = (num(redis.call('GET', KEYS[12])) or 0) + 1
end
if maxRate and count > maxRate then
  return deny('message_rate', strategy .. ' sent ' .. count .. ' orders this second, limit ' .. maxRate, { limit = maxRate, count = count })
end

local maxQty = limit('max_order_qty')
if maxQty and qty > maxQty then
  return deny('max_order_qty', 'quantity ' .. qty .. ' > limit ' .. maxQty, { limit = maxQty, requested = qty })
end

if ref == nil then
  return deny('reference_price', 'no reference price for ' .. symbol .. ' yet (no market data received)', { symbol = symbol })
end

if price then
  local band = limit('price_band_bps')
  local dev = math.abs(price - ref) / ref * 10000
  if band and dev > band then
    return deny('price_band', string.format('price %.10g is %.1f bps from the reference %.10g, band %.10g bps', price, dev, ref, band),
      { limit = band, deviation_bps = dev, price = price, reference = ref })
  end
end

local notional = qty * (price or ref)
local maxNotional = limit('max_notional')
if maxNotional and notional > maxNotional then
  return deny('max_notional', string.format('notional %.10g > limit %.10g', notional, maxNotional), { limit = maxNotional, notional = notional })
end

local working = hash(KEYS[10])
local projected
if sign > 0 then projected = posQty + (num(working.buy) or 0) + qty else projected = posQty - (num(working.sell) or 0) - qty end
local maxPos = limit('max_position')
if maxPos and math.abs(projected) > maxPos and math.abs(projected) > math.abs(posQty) then
  return deny('max_position', string.format('position after the order and working orders would be %.10g, limit %.10g', projected, maxPos),
    { limit = maxPos, position = posQty, working_buy = num(working.buy) or 0, working_sell = num(working.sell) or 0, projected = projected })
end

local maxLoss = limit('daily_loss_limit')
local realized = num(redis.call('GET', KEYS[11])) or 0
local unrealized = 0
if posQty ~= 0 then unrealized = posQty * (ref - avg) end
local pnl = realized + unrealized
if increasing and maxLoss and pnl <= -maxLoss then
  return deny('daily_loss', string.format('PnL today %.2f (realized %.2f, unrealized %.2f) is at the loss limit -%.10g', pnl, realized, unrealized, maxLoss),
    { limit = maxLoss, pnl = pnl, realized = realized, unrealized = unrealized })
end

if mode == 'submit' then
  redis.call('HINCRBYFLOAT', KEYS[10], side, qty)
  redis.call('HSET', KEYS[13], 'strategy', strategy, 'symbol', symbol, 'side', side, 'leaves', qty, 'ts', ARGV[10])
  redis.call('EXPIRE', KEYS[13], ARGV[9])
end
return cjson.encode({ ok = true, values = { position = posQty, projected = projected, notional = notional, pnl = pnl } })
`;

/**
 * A fill moves the position (average cost), today's realised PnL and the working quantity; each
 * execId counts once. KEYS: 1 exec 2 pos 3 working 4 pnl:<day> 5 order
 * ARGV: 1 side 2 price 3 qty 4 fee 5 leaves after the fill 6 exec ttl s. Returns 1, or 0 for a repeat.
 */
export const FILL_SCRIPT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[6]) then return 0 end
local side, px, q, fee, leaves = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local qty0 = tonumber(redis.call('HGET', KEYS[2], 'qty') or '0')
local avg0 = tonumber(redis.call('HGET', KEYS[2], 'avg') or '0')
local signed = q
if side == 'sell' then signed = -q end
local qty, avg, realized = qty0, avg0, 0
if qty0 == 0 or (qty0 > 0) == (signed > 0) then
  qty = qty0 + signed
  avg = (avg0 * math.abs(qty0) + px * q) / math.abs(qty)
else
  local closing = math.min(q, math.abs(qty0))
  local dir = 1
  if qty0 < 0 then dir = -1 end
  realized = closing * (px - avg0) * dir
  qty = qty0 + signed
  if math.abs(qty) < 1e-9 then
    qty, avg = 0, 0
  elseif (qty > 0) ~= (qty0 > 0) then
    avg = px
  end
end
redis.call('HSET', KEYS[2], 'qty', qty, 'avg', avg)
redis.call('HINCRBYFLOAT', KEYS[2], 'realized', realized)
redis.call('HINCRBYFLOAT', KEYS[2], 'fees', fee)
redis.call('INCRBYFLOAT', KEYS[4], realized - fee)
redis.call('EXPIRE', KEYS[4], 172800)
local w = tonumber(redis.call('HGET', KEYS[3], side) or '0') - q
if w < 1e-9 then w = 0 end
redis.call('HSET', KEYS[3], side, w)
-- The reservation keeps its own remainder: a fill read back late carries the order's leaves as of
-- now, not after this fill, so trusting it could drop a remainder that was never released.
local left = tonumber(redis.call('HGET', KEYS[5], 'leaves') or '0') - q
if left < 1e-9 then redis.call('DEL', KEYS[5]) else redis.call('HSET', KEYS[5], 'leaves', left) end
return 1
`;

/**
 * An order is over (canceled, expired, rejected): release what it still had working.
 * KEYS: 1 order 2 working. Returns the quantity released.
 */
export const DONE_SCRIPT = `
local side = redis.call('HGET', KEYS[1], 'side')
if not side then return '0' end
local leaves = tonumber(redis.call('HGET', KEYS[1], 'leaves') or '0')
local w = tonumber(redis.call('HGET', KEYS[2], side) or '0') - leaves
if w < 1e-9 then w = 0 end
redis.call('HSET', KEYS[2], side, w)
redis.call('DEL', KEYS[1])
return tostring(leaves)
`;
