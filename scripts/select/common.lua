-- Measurements the selection scripts share: book walks, fees, liquidity filters, and the row a
-- candidate becomes in the funding table. A selection script returns {rank = fn(snap, config, ctx)}
-- where ctx.plan(candidate) sizes a candidate (bot.sizing); rank returns the rows, eligible ones
-- first in the order they should be tried, each with `eligible` and, when not, a `reason`.
local D = require "hedge.decimal"
local analysis = require "bot.analysis"

local common = {}
local HUNDRED, ZERO = D("100"), D("0")

-- Total cost of taking `size` from book levels (best first), or nil when the book is too thin.
function common.walk(levels, size)
  local left, total = size, ZERO
  for _, level in ipairs(levels or {}) do
    local take = D.min(left, level.size)
    total = total + take * level.price
    left = left - take
    if left:sign() <= 0 then return total end
  end
  return nil
end

-- USD lost to crossing both books for `size`, opening and closing, against each venue's mid.
function common.slippage(snap, c, size, mid_l, mid_s)
  local bl, bs = snap.venues[c.long_venue].books[c.symbol], snap.venues[c.short_venue].books[c.symbol]
  if not bl or not bs then
    return nil, analysis.book_missing(snap, c, c.long_venue) or analysis.book_missing(snap, c, c.short_venue)
  end
  local buy_l, sell_l = common.walk(bl.asks, size), common.walk(bl.bids, size)
  local sell_s, buy_s = common.walk(bs.bids, size), common.walk(bs.asks, size)
  if not (buy_l and sell_l and sell_s and buy_s) then return nil, "book too thin for the size" end
  local open = (buy_l - size * mid_l) + (size * mid_s - sell_s)
  local close = (size * mid_l - sell_l) + (buy_s - size * mid_s)
  return open + close
end

-- Taker fee of a venue for a symbol: the config's fees.<venue> wins, then the market's, then the
-- account's. nil when none is known (the candidate is then refused, never assumed free).
function common.taker_fee(snap, config, venue, symbol)
  local override = config.fees and config.fees[venue]
  if override ~= nil then return D(tostring(override.taker or override)) end
  local m = snap.venues[venue].markets[symbol]
  if m and m.taker_fee then return m.taker_fee end
  local b = snap.venues[venue].balance
  return b and b.taker_fee or nil
end

-- Liquidity and price filters; nil when the candidate passes, else the reason.
function common.filter(snap, c, config)
  local vl, vs = snap.venues[c.long_venue], snap.venues[c.short_venue]
  local tl, ts = vl.tickers[c.symbol], vs.tickers[c.symbol]
  if not tl or not ts then return "no ticker on " .. (tl and c.short_venue or c.long_venue) end
  if tl.volume_24h and ts.volume_24h then
    c.min_volume = D.min(tl.volume_24h, ts.volume_24h):to_number()   -- the thinner leg, for the table
  end
  local min_volume = config.min_volume_usd
  if min_volume then
    local floor = D(tostring(min_volume))
    for _, leg in ipairs { { c.long_venue, tl }, { c.short_venue, ts } } do
      if not leg[2].volume_24h then return "24h volume unknown on " .. leg[1] end
      if leg[2].volume_24h < floor then
        return ("24h volume $%s on %s is below $%s"):format(tostring(leg[2].volume_24h:rescale(0, "down")), leg[1], tostring(floor))
      end
    end
  end
  local mid_l, mid_s = analysis.mid(snap, c.long_venue, c.symbol), analysis.mid(snap, c.short_venue, c.symbol)
  if not mid_l or not mid_s then
    -- without a book the mid is the ticker's: a pair outside the top K says so
    local unread = c.gross_rank and not c.books_read
    return unread and (analysis.book_missing(snap, c, c.long_venue) or analysis.book_missing(snap, c, c.short_venue)) or "no price"
  end
  c.gap_pct = ((mid_l - mid_s):abs() * HUNDRED):div((mid_l + mid_s):div(D("2"), 12, "half_even"), 6, "half_even")
  if config.max_spread_pct and c.gap_pct > D(tostring(config.max_spread_pct)) then
    return ("price gap %s%% between %s and %s is above %s%%"):format(tostring(c.gap_pct), c.long_venue, c.short_venue, tostring(config.max_spread_pct))
  end
  if config.max_bidask_spread_pct then
    local limit = D(tostring(config.max_bidask_spread_pct))
    for _, venue in ipairs { c.long_venue, c.short_venue } do
      local book = snap.venues[venue].books[c.symbol]
      if not book then return analysis.book_missing(snap, c, venue) end
      if not (book.bids[1] and book.asks[1]) then return "one-sided book on " .. venue end
      local mid = analysis.mid(snap, venue, c.symbol)
      local spread = ((book.asks[1].price - book.bids[1].price) * HUNDRED):div(mid, 6, "half_even")
      if spread > limit then return ("bid/ask spread %s%% on %s is above %s%%"):format(tostring(spread), venue, tostring(limit)) end
    end
  end
  return nil
end

-- Expected economics of holding the candidate for hold_duration_hours at plan size:
-- carry (funding per hour spread × notional × hours) − round-trip taker fees − book slippage.
-- Fills c with fees_usd, slippage_usd, carry_usd, expected_net_usd, net_apr, break_even_apr.
function common.economics(snap, c, plan, config)
  local fee_l = common.taker_fee(snap, config, c.long_venue, c.symbol)
  local fee_s = common.taker_fee(snap, config, c.short_venue, c.symbol)
  if not fee_l or not fee_s then
    return ("taker fee unknown on %s (set fees.%s in the config)"):format(fee_l and c.short_venue or c.long_venue, fee_l and c.short_venue or c.long_venue)
  end
  c.fee_long, c.fee_short = fee_l, fee_s
  local slip, why = common.slippage(snap, c, plan.size, plan.long_mid, plan.short_mid)
  if not slip then return why end
  local notional = plan.notional:to_number()
  local hours = config.hold_duration_hours
  c.fees_usd = (plan.notional * (fee_l + fee_s) * D("2")):to_number()
  c.slippage_usd = slip:to_number()
  c.carry_usd = notional * c.spread_per_hour * hours
  c.expected_net_usd = c.carry_usd - c.fees_usd - c.slippage_usd
  c.net_apr = c.expected_net_usd / notional / hours * 8760
  c.break_even_apr = (c.fees_usd + c.slippage_usd) / notional / hours * 8760
  c.plan = plan
  return nil
end

-- Per-venue APRs for the table.
function common.describe(c)
  c.long_apr = c.long_funding.apr
  c.short_apr = c.short_funding.apr
  return c
end

return common
