-- edgeX signed calls for venues.edgex: place, cancel, cancel_all, set_leverage, close_position,
-- new_client_id (DESIGN §5). Orders are signed in C (edgex.signer: EIP-712 on v2, Pedersen/Stark
-- on v1) over exactly the quantities that are sent; sizes and prices are rounded here first,
-- with the direction written out. Every order call's error carries err.outcome ("rejected" or
-- "unknown") and err.client_id.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local TIF = { gtc = "GOOD_TIL_CANCEL", ioc = "IMMEDIATE_OR_CANCEL", post_only = "POST_ONLY" }
local MARGIN_MODE = { cross = "0", isolated = "1" }   -- undocumented (V.12 q7); the simulator's reading
local ZERO = D("0")
local BPS = D("10000")
-- How long v1's live market data counts as checked for a contract.
local V1_DATA_CHECK_MS = 60000
-- A mark from the ticker stream is trusted this long for a market order's worst price.
local MARK_FRESH_MS = 5000


-- A client id edgeX takes and that can be looked up again in a signed query (spec §6.1):
-- letters, digits, '.', '_' and '-', at most 64 characters.
local function valid_client_id(id)
  return type(id) == "string" and #id >= 1 and #id <= 64 and id:match("^[%w%._%-]+$") ~= nil
end

function M.extend(Client, E)
  local json_body = E.json_body

  -- The venue's client id format: a lower-case UUID (what the SDKs send besides clock digits;
  -- unlike digits it can never be mistaken for an order id in cancel()).
  function Client.new_client_id()
    return B.new_client_id()
  end

  local function order_fail(self, kind, msg, client_id)
    return B.fail(self, "place", kind, msg, { outcome = "rejected", client_id = client_id })
  end

  -- An order refused for its L2 signature: the signer key does not belong to the account.
  -- Nothing more is sent for this account (spec V.2 (d)).
  local function is_l2_signature_refusal(err)
    local code, msg = tostring(err.code or ""), tostring(err.msg or "")
    return err.kind == "auth" and (code:find("L2") ~= nil or msg:find("[lL]2[ _]?[Ss]ignature") ~= nil)
  end

  function Client:_halt_on_l2_refusal(err)
    if not is_l2_signature_refusal(err) then return end
    local who = self.api_version == "v2" and ("%s (address %s)"):format(self._key_names.order, self.signer:address())
                or self._key_names.order
    self:_stop(("%s does not belong to edgeX account %s: the venue refused an order's L2 signature (%s)"):format(
      who, self.account_id, err.msg), err)
    err.msg = self._fatal.msg
    err.fatal = true
  end

  -- v1 legacy gate (V.0): trade only while the v1 host serves this contract's ticker and funding.
  function Client:_v1_trading_allowed(m, op)
    if self.api_version ~= "v1" then return true end
    self._v1_checked = self._v1_checked or {}
    local until_ms = self._v1_checked[m.id]
    if until_ms and until_ms > hedge.mono_ms() then return true end
    local results, errs = hedge.parallel(
      function() return self:_public(op, "quote/getTicker", { contractId = m.id }, "tickers") end,
      function() return self:_public(op, "funding/getLatestFundingRate", { contractId = m.id }, "funding") end)
    if errs[1] or errs[2] then
      local e = errs[1] or errs[2]
      e = type(e) == "table" and e or B.error(self, op, "network", tostring(e))
      e.outcome = "rejected"
      return nil, e
    end
    local ticker, funding = results[1].data[1], results[2].data[1]
    if not (ticker and ticker.oracle_price and funding and funding.funding_rate) then
      return B.fail(self, op, "not_supported", ("edgeX v1 serves no live market data for %s (getTicker %s, getLatestFundingRate %s): "
        .. "trading on v1 is refused - use api_version = \"v2\""):format(m.symbol, ticker and "answered" or "returned nothing",
        funding and "answered" or "returned nothing"), { outcome = "rejected", retryable = false })
    end
    self._v1_checked[m.id] = hedge.mono_ms() + V1_DATA_CHECK_MS
    return true
  end

  -- The oracle (mark) price a market order's worst price is measured from.
  function Client:_mark(m)
    local cached = B.fresh_mark(self, m.symbol)
    if cached then return cached end
    local r, err = self:_public("place", "quote/getTicker", { contractId = m.id }, "tickers")
    if not r then return nil, err end
    local row = r.data[1]
    if not row or not row.oracle_price then return self:_no_data("place", "oracle price", m) end
    return E.shapes.dec(row.oracle_price)
  end

  -- The fee rate the cap is computed from (spec §7.1 item 4, V.7 item 3): the larger of the
  -- contract's rates and the account's own taker rate, so the cap is never below the real fee.
  local function fee_rate(self, m)
    local rate = m.taker_fee or ZERO
    if m.maker_fee and m.maker_fee > rate then rate = m.maker_fee end
    local own = self:_account_taker_rate(m)
    if own and D(own) > rate then rate = D(own) end
    return tostring(rate)
  end

  function Client:_sign_order(m, o)
    local s = self.signer
    local common = {
      account_id = self.account_id, side = o.side == "buy" and "BUY" or "SELL", type = o.type == "market" and "MARKET" or "LIMIT",
      time_in_force = o.tif, reduce_only = o.reduce_only, price = o.price and tostring(o.price),
      worst_price = o.worst and tostring(o.worst), size = tostring(o.size), client_order_id = o.client_id,
      now_ms = self:now_ms(),
    }
    if self.api_version == "v2" then
      common.market = {
        contract_id = m.id, quote_coin_id = m.quote_coin_id, synthetic_resolution = m.resolution,
        collateral_resolution = m.coin and m.coin.resolution, tick_size = tostring(m.tick),
        taker_fee_rate = m.taker_fee and tostring(m.taker_fee), maker_fee_rate = m.maker_fee and tostring(m.maker_fee),
      }
      common.account_fee_rate = self:_account_taker_rate(m)
      return s:sign_order(common)
    end
    common.market = {
      contract_id = m.id, synthetic_asset_id = m.synthetic_asset_id, synthetic_resolution = m.resolution,
      collateral_asset_id = m.coin and m.coin.stark_asset_id, collateral_resolution = m.coin and m.coin.stark_resolution,
      tick_size = tostring(m.tick),
    }
    common.fee_rate = fee_rate(self, m)
    return s:sign_order(common)
  end

  local function check_place_args(o)
    B.check_place(o, TIF, 3)
    if o.client_id ~= nil and not valid_client_id(o.client_id) then
      error("place: client_id must be 1-64 letters, digits, '.', '_' or '-'", 3)
    end
  end

  -- The slippage as a fraction; edgeX signs a worst price, which a whole price's slippage would
  -- take to zero.
  local function slippage_of(self, o)
    local s, err = B.slippage_bps(self, o, 3)
    if not s then return nil, err end
    if s >= BPS then return nil, "slippage_bps must be above 0 and below 10000" end
    return assert(s:div(BPS, 18, "exact"))
  end

  -- place{symbol, side, size, price?, type, tif?, reduce_only?, client_id?, slippage_bps?}
  --   -> {id, client_id, symbol, side, type, tif, size, price, worst_price, reduce_only, status = "accepted", info}
  -- The size is floored to the step; a limit price is rounded passively (buy down, sell up). A
  -- market order signs a worst price slippage_bps away from the oracle price, rounded outward to
  -- the tick: the signed amounts bound what it can pay or receive.
  function Client:place(o)
    check_place_args(o)
    local client_id = o.client_id or self.new_client_id()
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
      local e
      slippage, e = slippage_of(self, o)
      if not slippage then return order_fail(self, "invalid_order", e, client_id) end
    end
    if self.read_only then return order_fail(self, "auth", "this client is read-only (no edgeX keys)", client_id) end
    local started, sterr = self:start()
    if not started then return B.fail(self, "place", sterr.kind, sterr.msg, { outcome = "rejected", client_id = client_id, code = sterr.code }) end
    local m, merr = self:market(o.symbol)
    if not m then merr.op, merr.outcome, merr.client_id = "place", "rejected", client_id; return nil, merr end
    local allowed, gerr = self:_v1_trading_allowed(m, "place")
    if not allowed then gerr.op, gerr.client_id = "place", client_id; return nil, gerr end
    if not m.enable_trade then return order_fail(self, "invalid_order", ("trading is disabled on %s"):format(m.symbol), client_id) end
    if not m.enable_open_position and not o.reduce_only then
      return order_fail(self, "invalid_order", ("%s is close-only: orders must be reduce-only"):format(m.symbol), client_id)
    end
    local amount = B.size_to_lot(size, m.step)
    if amount < m.min_size then
      return order_fail(self, "invalid_order", ("size %s is below the minimum %s of %s"):format(tostring(amount), tostring(m.min_size), m.symbol), client_id)
    end
    if m.max_size and amount > m.max_size then
      return order_fail(self, "invalid_order", ("size %s is above the maximum %s of %s"):format(tostring(amount), tostring(m.max_size), m.symbol), client_id)
    end
    local worst
    if price then
      price = B.price_to_tick(price, m.tick, o.side)
      if price <= ZERO then return order_fail(self, "invalid_order", ("price %s is below one tick of %s"):format(tostring(price), m.symbol), client_id) end
    else
      local mark, e = self:_mark(m)
      if not mark then e.op, e.outcome, e.client_id = "place", "rejected", client_id; return nil, e end
      worst = B.worst_price(mark, slippage, o.side, m.tick, "away")
      if worst < m.tick then worst = m.tick end   -- a sell's floor: one tick, never zero
    end
    local tif = o.type == "market" and TIF.ioc or TIF[o.tif or "gtc"]
    local req, sgerr = self:_sign_order(m, {
      side = o.side, type = o.type, tif = tif, reduce_only = o.reduce_only == true, price = price, worst = worst,
      size = amount, client_id = client_id,
    })
    if not req then return order_fail(self, sgerr.kind == "auth" and "auth" or "invalid_order", sgerr.msg, client_id) end
    local r, err = self:_private("place", "POST", "order/createOrder", { body = req.body, rendered = req.rendered_params,
                                                                          kind = "create_order", order = true })
    if not r then
      err.client_id = client_id
      self:_halt_on_l2_refusal(err)
      return nil, err
    end
    return {
      id = r.data.order_id, client_id = client_id, symbol = m.symbol, side = o.side, type = o.type,
      tif = o.type == "market" and "ioc" or (o.tif or "gtc"), size = amount, price = price, worst_price = worst,
      reduce_only = o.reduce_only == true, status = "accepted", l2_limit_fee = req.l2_limit_fee, info = r.info,
    }
  end

  -- Reads a cancel answer for one order: -> {result} | nil, err
  local function one_result(self, op, r, id)
    local entry
    for _, e in ipairs(r.data.results) do
      if e.id == id or not entry then entry = e end
    end
    if not entry then return B.fail(self, op, "order_not_found", ("edgeX reported nothing for %s"):format(id), { outcome = "rejected", raw = r.info }) end
    if entry.ok then return entry end
    local kind = entry.result:find("NOT_FOUND") and "order_not_found" or "invalid_order"
    local what = entry.result == "FAILED_ORDER_FILLED" and "is already filled" or ("could not be cancelled (%s)"):format(entry.result)
    if kind == "order_not_found" then what = "was not found" end
    return B.fail(self, op, kind, ("order %s %s"):format(id, what), { code = entry.result, outcome = "rejected" })
  end

  -- cancel(id, symbol?): id is the venue's order id (digits) or a client id.
  function Client:cancel(id, symbol)
    if type(id) == "number" then id = ("%d"):format(id) end
    if type(id) ~= "string" then error("cancel: id must be a string (order id or client id)", 2) end
    if symbol ~= nil and type(symbol) ~= "string" then error("cancel: symbol must be a string", 2) end
    local body
    if id:match("^%d+$") and #id <= 20 then
      body = json_body { { "accountId", self.account_id or "" }, { "orderIdList", { id } } }
    elseif valid_client_id(id) then
      body = json_body { { "accountId", self.account_id or "" }, { "clientOrderIdList", { id } } }
    else
      return B.fail(self, "cancel", "order_not_found", ("%q is neither an order id nor a client id"):format(id), { outcome = "rejected" })
    end
    local name = id:match("^%d+$") and "order/cancelOrderById" or "order/cancelOrderByClientOrderId"
    local r, err = self:_private("cancel", "POST", name, { body = body, kind = "cancel", order = true })
    if not r then return nil, err end
    local entry, eerr = one_result(self, "cancel", r, id)
    if not entry then return nil, eerr end
    return { id = entry.id, symbol = symbol, status = entry.result == "SUCCESS_ORDER_CANCELING" and "cancelling" or "cancelled",
             result = entry.result, info = r.info }
  end

  -- cancel_all(symbol?) -> {symbol, cancelled = n, failed = n, info}
  function Client:cancel_all(symbol)
    if symbol ~= nil and type(symbol) ~= "string" then error("cancel_all: symbol must be a string", 2) end
    local fields = { { "accountId", self.account_id or "" } }
    if symbol then
      local m, err = self:market(symbol)
      if not m then err.op, err.outcome = "cancel_all", "rejected"; return nil, err end
      fields[2] = { "filterContractIdList", { m.id } }
    end
    local r, err = self:_private("cancel_all", "POST", "order/cancelAllOrder", { body = json_body(fields), kind = "cancel", order = true })
    if not r then return nil, err end
    local cancelled, failed = 0, 0
    for _, e in ipairs(r.data.results) do
      if e.ok then cancelled = cancelled + 1 else failed = failed + 1 end
    end
    return { symbol = symbol, cancelled = cancelled, failed = failed, info = r.info }
  end

  -- set_leverage(symbol, leverage, margin_mode?) -> {symbol, leverage, margin_mode, info}.
  -- edgeX refuses a leverage change while the contract has open orders (V.8.3): set it first.
  -- margin_mode ("cross" / "isolated") is v2 only and signed with the order key (V.8.4).
  function Client:set_leverage(symbol, leverage, margin_mode)
    local m, merr = B.leverage_market(self, symbol, leverage, margin_mode, MARGIN_MODE)
    if not m then return nil, merr end
    local info = {}
    if margin_mode then
      if self.api_version ~= "v2" then
        return B.fail(self, "set_leverage", "not_supported", "edgeX v1 has no margin mode setting")
      end
      local started, sterr = self:start()
      if not started then return nil, sterr end
      local req, serr = self.signer:sign_margin_mode { account_id = self.account_id, contract_id = m.id,
        margin_mode = tonumber(MARGIN_MODE[margin_mode]), client_id = self.new_client_id(), now_ms = self:now_ms() }
      if not req then serr.op = "set_leverage"; return nil, serr end
      local r, err = self:_private("set_leverage", "POST", "account/setMarginMode", { body = req.body, rendered = req.rendered_params, kind = "none" })
      if not r then self:_halt_on_l2_refusal(err); return nil, err end
      info.margin = r.info
    end
    local body = json_body { { "accountId", self.account_id or "" }, { "contractId", m.id }, { "leverage", ("%d"):format(leverage) } }
    local r, err = self:_private("set_leverage", "POST", "account/updateLeverageSetting", { body = body, kind = "none" })
    if not r then return nil, err end
    info.leverage = r.info
    return { symbol = symbol, leverage = leverage, margin_mode = margin_mode, info = info }
  end

  Client.close_position = B.close_position

  M.MARK_FRESH_MS = MARK_FRESH_MS
  E.TIF = TIF
end

return M
