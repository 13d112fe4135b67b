-- Lighter signed calls for venues.lighter: set_leverage, place, cancel, cancel_all,
-- close_position, send_tx, send_tx_batch (DESIGN §5, lighter.md §6, §8). Txs are signed in C
-- (lighter.signer) with the nonce the key's sequencer hands out (venues/lighter_nonce.lua) and
-- POSTed as the form sendTx takes; sizes and prices are rounded here, direction written out,
-- before they become the integers that are signed. Every order call's error carries err.outcome.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local lp = require "lighter.parse"

local M = {}

local ZERO = D("0")
local TIF = { gtc = "gtt", ioc = "ioc", post_only = "post_only" }
local MARGIN_MODES = { cross = true, isolated = true }
local MAX_PRICE_UNITS = 4294967295          -- uint32 (§6.6)
local MAX_BASE_UNITS = 281474976710655      -- 2^48 - 1
local INVALID_ORDER_INDEX = 21700
local TX_TYPES = { create_order = 14, cancel_order = 15, cancel_all_orders = 16, modify_order = 17, update_leverage = 20 }
local FORM_HEADERS = { ["Content-Type"] = "application/x-www-form-urlencoded" }


-- tx_info strings inside the JSON array of sendTxBatch (they hold quotes, never control bytes).
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(ch)
    if ch == '"' or ch == "\\" then return "\\" .. ch end
    return ("\\u%04x"):format(ch:byte())
  end) .. '"'
end

function M.extend(Client, L)
  local function strip_outcome(err, is_order)
    if not is_order then err.outcome = nil end
    return nil, err
  end

  -- POST one signed tx. -> {tx_hash, info} | nil, err
  function Client:_post_tx(op, tx, is_order)
    self:_throttle("tx")
    local res, err = B.request(self, {
      op = op, method = "POST", url = self.rest .. "/sendTx", headers = FORM_HEADERS, order = true,
      body = L.form { { "tx_type", tx.tx_type }, { "tx_info", tx.tx_info } },
    })
    if not res then return strip_outcome(err, is_order) end
    local r, perr = lp.response("tx_result", res.body)
    if not r then return B.bad_response(self, op, perr, res.body, is_order) end
    if not r.data.accepted then
      local c = self:classify(res.body, res.status)
      return B.fail(self, op, c.kind, c.msg, { code = c.code, http_status = res.status, raw = res.body,
        outcome = is_order and "rejected" or nil })
    end
    -- The tx hash is the message we signed; a different one means the venue hashed another tx.
    if r.data.tx_hash ~= tx.tx_hash then
      return B.bad_response(self, op, ("the venue reports tx hash %s for the tx we signed as %s"):format(
        tostring(r.data.tx_hash), tx.tx_hash), res.body, is_order)
    end
    return { tx_hash = tx.tx_hash, info = r.data }
  end

  -- An API key, and (once per client, unless verify_api_key is false) that key registered for
  -- the key index with our public key. -> true | nil, err (nothing sent)
  function Client:_ready_to_sign(op, is_order)
    if not self.signer then
      return B.fail(self, op, "auth", "this client is read-only (no API key)", { outcome = is_order and "rejected" or nil })
    end
    if self.verify_api_key and not self._key_checked then
      -- One lookup however many orders start at once (apikeys weighs 150 of the budget).
      if self._key_checking then
        self._key_checking:wait()
      else
        self._key_checking = hedge.event()
        local ok, kerr = self:check_api_key()
        self._key_checked, self._key_check_error = ok == true, kerr
        local ev = self._key_checking
        self._key_checking = nil
        ev:set()
      end
      if not self._key_checked then
        local kerr = self._key_check_error
        local err = B.error(self, op, kerr and kerr.kind or "auth", kerr and kerr.msg or "API key check failed", {
          outcome = is_order and "rejected" or nil, code = kerr and kerr.code })
        return nil, err
      end
    end
    return true
  end

  -- Signs (with the nonce the sequencer gives) and sends one tx of `kind` with `fields`.
  -- -> {tx_hash, nonce, info} | nil, err
  function Client:_submit(op, kind, fields, is_order)
    local ready, rerr = self:_ready_to_sign(op, is_order)
    if not ready then return nil, rerr end
    local used_nonce
    local result, err = self.nonces:submit {
      is_order = is_order,
      build = function(nonce)
        local f = {}
        for k, v in pairs(fields) do f[k] = v end
        f.nonce = nonce
        used_nonce = nonce
        local tx, serr = self.signer[kind](self.signer, f)
        if not tx then
          serr.op = op
          serr.outcome = is_order and "rejected" or nil
          return nil, serr
        end
        return tx
      end,
      send = function(tx) return self:_post_tx(op, tx, is_order) end,
    }
    if not result then return nil, err end
    result.nonce = used_nonce
    return result
  end

  -- send_tx(kind, fields) -> {tx_hash, nonce, info}: any tx the signer knows (create_order,
  -- cancel_order, cancel_all_orders, modify_order, update_leverage), fields as lighter.signer
  -- takes them, the nonce from the sequencer.
  function Client:send_tx(kind, fields)
    if not TX_TYPES[kind] then error("send_tx: kind must be create_order, cancel_order, cancel_all_orders, modify_order or update_leverage", 2) end
    if type(fields) ~= "table" then error("send_tx: fields must be a table", 2) end
    if fields.nonce ~= nil then error("send_tx: the nonce comes from the sequencer, not the caller", 2) end
    return self:_submit("send_tx", kind, fields, kind == "create_order" or kind == "modify_order")
  end

  -- send_tx_batch({{kind, fields}, ...}) -> {tx_hashes, nonces = {first, last}, info}: up to 50
  -- txs signed with consecutive nonces and sent in one sendTxBatch (one key, strictly increasing
  -- nonces, §3.11). A refused batch may have executed a prefix: the outcome is "unknown" then.
  function Client:send_tx_batch(list)
    if type(list) ~= "table" or #list == 0 or #list > 50 then error("send_tx_batch: give 1 to 50 {kind, fields} entries", 2) end
    for i, e in ipairs(list) do
      if type(e) ~= "table" or not TX_TYPES[e[1]] or type(e[2]) ~= "table" then
        error(("send_tx_batch: entry %d must be {kind, fields}"):format(i), 2)
      end
    end
    local ready, rerr = self:_ready_to_sign("send_tx_batch", true)
    if not ready then return nil, rerr end
    local first
    local result, err = self.nonces:submit {
      is_order = true, nonces_used = #list,
      build = function(nonce)
        first = nonce
        local types, infos, hashes = {}, {}, {}
        for i, e in ipairs(list) do
          local f = {}
          for k, v in pairs(e[2]) do f[k] = v end
          f.nonce = nonce + i - 1
          local tx, serr = self.signer[e[1]](self.signer, f)
          if not tx then serr.op = "send_tx_batch"; serr.outcome = "rejected"; return nil, serr end
          types[i], infos[i], hashes[i] = ("%d"):format(tx.tx_type), json_string(tx.tx_info), tx.tx_hash
        end
        return { types = "[" .. table.concat(types, ",") .. "]", infos = "[" .. table.concat(infos, ",") .. "]", hashes = hashes }
      end,
      send = function(batch)
        self:_throttle("tx")
        local res, rerr = B.request(self, {
          op = "send_tx_batch", method = "POST", url = self.rest .. "/sendTxBatch", headers = FORM_HEADERS, order = true,
          body = L.form { { "tx_types", batch.types }, { "tx_infos", batch.infos } },
        })
        if not res then return nil, rerr end
        local r, perr = lp.response("tx_result", res.body)
        if not r then return B.bad_response(self, "send_tx_batch", perr, res.body, true) end
        if not r.data.accepted then
          local c = self:classify(res.body, res.status)
          -- Refusals of the whole batch before anything ran; any other may follow executed txs.
          local whole = c.code == 21104 or c.code == 21105 or c.code == 21120 or c.code == 21121 or c.code == 21514 or c.code == 20001
          return B.fail(self, "send_tx_batch", c.kind, c.msg, { code = c.code, http_status = res.status, raw = res.body,
            outcome = whole and "rejected" or "unknown" })
        end
        return { tx_hashes = r.data.tx_hashes, signed_hashes = batch.hashes, info = r.data }
      end,
    }
    if not result then return nil, err end
    result.nonces = { first, first + #list - 1 }
    return result
  end

  -- ---- orders ------------------------------------------------------------------------------------

  local function order_fail(self, kind, msg, client_id)
    return B.fail(self, "place", kind, msg, { outcome = "rejected", client_id = client_id })
  end

  -- Best opposite price for a market order's cap: the live book when one is watched and fresh,
  -- else the top of GET orderBookOrders.
  function Client:_best_opposite(m, side)
    local live = self._books and self._books[m.symbol]
    if live and not live.stale then
      local top = side == "buy" and live.asks[1] or live.bids[1]
      if top then return top.price end
    end
    local r, err = self:_get("place", "/orderBookOrders", { { "market_id", m.id }, { "limit", 1 } }, "book_orders")
    if not r then return nil, err end
    local top = side == "buy" and r.data.asks[1] or r.data.bids[1]
    if not top then return B.fail(self, "place", "invalid_order", ("no %s liquidity in %s for a market order"):format(side == "buy" and "ask" or "bid", m.symbol)) end
    return D(top.price)
  end

  -- place{symbol, side, size, price?, type, tif?, reduce_only?, client_id?, slippage_bps?}
  --   -> {id (client order index as text), client_id, client_index, symbol, side, type, tif, size,
  --       price, reduce_only, status = "accepted", tx_hash, nonce, info}
  -- The size is floored to the step; a limit price is rounded passively (buy down, sell up); a
  -- market order is an IOC whose signed price is the worst acceptable one: best opposite price
  -- x (1 +- slippage_bps), rounded inward to the tick. Below the market's minimum size or
  -- notional (at the limit price, or the best opposite price) nothing is sent, except for
  -- reduce-only orders, so a small remainder can always be closed.
  function Client:place(o)
    B.check_place(o, TIF, 2)
    local client_id = o.client_id and o.client_id:lower() or B.new_client_id()
    local index = L.client_index(client_id)
    if not index then error("place: client_id must be a UUID or a client order index (1 .. 2^48-1, digits)", 2) end
    local size, serr = B.decimal_arg(o.size, "place: size", 2)
    if not size then return order_fail(self, "invalid_order", serr, client_id) end
    local price
    if o.price ~= nil then
      local perr
      price, perr = B.decimal_arg(o.price, "place: price", 2)
      if not price then return order_fail(self, "invalid_order", perr, client_id) end
    end
    local slippage
    if o.type == "market" then
      local bps, e = B.slippage_bps(self, o, 2)
      if not bps then return order_fail(self, "invalid_order", e, client_id) end
      slippage = assert(bps:div(D("10000"), 18, "exact"))
    end

    local m, merr = self:market(o.symbol)
    if not m then merr.op = "place"; merr.outcome = "rejected"; merr.client_id = client_id; return nil, merr end
    local amount = B.size_to_lot(size, m.step)
    if amount <= ZERO then
      return order_fail(self, "invalid_order", ("size %s is below one step (%s) of %s"):format(tostring(size), tostring(m.step), m.symbol), client_id)
    end
    local reference = price
    if o.type == "market" then
      local best, berr = self:_best_opposite(m, o.side)
      if not best then berr.op = "place"; berr.outcome = "rejected"; berr.client_id = client_id; return nil, berr end
      reference = best
      -- The cap: never worse than the slippage allows, so it is rounded toward the book.
      price = B.worst_price(best, slippage, o.side, m.tick, "book")
    else
      price = B.price_to_tick(price, m.tick, o.side)
    end
    if price <= ZERO then return order_fail(self, "invalid_order", ("price %s is not positive"):format(tostring(price)), client_id) end
    if not o.reduce_only then
      if m.min_size and amount < m.min_size then
        return order_fail(self, "invalid_order", ("size %s is below the minimum %s of %s"):format(tostring(amount), tostring(m.min_size), m.symbol), client_id)
      end
      if m.min_notional and amount * reference < m.min_notional then
        return order_fail(self, "invalid_order", ("notional %s USD (%s at %s) is below the minimum %s USD of %s"):format(
          tostring(amount * reference), tostring(amount), tostring(reference), tostring(m.min_notional), m.symbol), client_id)
      end
    end
    if m.max_notional and not m.max_notional:is_zero() and amount * reference > m.max_notional then
      return order_fail(self, "invalid_order", ("notional %s USD is above the maximum %s USD of %s"):format(tostring(amount * reference), tostring(m.max_notional), m.symbol), client_id)
    end
    local base_units = assert(amount:to_units(m.step, "exact"))
    local price_units = assert(price:to_units(m.tick, "exact"))
    if base_units > MAX_BASE_UNITS then return order_fail(self, "invalid_order", "size is beyond what one order can carry", client_id) end
    if price_units > MAX_PRICE_UNITS then return order_fail(self, "invalid_order", ("price %s is beyond the price range of %s"):format(tostring(price), m.symbol), client_id) end
    local tif = o.type == "market" and "ioc" or (o.tif or "gtc")

    self._client_ids[index] = client_id
    local r, err = self:_submit("place", "create_order", {
      market_index = m.id, client_order_index = index, base_amount = base_units, price = price_units, side = o.side,
      type = o.type, time_in_force = TIF[tif], reduce_only = o.reduce_only == true,
    }, true)
    if not r then
      err.client_id = client_id
      return nil, err
    end
    return {
      id = ("%d"):format(index), client_id = client_id, client_index = index, symbol = m.symbol, side = o.side,
      type = o.type, tif = tif, size = amount, price = price, reduce_only = o.reduce_only == true,
      status = "accepted", tx_hash = r.tx_hash, nonce = r.nonce, info = r.info,
    }
  end

  -- cancel(id, symbol): id is our client id (a UUID), a client order index or the venue's order
  -- index (digits); Lighter's CancelOrder takes either index in the same field.
  function Client:cancel(id, symbol)
    if type(id) == "number" then id = ("%d"):format(id) end
    if type(id) ~= "string" then error("cancel: id must be a string (order id or client id)", 2) end
    if type(symbol) ~= "string" then error("cancel: symbol is required on lighter", 2) end
    local m, merr = self:market(symbol)
    if not m then merr.op = "cancel"; merr.outcome = "rejected"; return nil, merr end
    local index
    if B.is_uuid(id:lower()) then index = L.client_index(id:lower())
    elseif id:match("^%d+$") and #id <= 18 then index = id   -- a decimal string: exact beyond 2^53 too
    else
      return B.fail(self, "cancel", "order_not_found", ("%q is neither an order index nor a client id"):format(id), { outcome = "rejected" })
    end
    local r, err = self:_submit("cancel", "cancel_order", { market_index = m.id, index = index }, true)
    if not r then
      if err.code == INVALID_ORDER_INDEX then err.kind, err.retryable = "order_not_found", false end
      return nil, err
    end
    return { id = id, symbol = symbol, status = "cancelled", tx_hash = r.tx_hash, info = r.info }
  end

  -- cancel_all(symbol?) -> {symbol, cancelled = n, tx_hash, info}. Lighter does not say how many
  -- it cancelled: n is the number of open orders listed just before.
  function Client:cancel_all(symbol)
    if symbol ~= nil and type(symbol) ~= "string" then error("cancel_all: symbol must be a string", 2) end
    local fields = { time_in_force = "now", time = 0 }
    if symbol then
      local m, merr = self:market(symbol)
      if not m then merr.op = "cancel_all"; merr.outcome = "rejected"; return nil, merr end
      fields.attributes = { cancel_all_market_index = m.id }
    end
    local open = self:open_orders(symbol)
    local r, err = self:_submit("cancel_all", "cancel_all_orders", fields, true)
    if not r then return nil, err end
    return { symbol = symbol, cancelled = open and #open or nil, tx_hash = r.tx_hash, info = r.info }
  end

  -- set_leverage(symbol, leverage, margin_mode?) -> {symbol, leverage, margin_mode,
  -- initial_margin_fraction, tx_hash, info}. IMF = floor(10000 / leverage) (§6.10); without a
  -- margin mode the market's current one is kept (UpdateLeverage always carries one).
  function Client:set_leverage(symbol, leverage, margin_mode)
    local m, merr = B.leverage_market(self, symbol, leverage, margin_mode, MARGIN_MODES)
    if not m then return nil, merr end
    if not margin_mode then
      local a, aerr = self:_account("set_leverage")
      if not a then return nil, aerr end
      margin_mode = "cross"
      for _, p in ipairs(a.positions) do
        if p.market_id == m.id and p.margin_mode == 1 then margin_mode = "isolated" end
      end
    end
    local imf = math.floor(10000 / leverage)
    local r, err = self:_submit("set_leverage", "update_leverage", {
      market_index = m.id, initial_margin_fraction = imf, margin_mode = margin_mode,
    }, false)
    if not r then return nil, err end
    return { symbol = symbol, leverage = leverage, margin_mode = margin_mode, initial_margin_fraction = imf, tx_hash = r.tx_hash, info = r.info }
  end

  Client.close_position = B.close_position

  L.TIF = TIF
  L.TX_TYPES = TX_TYPES
  M.json_string = json_string
end

return M
