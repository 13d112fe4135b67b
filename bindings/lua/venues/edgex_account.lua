-- edgeX account reads for venues.edgex (spec §4.1-4.3): balance, positions, open orders, order by
-- client id, fills, and the account's own fee rate. All private: they run the client's start-up
-- check first (venues/edgex.lua).
local B = require "venues.base"

local M = {}

local MAX_ORDER_PAGES = 5
-- The query values edgeX signs and sends must read the same encoded and decoded (spec §6.1).
local QUERY_VALUE = "^[%w%._,%-]+$"

local check_symbol = B.check_symbol

function M.extend(Client, E)
  local S = E.shapes

  function Client:_account_asset(op)
    local r, err = self:_private(op, "GET", "account/getAccountAsset", { kind = "account_asset" })
    if not r then return nil, err end
    if r.data.account then self._account = r.data.account end
    return r.data
  end

  function Client:balance()
    local a, err = self:_account_asset("balance")
    if not a then return nil, err end
    local coin = self._meta.collateral
    local b, berr = S.balance(a, coin and coin.coin_id or "1000", coin and coin.name)
    if not b then return B.bad_response(self, "balance", berr, a.info) end
    return b
  end

  -- positions(symbols?) -> open positions (flat rows are left out), entry/PnL/liquidation from
  -- positionAssetList.
  function Client:positions(symbols)
    local want
    if symbols ~= nil then
      want = {}
      for _, s in ipairs(type(symbols) == "string" and { symbols } or symbols) do check_symbol(s, "positions", 2); want[s] = true end
    end
    local a, err = self:_account_asset("positions")
    if not a then return nil, err end
    local assets = {}
    for _, pa in ipairs(a.position_assets) do assets[pa.contract_id] = pa end
    local out = {}
    for _, p in ipairs(a.positions) do
      local m = self._meta.by_id[p.contract_id] or { symbol = "contract:" .. p.contract_id }
      if not want or want[m.symbol] then
        local pos = S.position(p, assets[p.contract_id], m)
        if pos then out[#out + 1] = pos end
      end
    end
    return out
  end

  -- The fee rate the account pays as taker on a contract (spec §4.1), or nil when the account has
  -- none of its own (the contract default then applies).
  function Client:_account_taker_rate(m)
    local a = self._account
    if not a then return nil end
    local s = a.settings and a.settings[m.id]
    if s and s.is_set_fee_rate and s.taker_fee_rate then return s.taker_fee_rate end
    s = a.default_setting
    if s and s.is_set_fee_rate and s.taker_fee_rate then return s.taker_fee_rate end
    return nil
  end

  function Client:open_orders(symbol)
    if symbol ~= nil then check_symbol(symbol, "open_orders", 2) end
    local query = { size = "200" }
    if symbol then
      local m, err = self:market(symbol)
      if not m then err.op = "open_orders"; return nil, err end
      query.filterContractIdList = m.id
    end
    local out = {}
    for _ = 1, MAX_ORDER_PAGES do
      local r, err = self:_private("open_orders", "GET", "order/getActiveOrderPage", { query = query, kind = "order_page" })
      if not r then return nil, err end
      for _, o in ipairs(r.data.list) do out[#out + 1] = S.order(o, self._meta.by_id[o.contract_id]) end
      if not r.data.next_offset then break end
      query = { size = "200", filterContractIdList = query.filterContractIdList, offsetData = r.data.next_offset }
    end
    return out
  end

  -- order(client_id, symbol?) -> order | nil, err (order_not_found). The active orders first, then
  -- the finished ones (edgeX serves them from separate endpoints, spec §4.3).
  function Client:order(client_id, symbol)
    if type(client_id) ~= "string" then error("order: client_id must be a string", 2) end
    if symbol ~= nil then check_symbol(symbol, "order", 2) end
    if not client_id:match(QUERY_VALUE) or client_id:find(",", 1, true) then
      return B.fail(self, "order", "order_not_found", ("%q is not a client id this client sends"):format(client_id))
    end
    for _, name in ipairs { "order/getOrderByClientOrderId", "order/getHistoryOrderByClientOrderId" } do
      local r, err = self:_private("order", "GET", name, { query = { clientOrderIdList = client_id }, kind = "orders" })
      if not r then return nil, err end
      for _, o in ipairs(r.data) do
        local m = self._meta.by_id[o.contract_id]
        if o.client_order_id == client_id and (symbol == nil or (m and m.symbol == symbol)) then return S.order(o, m) end
      end
    end
    return B.fail(self, "order", "order_not_found", ("no order with client id %s%s on edgeX"):format(client_id, symbol and (" in " .. symbol) or ""))
  end

  -- fills(symbol?, {limit = 100}) -> the account's fills, newest first.
  function Client:fills(symbol, opts)
    opts = B.check_options(opts, { limit = "number" }, "fills", 2)
    local query = { size = tostring(math.min(opts.limit or 100, 100)) }
    if symbol ~= nil then
      local m, err = self:market(symbol)
      if not m then err.op = "fills"; return nil, err end
      query.filterContractIdList = m.id
    end
    local r, err = self:_private("fills", "GET", "order/getHistoryOrderFillTransactionPage", { query = query, kind = "fill_page" })
    if not r then return nil, err end
    local out = {}
    for i, f in ipairs(r.data.list) do out[i] = S.fill(f, self._meta.by_id[f.contract_id]) end
    return out
  end
end

return M
