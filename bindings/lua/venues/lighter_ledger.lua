-- What Lighter booked for the account, for venues.lighter: the fills of given orders with their
-- fees, and the funding payments of a market (lighter.md §3.5, §3.10). The strategy builds a
-- cycle's PnL split from these, not from estimates.
--
--   client:fills_for(symbol, orders) -> {fill, ...}, newest first
--     orders = {{client_id = "uuid" | "digits", order_id = "venue id"?}, ...}; a fill is the
--     account's side of one trade: {id, order_id, client_id (as given in orders), symbol, side,
--     size, price, notional, fee (D, + = paid), liquidity = "maker" | "taker", timestamp (ms), info}
--   client:funding_payments(symbol, {since_ms?, until_ms?}) -> {payment, ...}, newest first
--     payment = {id, symbol, amount (D, + = received), rate (as sent), size (D), side, timestamp (ms), info}
--
-- Trade records carry the fee as an integer in millionths of the notional, left out when zero
-- (§3.10); the fee in USDC is the notional times that, rounded half-even to the 6 decimals of
-- USDC. Payments are timestamped in seconds.
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local PAGE = 100
local MILLION = D("1000000")
local USDC_DECIMALS = 6

local function int_text(v)
  if v == nil then return nil end
  if type(v) == "number" then return ("%d"):format(v) end
  return tostring(v)
end

-- A decimal from a raw member: text (fractions arrive as the venue's exact text) or a whole
-- number. nil when absent or not a decimal.
local function dec_of(v)
  if type(v) == "number" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then return D(("%d"):format(v)) end
  if type(v) == "string" then return (D.parse(v)) end
  return nil
end

function M.extend(Client, L)
  -- Our client order index for each order asked for: index text -> the caller's entry.
  local function wanted(orders)
    local by_index, by_order = {}, {}
    for i, o in ipairs(orders) do
      if type(o) ~= "table" or (o.client_id == nil and o.order_id == nil) then
        error(("fills_for: orders[%d] must be {client_id = ..., order_id = ...}"):format(i), 3)
      end
      if o.client_id ~= nil then
        local index = L.client_index(tostring(o.client_id):lower())
        if index then by_index[("%d"):format(index)] = o end
      end
      if o.order_id ~= nil then by_order[tostring(o.order_id)] = o end
    end
    return by_index, by_order
  end

  function Client:fills_for(symbol, orders)
    if type(symbol) ~= "string" then error("fills_for: symbol must be a string", 2) end
    if type(orders) ~= "table" then error("fills_for: orders must be a list", 2) end
    self:_need_account("fills_for")
    local m, merr = self:market(symbol)
    if not m then merr.op = "fills_for"; return nil, merr end
    local by_index, by_order = wanted(orders)
    local me = ("%d"):format(self.account_index)
    local r, err = self:_get("fills_for", "/trades", {
      { "account_index", me }, { "market_id", m.id }, { "sort_by", "timestamp" }, { "sort_dir", "desc" }, { "limit", PAGE },
    }, "trades", true)
    if not r then return nil, err end
    local out = {}
    for _, tr in ipairs(r.data) do
      local buyer = int_text(tr.bid_account_id) == me
      local seller = int_text(tr.ask_account_id) == me
      -- A self-trade lists the account on both sides: each side is its own fill.
      for _, side in ipairs { buyer and "buy" or false, seller and "sell" or false } do
        if side then
          local client_index = int_text(side == "buy" and tr.bid_client_id or tr.ask_client_id)
          local order_id = int_text(side == "buy" and tr.bid_id or tr.ask_id)
          local entry = (client_index and by_index[client_index]) or (order_id and by_order[order_id])
          if entry then
            local maker = (side == "sell") == (tr.is_maker_ask == true)
            local units = maker and tr.maker_fee or tr.taker_fee
            local notional = D(tr.usd_amount)
            local fee = D("0")
            if units and units ~= 0 then
              fee = assert((notional * D(int_text(units))):div(MILLION, USDC_DECIMALS, "half_even"))
            end
            out[#out + 1] = {
              id = int_text(tr.trade_id), order_id = order_id, client_id = entry.client_id or client_index, client_index = client_index,
              symbol = m.symbol, side = side, size = D(tr.size), price = D(tr.price), notional = notional, fee = fee,
              liquidity = maker and "maker" or "taker", timestamp = tr.timestamp, info = tr.info,
            }
          end
        end
      end
    end
    return out
  end

  function Client:funding_payments(symbol, opts)
    opts = B.check_payment_window(symbol, opts)
    self:_need_account("funding_payments")
    local m, merr = self:market(symbol)
    if not m then merr.op = "funding_payments"; return nil, merr end
    local r, err = self:_get("funding_payments", "/positionFunding", {
      { "account_index", ("%d"):format(self.account_index) }, { "market_id", m.id }, { "limit", PAGE },
    }, "raw", true)
    if not r then return nil, err end
    local rows = r.data.position_fundings
    if type(rows) ~= "table" then return B.bad_response(self, "funding_payments", "position_fundings: missing", r.data) end
    local out = {}
    for i, row in ipairs(rows) do
      local ts = tonumber(row.timestamp)
      local amount = dec_of(row.change)
      if not ts or not amount then
        return B.bad_response(self, "funding_payments", ("position_fundings[%d]: timestamp and change must be numbers"):format(i), row)
      end
      local at = ts * 1000
      if B.in_payment_window(at, opts)
        and (row.market_id == nil or tonumber(row.market_id) == m.id) then
        out[#out + 1] = {
          id = int_text(row.funding_id), symbol = m.symbol, amount = amount, rate = row.rate and tostring(row.rate),
          size = dec_of(row.position_size), side = row.position_side, timestamp = at, info = row,
        }
      end
    end
    return out
  end
end

return M
