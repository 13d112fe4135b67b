-- Sizing a hedge: one size for both legs, exact decimals, rounded down to a multiple of both
-- venues' size steps, inside every venue's minimums.
--
--   cap       = min(notional_per_position, base_capital_allocation × leverage) — whichever are configured
--   capacity  = min(available on the long venue, available on the short venue) × leverage × 0.95
--   notional  = min(cap, capacity);  price = mean of the two venues' mids
--   size      = notional / price, floored to a multiple of both steps
-- A plan that cannot meet a venue's minimum notional or size is refused with the reason.
local D = require "hedge.decimal"
local analysis = require "bot.analysis"

local sizing = {}

local SAFETY = D("0.95")

local function usd(x) return x:rescale(2, "down"):format(2) end
local TWO = D("2")

-- Largest multiple of both steps not above x (steps that are not multiples of each other meet
-- at their least common multiple; a few alternating floors reach it).
local function floor_to_both(x, a, b)
  local s = x
  for _ = 1, 64 do
    s = s:floor_to(a):floor_to(b)
    if s:floor_to(a) == s then return s end
  end
  return nil
end
sizing.floor_to_both = floor_to_both

local function decimal(v) return D.is_decimal(v) and v or D(tostring(v)) end

-- notional_per_position caps a leg's notional (LE); base_capital_allocation is capital per
-- cycle before leverage (LP), so a leg may reach it times the leverage.
local function cap_of(config, leverage)
  local cap
  if config.notional_per_position ~= nil then cap = decimal(config.notional_per_position) end
  if config.base_capital_allocation ~= nil then
    local by_capital = decimal(config.base_capital_allocation) * leverage
    cap = cap and D.min(cap, by_capital) or by_capital
  end
  return cap
end

-- sizing.plan(candidate, snap, config) -> plan | nil, reason
-- plan = {size, notional, price, long_mid, short_mid, step_long, step_short}
function sizing.plan(c, snap, config)
  local vl, vs = snap.venues[c.long_venue], snap.venues[c.short_venue]
  local ml, ms = vl.markets[c.symbol], vs.markets[c.symbol]
  local mid_l, mid_s = analysis.mid(snap, c.long_venue, c.symbol), analysis.mid(snap, c.short_venue, c.symbol)
  if not mid_l or not mid_s then return nil, "no price on " .. (mid_l and c.short_venue or c.long_venue) end
  local avail_l, avail_s = vl.balance.available, vs.balance.available
  if not avail_l or not avail_s then return nil, "available balance unknown" end
  local leverage = D(tostring(config.leverage or 1))
  if config.min_available_usd then
    local floor = decimal(config.min_available_usd)
    for _, leg in ipairs { { c.long_venue, avail_l }, { c.short_venue, avail_s } } do
      if leg[2] < floor then
        return nil, ("available $%s on %s is below min_available_usd $%s"):format(usd(leg[2]), leg[1], tostring(floor))
      end
    end
  end
  local capacity = D.min(avail_l, avail_s) * leverage * SAFETY
  local cap = cap_of(config, leverage)
  local notional = cap and D.min(cap, capacity) or capacity
  if notional:sign() <= 0 then return nil, "no available balance" end
  local price = (mid_l + mid_s):div(TWO, 12, "half_even")
  local raw = notional:div(price, 18, "floor")
  local size = floor_to_both(raw, ml.step, ms.step)
  if not size then return nil, ("size steps %s and %s have no common multiple"):format(tostring(ml.step), tostring(ms.step)) end
  if size:sign() <= 0 then
    return nil, ("$%s buys less than one size step (%s / %s)"):format(usd(notional), tostring(ml.step), tostring(ms.step))
  end
  local actual = size * price
  if config.min_notional_usd and actual < decimal(config.min_notional_usd) then
    return nil, ("notional $%s is below min_notional_usd $%s"):format(usd(actual), tostring(config.min_notional_usd))
  end
  for _, leg in ipairs { { c.long_venue, ml }, { c.short_venue, ms } } do
    local venue, m = leg[1], leg[2]
    if m.min_notional and actual < m.min_notional then
      return nil, ("notional $%s is below %s's minimum $%s"):format(usd(actual), venue, tostring(m.min_notional))
    end
    if m.min_size and size < m.min_size then
      return nil, ("size %s is below %s's minimum %s"):format(tostring(size), venue, tostring(m.min_size))
    end
  end
  return { size = size, notional = actual, price = price, long_mid = mid_l, short_mid = mid_s,
           step_long = ml.step, step_short = ms.step, leverage = config.leverage or 1 }
end

return sizing
