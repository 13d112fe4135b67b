-- Margin and hedge health from the venues' own position reports, shared by scripts/hedge.lua
-- status, scripts/monitor.lua and the bot's alerts.
--
--   local margin = require "lib.margin"
--   margin.liquidation_distance_pct(p)        -- how far the mark may move before liquidation, % of mark
--   margin.margin_ratio(balance)              -- margin used / equity, in % (nil when unknown)
--   local book = margin.group(positions_by_venue, {tolerance_pct = 0.5})
--   book.pairs[symbol] = {long = leg, short = leg, hedged, imbalance_pct}, book.naked = {leg...},
--   book.imbalanced = {pair...}, book.same_side = {symbol...}
-- Legs are {venue, symbol, side, size (D), signed (D), position}. All sizes are exact decimals;
-- percentages are numbers (they drive warnings, not orders).
local D = require "hedge.decimal"

local margin = {}

local ZERO = D("0")

local function num(d) return d and (type(d) == "number" and d or d:to_number()) or nil end

-- Distance from the mark to the liquidation price, in % of the mark; nil when the venue reports
-- no liquidation price (or "0", edgeX's way of saying none).
function margin.liquidation_distance_pct(p)
  local liq, mark = p.liquidation_price, p.mark_price
  if not liq or not mark or liq:sign() <= 0 or mark:sign() <= 0 then return nil end
  return math.abs(num(mark) - num(liq)) / num(mark) * 100
end

-- Margin in use as % of equity (the account-level figure a venue liquidates on).
function margin.margin_ratio(balance)
  if not balance or not balance.equity or not balance.margin_used then return nil end
  local equity = num(balance.equity)
  if equity <= 0 then return nil end
  return num(balance.margin_used) / equity * 100
end

-- group(positions_by_venue) where positions_by_venue = {venue = {position, ...}}.
function margin.group(positions_by_venue, opts)
  opts = opts or {}
  local tolerance = opts.tolerance_pct or 0.5
  local by_symbol, out = {}, { pairs = {}, naked = {}, imbalanced = {}, same_side = {}, symbols = {} }
  local venues = {}
  for v in pairs(positions_by_venue) do venues[#venues + 1] = v end
  table.sort(venues)
  for _, v in ipairs(venues) do
    for _, p in ipairs(positions_by_venue[v]) do
      if p.size and p.size > ZERO then
        local leg = { venue = v, symbol = p.symbol, side = p.side, size = p.size,
                      signed = p.side == "long" and p.size or -p.size, position = p }
        by_symbol[p.symbol] = by_symbol[p.symbol] or {}
        table.insert(by_symbol[p.symbol], leg)
      end
    end
  end
  for symbol, legs in pairs(by_symbol) do
    out.symbols[#out.symbols + 1] = symbol
    local longs, shorts = {}, {}
    for _, leg in ipairs(legs) do
      if leg.side == "long" then longs[#longs + 1] = leg else shorts[#shorts + 1] = leg end
    end
    if #longs == 1 and #shorts == 1 then
      local l, s = longs[1], shorts[1]
      local larger = D.max(l.size, s.size)
      local diff = (l.size - s.size):abs()
      local pair = { symbol = symbol, long = l, short = s, legs = legs }
      pair.imbalance_pct = num(diff) / num(larger) * 100
      pair.hedged = pair.imbalance_pct <= tolerance
      if not pair.hedged then out.imbalanced[#out.imbalanced + 1] = pair end
      out.pairs[symbol] = pair
    elseif #longs == 0 or #shorts == 0 then
      if #legs == 1 then
        out.naked[#out.naked + 1] = legs[1]
      else
        out.same_side[#out.same_side + 1] = symbol
        for _, leg in ipairs(legs) do out.naked[#out.naked + 1] = leg end
      end
    else
      -- Three venues or more on one symbol: net it.
      local net = ZERO
      for _, leg in ipairs(legs) do net = net + leg.signed end
      local pair = { symbol = symbol, legs = legs, complex = true, net = net, hedged = net:sign() == 0 }
      if not pair.hedged then out.imbalanced[#out.imbalanced + 1] = pair end
      out.pairs[symbol] = pair
    end
  end
  table.sort(out.symbols)
  table.sort(out.naked, function(a, b) return a.symbol .. a.venue < b.symbol .. b.venue end)
  table.sort(out.imbalanced, function(a, b) return a.symbol < b.symbol end)
  return out
end

-- The closest any leg is to liquidation: {distance_pct, leg} or nil.
function margin.closest_to_liquidation(legs)
  local worst
  for _, leg in ipairs(legs) do
    local d = margin.liquidation_distance_pct(leg.position)
    if d and (not worst or d < worst.distance_pct) then worst = { distance_pct = d, leg = leg } end
  end
  return worst
end

return margin
