-- Pacifica signed calls for venues.pacifica: set_leverage, place, cancel, cancel_all,
-- close_position (DESIGN §5). Requests are signed in C (pacifica.signer) over exactly the body
-- that is sent; sizes and prices are rounded here, with the direction written out, before they
-- are signed. Every order call's error carries err.outcome ("rejected" or "unknown").
local D = require "hedge.decimal"
local B = require "venues.base"
local pp = require "pacifica.parse"

local M = {}

local TIF = { gtc = "GTC", ioc = "IOC", post_only = "ALO" }
local MARGIN_MODES = { cross = true, isolated = true }
local ZERO = D("0")


function M.extend(Client, P)
  -- Signs `type` over payload and POSTs it. -> parsed order result | nil, err (outcome set when
  -- is_order).
  function Client:_signed(op, type, payload, is_order)
    if not self.signer then
      return B.fail(self, op, "auth", "this client is read-only (no secret key)", { outcome = is_order and "rejected" or nil })
    end
    local req, serr = self.signer:sign(type, payload, { expiry_window = self.expiry_window })
    if not req then
      serr.op = op
      if is_order then serr.outcome = "rejected" end
      return nil, serr
    end
    local res, err = B.request(self, {
      op = op, method = "POST", url = self.host .. req.path, body = req.body, headers = self:_headers(true), order = is_order,
    })
    if not res then return nil, err end
    local r, perr = pp.response("order_result", res.body)
    if not r then return B.bad_response(self, op, perr, res.body, is_order) end
    if r.success == false then
      local c = self:classify(res.body, res.status)
      return B.fail(self, op, c.kind, c.msg, { code = c.code, http_status = res.status, raw = res.body,
        outcome = is_order and "rejected" or nil })
    end
    return r
  end

  local function order_fail(self, kind, msg)
    return B.fail(self, "place", kind, msg, { outcome = "rejected" })
  end

  -- The price the minimum notional is measured at for a market order: the venue's mark, from
  -- the last prices answer when it is recent, else read now.
  function Client:_mark(symbol)
    local cached = B.fresh_mark(self, symbol)
    if cached then return cached end
    local t, err = self:ticker(symbol)
    if not t then return nil, err end
    return t.mark
  end

  -- place{symbol, side, size, price?, type, tif?, reduce_only?, client_id?, slippage_bps?}
  --   -> {id, client_id, symbol, side, type, tif, size, price, reduce_only, status = "accepted", info}
  -- The size is floored to the lot; a limit price is rounded passively (buy down, sell up). An
  -- order below the market's minimum notional (measured at the limit price, or at the mark for
  -- a market order) is refused before anything is sent; reduce-only orders are exempt, so a
  -- small remainder can always be closed.
  function Client:place(o)
    B.check_place(o, TIF, 2)
    if o.client_id ~= nil and not B.is_uuid(o.client_id) then
      error("place: client_id must be a UUID (8-4-4-4-12 hex)", 2)
    end
    local size, serr = B.decimal_arg(o.size, "place: size", 2)
    if not size then return order_fail(self, "invalid_order", serr) end
    local price
    if o.price ~= nil then
      local perr
      price, perr = B.decimal_arg(o.price, "place: price", 2)
      if not price then return order_fail(self, "invalid_order", perr) end
    end
    local slippage
    if o.type == "market" then
      local e
      slippage, e = B.slippage_bps(self, o, 2)
      if not slippage then return order_fail(self, "invalid_order", e) end
    end

    local m, merr = self:market(o.symbol)
    if not m then merr.op = "place"; merr.outcome = "rejected"; return nil, merr end
    local amount = B.size_to_lot(size, m.step)
    if amount <= ZERO then
      return order_fail(self, "invalid_order", ("size %s is below one lot (%s) of %s"):format(tostring(size), tostring(m.step), m.symbol))
    end
    if price then
      price = B.price_to_tick(price, m.tick, o.side)
      if price <= ZERO or (m.max_price and m.max_price > ZERO and price > m.max_price) or (m.min_price and price < m.min_price) then
        return order_fail(self, "invalid_order", ("price %s is outside the range of %s"):format(tostring(price), m.symbol))
      end
    end
    if not o.reduce_only and m.min_notional then
      local reference = price
      if not reference then
        local mark, e = self:_mark(o.symbol)
        if not mark then e.op = "place"; e.outcome = "rejected"; return nil, e end
        reference = mark
      end
      if amount * reference < m.min_notional then
        return order_fail(self, "invalid_order", ("notional %s USD (%s at %s) is below the minimum %s USD of %s"):format(
          tostring(amount * reference), tostring(amount), tostring(reference), tostring(m.min_notional), m.symbol))
      end
    end

    local client_id = (o.client_id or B.new_client_id()):lower()
    local wire_side = o.side == "buy" and "bid" or "ask"
    local op_type, payload
    if o.type == "market" then
      op_type = "create_market_order"
      payload = {
        symbol = m.id, amount = amount, side = wire_side, reduce_only = o.reduce_only == true,
        -- bps -> percent: 50 bps is "0.5"
        slippage_percent = assert(slippage:div(D("100"), 18, "exact")):normalize(), client_order_id = client_id,
      }
    else
      op_type = "create_order"
      payload = {
        symbol = m.id, price = price, amount = amount, side = wire_side, tif = TIF[o.tif or "gtc"],
        reduce_only = o.reduce_only == true, client_order_id = client_id,
      }
    end
    local r, err = self:_signed("place", op_type, payload, true)
    if not r then
      err.client_id = client_id
      return nil, err
    end
    if r.order_id == nil then
      return B.bad_response(self, "place", "the venue accepted the order without an order id", r.info, true)
    end
    return {
      id = B.id_text(r.order_id), client_id = client_id, symbol = m.symbol, side = o.side, type = o.type,
      tif = o.type == "market" and "ioc" or (o.tif or "gtc"), size = amount, price = price,
      reduce_only = o.reduce_only == true, status = "accepted", info = r.info,
    }
  end

  -- cancel(id, symbol): id is the venue's order id (digits) or our client id (a UUID).
  function Client:cancel(id, symbol)
    if type(id) == "number" then id = ("%d"):format(id) end
    if type(id) ~= "string" then error("cancel: id must be a string (order id or client id)", 2) end
    if type(symbol) ~= "string" then error("cancel: symbol is required on pacifica", 2) end
    local payload = { symbol = symbol }
    if B.is_uuid(id) then
      payload.client_order_id = id:lower()
    elseif id:match("^%d+$") and #id <= 15 then
      payload.order_id = tonumber(id)
    elseif id:match("^%d+$") and #id <= 18 then
      -- Beyond 2^53 a Lua number is inexact: the signer takes an int64 cdata instead.
      local n = 0LL
      for digit in id:gmatch("%d") do n = n * 10 + tonumber(digit) end
      payload.order_id = n
    else
      return B.fail(self, "cancel", "order_not_found", ("%q is neither an order id nor a client id"):format(id), { outcome = "rejected" })
    end
    local r, err = self:_signed("cancel", "cancel_order", payload, true)
    if not r then return nil, err end
    return { id = id, symbol = symbol, status = "cancelled", info = r.info }
  end

  -- cancel_all(symbol?) -> {symbol, cancelled = n, info}
  function Client:cancel_all(symbol)
    if symbol ~= nil and type(symbol) ~= "string" then error("cancel_all: symbol must be a string", 2) end
    local payload = { all_symbols = symbol == nil, exclude_reduce_only = false, symbol = symbol }
    local r, err = self:_signed("cancel_all", "cancel_all_orders", payload, true)
    if not r then return nil, err end
    return { symbol = symbol, cancelled = r.cancelled_count or 0, info = r.info }
  end

  -- set_leverage(symbol, leverage, margin_mode?) -> {symbol, leverage, margin_mode, info}.
  -- The margin mode is changed only when it differs (the venue refuses any change while a
  -- position is open, even to the same mode).
  function Client:set_leverage(symbol, leverage, margin_mode)
    local m, merr = B.leverage_market(self, symbol, leverage, margin_mode, MARGIN_MODES)
    if not m then return nil, merr end
    local info = {}
    if margin_mode then
      local settings, serr = self:_get("set_leverage", "/account/settings", { { "account", self.account } }, "settings")
      if not settings then return nil, serr end
      local isolated = false
      for _, s in ipairs(settings.data) do if s.symbol == symbol then isolated = s.isolated end end
      if isolated ~= (margin_mode == "isolated") then
        local r, err = self:_signed("set_leverage", "update_margin_mode", { symbol = symbol, is_isolated = margin_mode == "isolated" }, false)
        if not r then return nil, err end
        info.margin = r.info
      end
    end
    local r, err = self:_signed("set_leverage", "update_leverage", { symbol = symbol, leverage = leverage }, false)
    if not r then return nil, err end
    info.leverage = r.info
    return { symbol = symbol, leverage = leverage, margin_mode = margin_mode, info = info }
  end

  Client.close_position = B.close_position

  P.TIF = TIF
end

return M
