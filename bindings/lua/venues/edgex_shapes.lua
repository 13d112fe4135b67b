-- edgeX payload rows (from edgex.parse) -> the unified shapes of DESIGN §5, for venues.edgex.
--
-- Every decimal is a hedge.decimal built from the venue's text. edgeX prints some values with up
-- to 60 digits (oracle prices, margins and PnL are long binary fractions); those that do not fit
-- an exact decimal (38 digits) are rounded half-even to 18 decimal places, which only happens to
-- values the strategy reads (margins, PnL) and never to one that goes back on the wire.
-- Funding rates are numbers (DESIGN §4); ids are strings; times are Lua numbers (ms).
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"

local S = {}

local MAX_PLACES = 18
local ZERO = D("0")

-- Decimal from venue text, nil for nil; over-long text rounded half-even to 18 places.
function S.dec(text)
  if text == nil then return nil end
  local d = D.parse(text)
  if d then return d end
  local sign, int, frac = text:match("^(%-?)(%d+)%.(%d+)$")
  if not int or #frac <= MAX_PLACES then return nil end
  local keep, rest = frac:sub(1, MAX_PLACES), frac:sub(MAX_PLACES + 1)
  local first = rest:byte(1) - 48
  local up = first > 5 or (first == 5 and rest:sub(2):find("[1-9]") ~= nil)
  if first == 5 and not up then up = tonumber(keep:sub(-1)) % 2 == 1 end   -- a tie goes to even
  local value = D.parse(int .. "." .. keep)
  if not value then return nil end
  if up then value = value + D("0." .. ("0"):rep(MAX_PLACES - 1) .. "1") end
  return sign == "-" and -value or value
end
local dec = S.dec

-- Minutes -> ms; the interval of a contract, which every funding figure is relative to.
function S.interval_ms(minutes) return minutes * 60000 end

-- ---- market data -------------------------------------------------------------------------------

-- c: metadata contract row; collateral: the quote coin row.
function S.market(c, collateral)
  return {
    symbol = c.symbol, id = c.contract_id, name = c.name, base = c.symbol, quote = collateral and collateral.name or "USD",
    type = "perpetual", tick = D(c.tick_size), step = D(c.step_size),
    min_size = D(c.min_order_size), max_size = dec(c.max_order_size), max_position = dec(c.max_position_size),
    -- edgeX has no minimum notional; its minimum is min_size (in base units)
    min_notional = ZERO,
    max_leverage = c.max_leverage, default_leverage = tonumber(c.default_leverage), isolated_only = false,
    taker_fee = dec(c.taker_fee_rate), maker_fee = dec(c.maker_fee_rate),
    buy_price_ratio = dec(c.buy_price_ratio), sell_price_ratio = dec(c.sell_price_ratio),
    funding_interval_ms = S.interval_ms(c.funding_interval_min),
    funding_max_rate = c.funding_max_rate and tonumber(c.funding_max_rate),
    funding_min_rate = c.funding_min_rate and tonumber(c.funding_min_rate),
    enable_trade = c.enable_trade, enable_open_position = c.enable_open_position,
    quote_coin_id = c.quote_coin_id,
    resolution = c.resolution or c.stark_resolution, synthetic_asset_id = c.stark_synthetic_asset_id,
    info = c.info,
  }
end

-- f: getLatestFundingRate row; m: the unified market. `rate` is the live estimate for the
-- current interval (what settles at next_funding_ms, spec §9), `last_rate` the last settled one.
function S.funding(f, m)
  local interval = f.interval_min and S.interval_ms(f.interval_min) or m.funding_interval_ms
  -- fundingTime is the start of the interval being accrued; without it, the next boundary
  -- after the row's own timestamp (settlements fall on multiples of the interval)
  local next_ms = f.funding_time and f.funding_time + interval
                  or B.next_boundary_ms(f.funding_timestamp or hedge.now_ms(), interval)
  local out = B.funding(tonumber(f.funding_rate), interval, next_ms)
  out.symbol = m.symbol
  out.last_rate = f.previous_funding_rate and tonumber(f.previous_funding_rate)
  out.predicted_rate = f.forecast_funding_rate and tonumber(f.forecast_funding_rate)
  out.mark, out.index = dec(f.oracle_price), dec(f.index_price)
  out.timestamp = f.funding_timestamp
  out.info = f.info
  return out
end

-- A settled row of getFundingRatePage.
function S.funding_record(f, m)
  local interval = f.interval_min and S.interval_ms(f.interval_min) or m.funding_interval_ms
  return {
    symbol = m.symbol, rate = tonumber(f.funding_rate), interval_ms = interval,
    rate_per_hour = tonumber(f.funding_rate) * 3600000 / interval, time = f.funding_time,
    price = dec(f.oracle_price), index = dec(f.index_price), info = f.info,
  }
end

function S.levels(levels, depth)
  local out = {}
  for i = 1, math.min(#levels, depth or #levels) do
    out[i] = { price = D(levels[i].price), size = D(levels[i].size) }
  end
  return out
end

function S.book(d, m, depth)
  return {
    symbol = m.symbol, bids = S.levels(d.bids, depth), asks = S.levels(d.asks, depth),
    version = d.end_version, info = { contract_id = d.contract_id, level = d.level, start_version = d.start_version, end_version = d.end_version },
  }
end

-- t: getTicker row (or a WS ticker record); book: optional {bids, asks} for the mid.
function S.ticker(t, m, book)
  local mid
  if book and book.bids[1] and book.asks[1] then
    mid = assert((book.bids[1].price + book.asks[1].price):div(D("2"), 18, "half_even")):normalize()
  end
  return {
    symbol = m.symbol, last = dec(t.last_price or t.price), mark = dec(t.mark_price or t.oracle_price),
    oracle = dec(t.oracle_price), index = dec(t.index_price), mid = mid,
    bid = book and book.bids[1] and book.bids[1].price, ask = book and book.asks[1] and book.asks[1].price,
    volume_24h = dec(t.value), volume_24h_base = dec(t.size), open_interest = dec(t.open_interest),
    funding_rate = t.funding_rate and tonumber(t.funding_rate),
    next_funding_ms = t.next_funding_time, timestamp = t.end_time, info = t.info,
  }
end

-- ---- account -----------------------------------------------------------------------------------

-- The fee rates an account pays (spec §4.1): its own when set, else nil (the contract's apply).
local function account_fees(account)
  local s = account and account.default_setting
  if s and s.is_set_fee_rate then return dec(s.maker_fee_rate), dec(s.taker_fee_rate) end
end

-- a: getAccountAsset data; coin: the collateral coin id.
function S.balance(a, coin, coin_name)
  local model
  for _, row in ipairs(a.collateral_assets or {}) do
    if row.coin_id == coin then model = row end
  end
  local collateral
  for _, row in ipairs(a.collaterals or {}) do
    if row.coin_id == coin then collateral = row end
  end
  if not model then return nil, ("the account has no collateral row for coin %s"):format(tostring(coin)) end
  local out = {
    currency = coin_name or "USD", equity = dec(model.total_equity), available = dec(model.available_amount),
    margin_used = dec(model.initial_margin), order_frozen = dec(model.order_frozen_amount),
    -- the raw collateral goes negative while long (the buy value is debited): not equity
    collateral = collateral and dec(collateral.amount), version = a.version, info = a.info,
    -- no cash balance and no withdrawable figure in the account answer: left nil
  }
  out.maker_fee, out.taker_fee = account_fees(a.account)
  return out
end

-- p: positionList row; pa: positionAssetList row of the same contract (may be nil, as on the
-- private stream); m: the unified market. nil for a flat row.
function S.position(p, pa, m)
  local signed = D(p.open_size)
  if signed:is_zero() then return nil end
  local size = signed:abs()
  local entry = pa and dec(pa.avg_entry_price)
  if not entry or entry:is_zero() then
    entry = assert(D(p.open_value):abs():div(size, 18, "half_even")):normalize()
  end
  local value = pa and dec(pa.position_value)
  -- edgeX writes "0" when a position has no liquidation price
  local liquidation = pa and dec(pa.liquidate_price)
  if liquidation and liquidation:is_zero() then liquidation = nil end
  return {
    symbol = m.symbol, side = signed:sign() > 0 and "long" or "short", size = size, signed_size = signed,
    entry_price = entry, open_value = D(p.open_value),
    mark_price = value and assert(value:abs():div(size, 18, "half_even")):normalize() or nil,
    unrealized_pnl = pa and dec(pa.unrealized_pnl), liquidation_price = liquidation,
    leverage = pa and tonumber(pa.max_leverage), margin = pa and dec(pa.initial_margin),
    -- fundingFee of the open position: positive = received (the live HYPE short shows +0.317 while
    -- its rate was positive), open_fee negative = paid
    funding = dec(p.funding_fee), open_fee = dec(p.open_fee),
    timestamp = p.updated_time, info = { position = p.info, asset = pa and pa.info },
  }
end

local STATUS = {
  PENDING = "open", OPEN = "open", UNTRIGGERED = "open", CANCELING = "open",
  FILLED = "filled", CANCELED = "cancelled",
}
local TIF = {
  GOOD_TIL_CANCEL = "gtc", IMMEDIATE_OR_CANCEL = "ioc", POST_ONLY = "post_only", FILL_OR_KILL = "fok",
}

function S.order(o, m)
  local size = D(o.size)
  local filled = o.cum_fill_size and D(o.cum_fill_size) or ZERO
  local status = STATUS[o.status] or o.status:lower()
  local avg
  if o.cum_fill_value and not filled:is_zero() then
    avg = assert(D(o.cum_fill_value):div(filled, 18, "half_even")):normalize()
  end
  local price = o.price and D(o.price)
  return {
    id = o.id, client_id = o.client_order_id, symbol = m and m.symbol, contract_id = o.contract_id,
    side = o.side, type = o.type and o.type:lower(), tif = TIF[o.time_in_force] or o.time_in_force,
    price = price and not price:is_zero() and price or nil, size = size, filled = filled,
    remaining = status == "open" and size - filled or ZERO, avg_price = avg, fee = dec(o.cum_fill_fee),
    status = status, venue_status = o.status,
    reason = o.cancel_reason ~= "UNKNOWN_ORDER_CANCEL_REASON" and o.cancel_reason or nil,
    reduce_only = o.reduce_only, timestamp = o.updated_time or o.created_time, info = o.info,
  }
end

function S.fill(f, m)
  return {
    id = f.id, order_id = f.order_id, symbol = m and m.symbol, side = f.side, price = D(f.price), size = D(f.size),
    value = dec(f.value), fee = dec(f.fee), pnl = dec(f.realized_pnl), role = f.maker and "maker" or "taker",
    timestamp = f.match_time, info = f.info,
  }
end

return S
