-- venues.lighter: the Lighter (zkLighter) perpetuals client in the unified interface of DESIGN §5.
--
--   local L = require "venues.lighter"
--   local v, err = L.new{network = "mainnet", account_index = 281, api_key_index = 3, private_key = "<80 hex>"}
--   -- or L.new{rest = ".../api/v1", ws = "wss://.../stream", chain_id = 304, ...}; without
--   -- private_key the keys come from the environment (API_KEY_PRIVATE_KEY, ACCOUNT_INDEX,
--   -- API_KEY_INDEX); L.new{..., read_only = true, account_index = n} reads public data only.
--
-- Reads: markets(), market(symbol), funding_rates(symbols?), order_book(symbol, depth?),
-- ticker(symbol), tickers(symbols?), balance(), positions(symbols?), open_orders(symbol?), order(client_id, symbol).
-- Trading (venues/lighter_trading.lua): set_leverage, place, cancel, cancel_all, close_position,
-- send_tx, send_tx_batch. Streams (venues/lighter_stream.lua): watch_book, watch_prices,
-- watch_account. Funding units (venues/lighter_funding.lua): see there.
-- Every method may wait and returns a value or nil, err (venues/base.lua); results keep the
-- venue's payload under `info`; prices and sizes are hedge.decimal values. Lighter has no order id
-- before a tx executes, so `place` returns id = the client order index (CancelOrder takes either
-- index). Client ids are UUIDs (as on every venue); each maps to a 48-bit client order index.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local lp = require "lighter.parse"
local signer_module = require "lighter.signer"
local stream = require "venues.stream"

local L = {}
local Client = {}
Client.__index = Client
L.Client = Client

local NETWORKS = {
  mainnet = { rest = "https://mainnet.zklighter.elliot.ai/api/v1", ws = "wss://mainnet.zklighter.elliot.ai/stream", chain_id = 304 },
  testnet = { rest = "https://testnet.zklighter.elliot.ai/api/v1", ws = "wss://testnet.zklighter.elliot.ai/stream", chain_id = 300 },
}
L.FUNDING_INTERVAL_MS = 3600000
-- Standard accounts: 60 REST requests and 60 txs per rolling minute (§10).
local STANDARD_PER_MINUTE = 60
local AUTH_LIFETIME_S = 6 * 3600       -- the venue accepts at most 8 h ahead (§5)
local AUTH_REFRESH_BEFORE_S = 30 * 60
local INACTIVE_PAGES = 3

local OPTIONS = {
  rest = "string", ws = "string", network = "string", chain_id = "number", account_index = "any",
  api_key_index = "any", private_key = "string", read_only = "boolean", timeout = "number",
  read_retries = "number", max_rate_wait = "number", slippage_bps = "number", ping_interval = "number",
  requests_per_minute = "number", txs_per_minute = "number", funding_rate_unit = "string",
  funding_check = "string", funding_check_ratio = "number", auth_lifetime = "number",
  verify_api_key = "boolean", ticker_max_age = "number",
}

local function integer_option(v, what)
  if type(v) == "string" and v:match("^%d+$") then v = tonumber(v) end
  if type(v) ~= "number" or v % 1 ~= 0 or v < 0 then error("lighter.new: " .. what .. " must be a non-negative integer", 3) end
  return v
end

-- L.new(opts) -> client | nil, err (bad keys are data errors; unknown options raise).
function L.new(opts)
  B.check_options(opts, OPTIONS, "lighter.new", 2)
  opts = opts or {}
  local net = opts.network and NETWORKS[opts.network]
  if opts.network and not net then error("lighter.new: network must be 'mainnet' or 'testnet'", 2) end
  local rest = opts.rest or (net and net.rest)
  local ws = opts.ws or (net and net.ws)
  if not rest then error("lighter.new: give network, or the rest (and ws) URL", 2) end
  local chain_id = opts.chain_id or (net and net.chain_id)
  if not chain_id and not opts.read_only then error("lighter.new: chain_id is required with explicit URLs (304 mainnet, 300 testnet)", 2) end
  local c = setmetatable({
    name = "lighter",
    rest = rest:gsub("/+$", ""),
    ws_url = ws,
    chain_id = chain_id,
    timeout = opts.timeout or 10,
    read_retries = opts.read_retries or 2,
    max_rate_wait = opts.max_rate_wait or 10,
    slippage_bps = opts.slippage_bps or 50,
    ping_interval = opts.ping_interval or 30,
    -- market_stats older than this (seconds) no longer stands in for a REST read (tickers)
    ticker_max_age = opts.ticker_max_age or 10,
    auth_lifetime = opts.auth_lifetime or AUTH_LIFETIME_S,
    -- Before the first tx, compare our public key with the one registered for the key index
    -- (§3.10): a wrong key or index fails there, with a clear message, not as 21120 per order.
    verify_api_key = opts.verify_api_key ~= false,
    -- Budgets default to the Standard tier on the real networks; none against a local simulator.
    requests_per_minute = opts.requests_per_minute or (net and STANDARD_PER_MINUTE) or nil,
    txs_per_minute = opts.txs_per_minute or (net and STANDARD_PER_MINUTE) or nil,
    _windows = { rest = {}, tx = {} },
    _client_ids = {},       -- client order index -> the UUID it was made from (this session)
    _markets = nil, _by_id = {},
  }, Client)
  if c.auth_lifetime > 8 * 3600 or c.auth_lifetime < 2 * AUTH_REFRESH_BEFORE_S then
    error("lighter.new: auth_lifetime must be between 1 and 8 hours", 2)
  end
  require("venues.lighter_funding").configure(c, opts)
  if opts.read_only then
    if opts.private_key then error("lighter.new: read_only takes no private_key", 2) end
    if opts.account_index ~= nil then c.account_index = integer_option(opts.account_index, "account_index") end
  else
    local signer, err
    if opts.private_key then
      if opts.account_index == nil or opts.api_key_index == nil then error("lighter.new: private_key needs account_index and api_key_index", 2) end
      signer, err = signer_module.new {
        private_key = opts.private_key, chain_id = chain_id,
        account_index = integer_option(opts.account_index, "account_index"),
        api_key_index = integer_option(opts.api_key_index, "api_key_index"),
      }
    else
      signer, err = signer_module.from_env { chain_id = chain_id }
    end
    if not signer then
      err.op = "new"
      return nil, err
    end
    c.signer = signer
    c.account_index = signer:account_index()
    c.api_key_index = signer:api_key_index()
    c.nonces = require("venues.lighter_nonce").for_key(c, c.account_index, c.api_key_index)
  end
  local trade = not opts.read_only
  local account = c.account_index ~= nil
  c.has = B.capabilities {
    markets = true, funding_rates = true, order_book = true, watch_book = ws ~= nil, ticker = true,
    balance = account, positions = account, set_leverage = trade, margin_mode = trade, place = trade,
    market_order = trade, limit_order = trade, post_only = trade, ioc = trade, reduce_only = trade,
    client_id = trade, cancel = trade, cancel_by_client_id = trade, cancel_all = trade,
    open_orders = trade, order = trade, close_position = trade, watch_prices = ws ~= nil,
    watch_account = trade and ws ~= nil,
  }
  return c
end

function Client:__tostring()
  return ("lighter client %s/%s (%s)"):format(tostring(self.account_index or "?"), tostring(self.api_key_index or "-"), self.rest)
end

-- ---- transport ---------------------------------------------------------------------------------

function Client:classify(body, status)
  return lp.error(body, status)
end

-- A rolling-minute budget (§10): waits until fewer than `limit` calls were made in the last 60 s.
function Client:_throttle(which)
  local limit = which == "tx" and self.txs_per_minute or self.requests_per_minute
  if not limit then return end
  local window, span = self._windows[which], self._rate_window_ms or 60000
  while true do
    local now = hedge.mono_ms()
    while window[1] and window[1] <= now - span do table.remove(window, 1) end
    if #window < limit then window[#window + 1] = now; return end
    hedge.sleep((window[1] + span - now) / 1000 + 0.001)
  end
end

local function escape(v)
  return (tostring(v):gsub("[^%w%-_%.~]", function(ch) return ("%%%02X"):format(ch:byte()) end))
end

local function query_string(params)
  local parts = {}
  for _, kv in ipairs(params or {}) do parts[#parts + 1] = kv[1] .. "=" .. escape(kv[2]) end
  return #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
end
L.form = function(fields)
  local parts = {}
  for _, kv in ipairs(fields) do parts[#parts + 1] = kv[1] .. "=" .. escape(kv[2]) end
  return table.concat(parts, "&")
end

-- An auth token for private reads and channels, renewed well before its deadline (§5).
function Client:auth_token()
  if not self.signer then return nil, B.error(self, "auth", "auth", "this client is read-only (no API key)") end
  local now_s = math.floor(hedge.now_ms() / 1000)
  if not self._auth or self._auth.deadline - now_s < AUTH_REFRESH_BEFORE_S then
    local deadline = now_s + self.auth_lifetime
    local token, err = self.signer:auth_token(deadline)
    if not token then err.op = "auth"; return nil, err end
    self._auth = { token = token, deadline = deadline }
  end
  return self._auth.token
end

-- GET path with params and read the answer as `kind` (lighter.parse). private: send the auth
-- token. -> r (r.data ...) | nil, err
function Client:_get(op, path, params, kind, private)
  local headers
  if private then
    local token, err = self:auth_token()
    if not token then err.op = op; return nil, err end
    headers = { Authorization = token }
  end
  self:_throttle("rest")
  local res, err = B.request(self, { op = op, method = "GET", url = self.rest .. path .. query_string(params), headers = headers })
  if not res then return nil, err end
  local r, perr = lp.response(kind, res.body)
  if not r then return B.bad_response(self, op, perr, res.body) end
  if r.code ~= nil and r.code ~= 200 then
    local c = self:classify(res.body, res.status)
    return B.fail(self, op, c.kind, c.msg, { code = c.code, http_status = res.status, raw = res.body })
  end
  if r.data == nil then return B.bad_response(self, op, "the answer has no data", res.body) end
  return r
end

-- ---- unified shapes ------------------------------------------------------------------------------

local dec = B.dec
local ZERO = D("0")

local function to_market(m)
  local min_imf = m.min_initial_margin_fraction
  return {
    symbol = m.symbol, id = m.market_id, base = m.symbol, quote = "USD",
    type = (m.market_type == "perp" or m.market_type == nil) and "perpetual" or m.market_type, status = m.status,
    tick = D(m.tick), step = D(m.step), price_decimals = m.price_decimals, size_decimals = m.size_decimals,
    min_size = dec(m.min_base_amount), min_notional = dec(m.min_quote_amount),
    max_notional = dec(m.order_quote_limit),
    max_leverage = min_imf and math.floor(10000 / min_imf) or nil,
    min_initial_margin_fraction = min_imf, default_initial_margin_fraction = m.default_initial_margin_fraction,
    maintenance_margin_fraction = m.maintenance_margin_fraction,
    taker_fee = dec(m.taker_fee), maker_fee = dec(m.maker_fee), -- percent
    last_price = dec(m.last_trade_price), volume_24h = dec(m.volume_24h),
    funding_interval_ms = L.FUNDING_INTERVAL_MS, info = m.info,
  }
end
L.to_market = to_market

-- Client id <-> client order index: a UUID maps to its first 48 bits (1 .. 2^48-1; v4 UUIDs are
-- random there), a decimal string is the index itself.
local TWO_48 = 2 ^ 48
function L.client_index(client_id)
  if B.is_uuid(client_id) then
    local n = tonumber(client_id:sub(1, 8) .. client_id:sub(10, 13), 16)
    if n == 0 then n = 1 end
    return n
  end
  if type(client_id) == "string" and client_id:match("^%d+$") and #client_id <= 15 then
    local n = tonumber(client_id)
    if n >= 1 and n < TWO_48 then return n end
  end
  return nil
end

function Client:_client_id_of(index)
  if not index or index == 0 then return nil end
  return self._client_ids[index] or ("%d"):format(index)
end

local ORDER_STATUS = {
  open = "open", ["in-progress"] = "open", pending = "open", filled = "filled",
}
local TIF_NAMES = { ["good-till-time"] = "gtc", ["immediate-or-cancel"] = "ioc", ["post-only"] = "post_only" }

function Client:_to_order(o)
  local m = self._by_id[o.market_index]
  local size, filled = D(o.initial_base_amount), D(o.filled_base_amount or "0")
  local status = ORDER_STATUS[o.status] or (o.status and o.status:match("^canceled") and "cancelled") or o.status
  local avg
  if filled > ZERO and o.filled_quote_amount then avg = assert(D(o.filled_quote_amount):div(filled, 18, "half_even")):normalize() end
  return {
    id = o.order_id, client_id = self:_client_id_of(o.client_order_index), client_index = o.client_order_index,
    symbol = m and m.symbol or tostring(o.market_index), market_id = o.market_index,
    side = o.is_ask and "sell" or "buy", type = o.type, tif = TIF_NAMES[o.time_in_force] or o.time_in_force,
    price = dec(o.price), size = size, filled = filled,
    remaining = status == "open" and D(o.remaining_base_amount) or ZERO,
    avg_price = avg, status = status, reason = status == "cancelled" and o.status or nil,
    reduce_only = o.reduce_only, timestamp = o.updated_at or o.timestamp, info = o.info,
  }
end

-- ---- market data -------------------------------------------------------------------------------

function Client:markets()
  local r, err = self:_get("markets", "/orderBookDetails", nil, "markets")
  if not r then return nil, err end
  local list, by_symbol, by_id = {}, {}, {}
  for _, row in ipairs(r.data) do
    if row.market_type == nil or row.market_type == "perp" then
      local m = to_market(row)
      list[#list + 1] = m
      by_symbol[m.symbol] = m
      by_id[m.id] = m
    end
  end
  self._markets, self._by_id = by_symbol, by_id
  return list
end

local check_symbol = B.check_symbol

-- The market of a symbol from the cache, loading (once more) when it is not there.
Client.market = B.cached_market

-- order_book(symbol, depth?) -> {symbol, bids, asks, info}: resting orders aggregated by price.
function Client:order_book(symbol, depth)
  check_symbol(symbol, "order_book", 2)
  if depth ~= nil and (type(depth) ~= "number" or depth < 1 or depth % 1 ~= 0) then error("order_book: depth must be a positive integer", 2) end
  local m, merr = self:market(symbol)
  if not m then merr.op = "order_book"; return nil, merr end
  local r, err = self:_get("order_book", "/orderBookOrders", { { "market_id", m.id }, { "limit", 250 } }, "book_orders")
  if not r then return nil, err end
  local function aggregate(orders, limit)
    local out = {}
    for _, o in ipairs(orders) do
      local price, size = D(o.price), D(o.size)
      local last = out[#out]
      if last and last.price == price then
        last.size, last.orders = last.size + size, last.orders + 1
      elseif not limit or #out < limit then
        out[#out + 1] = { price = price, size = size, orders = 1 }
      else
        break
      end
    end
    return out
  end
  return { symbol = symbol, bids = aggregate(r.data.bids, depth), asks = aggregate(r.data.asks, depth), info = r.data }
end

-- ticker(symbol) -> {symbol, mark, mid, index, last, volume_24h, open_interest, timestamp, info}
-- from the market_stats channel (Lighter has no REST endpoint with the mark price).
function Client:ticker(symbol)
  check_symbol(symbol, "ticker", 2)
  local m, merr = self:market(symbol)
  if not m then merr.op = "ticker"; return nil, merr end
  if not self.ws_url then return B.fail(self, "ticker", "not_supported", "the ticker needs the WebSocket (market_stats)") end
  local live, err = self:watch_prices()
  if not live then err.op = "ticker"; return nil, err end
  local ok = live:wait(function(l) return l.tickers[symbol] ~= nil end, self.timeout)
  if not ok then return B.fail(self, "ticker", "timeout", "no market_stats for " .. symbol .. " within the timeout") end
  return live.tickers[symbol]
end

-- tickers(symbols?) -> {[symbol] = ticker} for every market (or the listed ones; a symbol the
-- venue does not list is left out). From the market_stats/all stream when it is fresh (a frame
-- within ticker_max_age seconds, no drop since): no request. Otherwise one /orderBookDetails
-- request — last trade price, 24 h quote volume, no mark or mid (REST has none) — and the
-- stream is started for the next call. Each ticker says its source ("stream" or "rest").
function Client:tickers(symbols)
  local want = B.symbol_set(symbols, "tickers", 2)
  local live = self._prices_live
  local out = {}
  if stream.fresh(live, self.ticker_max_age) then
    for symbol, t in pairs(live.tickers) do
      if not want or want[symbol] then out[symbol] = t end
    end
    return out
  end
  if self.ws_url then self:_start_prices() end
  local list, err = self:markets()
  if not list then err.op = "tickers"; return nil, err end
  for _, m in ipairs(list) do
    if not want or want[m.symbol] then
      out[m.symbol] = { symbol = m.symbol, market_id = m.id, last = m.last_price, volume_24h = m.volume_24h,
        source = "rest", info = m.info }
    end
  end
  return out
end

-- ---- account -----------------------------------------------------------------------------------

function Client:_need_account(op)
  if self.account_index == nil then error(op .. ": this client has no account_index", 3) end
end

function Client:_account(op)
  self:_need_account(op)
  local r, err = self:_get(op, "/account", { { "by", "index" }, { "value", ("%d"):format(self.account_index) } }, "accounts")
  if not r then return nil, err end
  for _, a in ipairs(r.data) do
    if a.index == self.account_index then return a end
  end
  return B.fail(self, op, "bad_response", ("the answer does not list account %d"):format(self.account_index), { raw = r })
end

function Client:balance()
  local a, err = self:_account("balance")
  if not a then return nil, err end
  return {
    currency = "USD", equity = dec(a.total_asset_value), available = dec(a.available_balance),
    balance = dec(a.collateral), margin_used = dec(a.initial_margin_requirement),
    maintenance_margin = dec(a.maintenance_margin_requirement), info = a.info,
  }
end

function Client:_to_position(p)
  local size = D(p.position)
  -- REST gives the IMF in percent ("10.00" = 10x); one WS sample shows a fraction ("0.0500",
  -- unverified, §4.3). No Lighter market allows more than 100x, so a value of 1 or less can only
  -- be a fraction: read it as one rather than report 2000x.
  local imf = dec(p.initial_margin_fraction)
  local imf_percent = imf and imf:to_number()
  if imf_percent and imf_percent > 0 and imf_percent <= 1 then imf_percent = imf_percent * 100 end
  local liq = dec(p.liquidation_price)
  local mark
  if size > ZERO and p.position_value then mark = assert(D(p.position_value):div(size, 18, "half_even")):normalize() end
  local funding = dec(p.total_funding_paid_out)
  return {
    symbol = p.symbol or (self._by_id[p.market_id] or {}).symbol, market_id = p.market_id,
    side = p.sign < 0 and "short" or "long", size = size, entry_price = dec(p.avg_entry_price),
    mark_price = mark, unrealized_pnl = dec(p.unrealized_pnl), realized_pnl = dec(p.realized_pnl),
    liquidation_price = (liq and not liq:is_zero()) and liq or nil,
    margin_mode = p.margin_mode == 1 and "isolated" or "cross", margin = dec(p.allocated_margin),
    leverage = (imf_percent and imf_percent > 0) and 100 / imf_percent or nil,
    funding = funding and -funding or nil, info = p.info,
  }
end

-- positions(symbols?) -> the open positions (Lighter also lists flat markets; they are left out).
function Client:positions(symbols)
  local want
  if symbols ~= nil then
    if type(symbols) == "string" then symbols = { symbols } end
    if type(symbols) ~= "table" then error("positions: symbols must be a list of strings", 2) end
    want = {}
    for _, s in ipairs(symbols) do want[s] = true end
  end
  local a, err = self:_account("positions")
  if not a then return nil, err end
  local out = {}
  for _, p in ipairs(a.positions) do
    if p.open and (not want or want[p.symbol]) then out[#out + 1] = self:_to_position(p) end
  end
  return out
end

function Client:open_orders(symbol)
  if symbol ~= nil then check_symbol(symbol, "open_orders", 2) end
  self:_need_account("open_orders")
  local params = { { "account_index", ("%d"):format(self.account_index) } }
  if symbol then
    local m, merr = self:market(symbol)
    if not m then merr.op = "open_orders"; return nil, merr end
    params[#params + 1] = { "market_id", m.id }
  elseif not self._markets then
    self:markets()
  end
  local r, err = self:_get("open_orders", "/accountActiveOrders", params, "orders", true)
  if not r then return nil, err end
  local out = {}
  for _, o in ipairs(r.data) do out[#out + 1] = self:_to_order(o) end
  return out
end

-- order(client_id, symbol) -> order | nil, err (order_not_found). By client order index
-- (accountOrders); when that endpoint is missing, the open orders and a few pages of inactive ones.
function Client:order(client_id, symbol)
  if type(client_id) ~= "string" then error("order: client_id must be a string", 2) end
  if symbol ~= nil then check_symbol(symbol, "order", 2) end
  self:_need_account("order")
  local index = L.client_index(client_id:lower())
  if not index then error("order: client_id must be a UUID or a client order index (digits)", 2) end
  if not self._markets then self:markets() end
  local acct = ("%d"):format(self.account_index)
  local r, err = self:_get("order", "/accountOrders", { { "account_index", acct }, { "client_order_indexes", ("%d"):format(index) } }, "orders", true)
  local function matches(o)
    return o.client_order_index == index and (not symbol or (self._by_id[o.market_index] or {}).symbol == symbol)
  end
  if r then
    for _, o in ipairs(r.data) do if matches(o) then return self:_to_order(o) end end
  elseif err.kind ~= "not_supported" and err.http_status ~= 404 then
    return nil, err
  else
    local open, oerr = self:open_orders(symbol)
    if not open then oerr.op = "order"; return nil, oerr end
    for _, o in ipairs(open) do if o.client_index == index then return o end end
    local cursor
    for _ = 1, INACTIVE_PAGES do
      local params = { { "account_index", acct }, { "limit", 100 } }
      if cursor then params[#params + 1] = { "cursor", cursor } end
      local page, perr = self:_get("order", "/accountInactiveOrders", params, "orders", true)
      if not page then return nil, perr end
      for _, o in ipairs(page.data) do if matches(o) then return self:_to_order(o) end end
      if not page.next_cursor or page.next_cursor == "" then break end
      cursor = page.next_cursor
    end
  end
  return B.fail(self, "order", "order_not_found", ("no order with client id %s%s on lighter"):format(
    client_id, symbol and (" in " .. symbol) or ""))
end

-- ---- nonces and txs ------------------------------------------------------------------------------

function Client:next_nonce(api_key_index)
  local r, err = self:_get("next_nonce", "/nextNonce", {
    { "account_index", ("%d"):format(self.account_index) }, { "api_key_index", ("%d"):format(api_key_index or self.api_key_index) },
  }, "next_nonce")
  if not r then return nil, err end
  return r.data
end

-- Status of a tx by hash: 0 failed, 1 pending, 2 executed, 3 pending final; nil when the venue
-- does not know it.
function Client:tx_status(hash)
  local r, err = self:_get("tx_status", "/tx", { { "by", "hash" }, { "value", hash } }, "raw")
  if r then return tonumber(r.data.status) end
  if err.http_status and err.http_status < 500 and err.kind ~= "rate_limited" then return nil end
  return nil, err
end

-- api_keys() -> {{api_key_index, public_key, nonce}}; check_api_key() compares ours (§3.10).
function Client:api_keys()
  self:_need_account("api_keys")
  local r, err = self:_get("api_keys", "/apikeys", { { "account_index", ("%d"):format(self.account_index) } }, "api_keys")
  if not r then return nil, err end
  return r.data
end

function Client:check_api_key()
  local keys, err = self:api_keys()
  if not keys then return nil, err end
  local mine = self.signer:public_key()
  for _, k in ipairs(keys) do
    if k.api_key_index == self.api_key_index then
      if k.public_key == mine then return true end
      return B.fail(self, "check_api_key", "auth", ("API key %d of account %d is registered with another public key"):format(self.api_key_index, self.account_index))
    end
  end
  return B.fail(self, "check_api_key", "auth", ("API key %d is not registered for account %d"):format(self.api_key_index, self.account_index))
end

require("venues.lighter_funding").extend(Client, L)
require("venues.lighter_trading").extend(Client, L)
require("venues.lighter_stream").extend(Client, L)
require("venues.lighter_ledger").extend(Client, L)   -- fills and funding payments (bot PnL)

return L
