-- What Pacifica booked for the account, for venues.pacifica: the fills of given orders with
-- their fees and realised PnL (GET trades/history), and the funding payments of a market (GET
-- funding/history), pacifica.md §3. The strategy builds a cycle's PnL split from these.
--
--   client:fills_for(symbol, orders) -> {fill, ...}, newest first
--     orders = {{client_id = "uuid", order_id = "venue id"?}, ...}; fill = {id, order_id,
--     client_id (as given), symbol, side, size, price, notional, fee (D, + = paid), realized_pnl,
--     liquidity = "maker" | "taker", timestamp (ms), info}
--   client:funding_payments(symbol, {since_ms?, until_ms?}) -> {payment, ...}, newest first
--     payment = {id, symbol, amount (D, + = received), rate (text), size (D), side, timestamp (ms), info}
--
-- A trade that flips a position comes as two records (close, then open) with one fee, on the
-- first. Histories are read newest first, a few pages at most: what a cycle needs is recent.
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local PAGE = 100
local MAX_PAGES = 5
local BUY_SIDES = { open_long = true, close_short = true }
local SELL_SIDES = { open_short = true, close_long = true }

local function decimal_text(v, what, i)
  if type(v) ~= "string" then return nil, ("%s[%d]: expected a decimal string, got %s"):format(what, i, type(v)) end
  local d, err = D.parse(v)
  if not d then return nil, ("%s[%d]: %q is not a decimal: %s"):format(what, i, v, tostring(err)) end
  return d
end

function M.extend(Client)
  -- GET path newest first, page by page, until stop(rows) says enough or MAX_PAGES.
  local function pages(self, op, path, params, kind, stop)
    local all, cursor = {}, nil
    for _ = 1, MAX_PAGES do
      local p = {}
      for i, kv in ipairs(params) do p[i] = kv end
      p[#p + 1] = { "limit", PAGE }
      if cursor then p[#p + 1] = { "cursor", cursor } end
      local r, err = self:_get(op, path, p, kind)
      if not r then return nil, err end
      if type(r.data) ~= "table" then return B.bad_response(self, op, "data: expected a list", r.data) end
      for _, row in ipairs(r.data) do all[#all + 1] = row end
      if not r.has_more or not r.next_cursor or stop(all) then break end
      cursor = r.next_cursor
    end
    return all
  end

  function Client:fills_for(symbol, orders)
    if type(symbol) ~= "string" then error("fills_for: symbol must be a string", 2) end
    if type(orders) ~= "table" then error("fills_for: orders must be a list", 2) end
    local by_client, by_order, wanted = {}, {}, 0
    for i, o in ipairs(orders) do
      if type(o) ~= "table" or (o.client_id == nil and o.order_id == nil) then
        error(("fills_for: orders[%d] must be {client_id = ..., order_id = ...}"):format(i), 2)
      end
      if o.client_id ~= nil then by_client[tostring(o.client_id):lower()] = o end
      if o.order_id ~= nil then by_order[tostring(o.order_id)] = o end
      wanted = wanted + 1
    end
    local function entry_of(row)
      return (row.client_order_id and by_client[row.client_order_id:lower()]) or by_order[B.id_text(row.order_id) or ""]
    end
    local rows, err = pages(self, "fills_for", "/trades/history", { { "account", self.account }, { "symbol", symbol } }, "trades",
      function(all)
        local seen = {}
        for _, row in ipairs(all) do
          local e = entry_of(row)
          if e then seen[e] = true end
        end
        local n = 0
        for _ in pairs(seen) do n = n + 1 end
        return n >= wanted
      end)
    if not rows then return nil, err end
    local out = {}
    for _, row in ipairs(rows) do
      local entry = entry_of(row)
      if entry and row.symbol == symbol then
        local side = BUY_SIDES[row.side] and "buy" or SELL_SIDES[row.side] and "sell" or nil
        if not side then return B.bad_response(self, "fills_for", ("trade side %q is not one Pacifica documents"):format(tostring(row.side)), row.info) end
        local size, price = D(row.amount), D(row.price)
        out[#out + 1] = {
          id = B.id_text(row.history_id) .. ":" .. row.side, order_id = B.id_text(row.order_id), client_id = entry.client_id,
          symbol = symbol, side = side, size = size, price = price, notional = size * price, fee = B.dec(row.fee) or D("0"),
          realized_pnl = B.dec(row.pnl), liquidity = row.event_type == "fulfill_maker" and "maker" or "taker",
          timestamp = row.created_at, info = row.info,
        }
      end
    end
    return out
  end

  function Client:funding_payments(symbol, opts)
    opts = B.check_payment_window(symbol, opts)
    local rows, err = pages(self, "funding_payments", "/funding/history", { { "account", self.account } }, "raw",
      function(all)
        local last = all[#all]
        return opts.since_ms ~= nil and last ~= nil and tonumber(last.created_at) ~= nil and tonumber(last.created_at) <= opts.since_ms
      end)
    if not rows then return nil, err end
    local out = {}
    for i, row in ipairs(rows) do
      local at = tonumber(row.created_at)
      local amount, aerr = decimal_text(row.payout, "funding/history payout", i)
      if not at or not amount then
        return B.bad_response(self, "funding_payments", aerr or ("funding/history[%d]: created_at must be a number"):format(i), row)
      end
      if row.symbol == symbol and B.in_payment_window(at, opts) then
        out[#out + 1] = {
          id = B.id_text(row.history_id), symbol = symbol, amount = amount, rate = row.rate, size = B.dec(row.amount),
          side = row.side == "bid" and "long" or row.side == "ask" and "short" or row.side, timestamp = at, info = row,
        }
      end
    end
    return out
  end
end

return M
