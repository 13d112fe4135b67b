-- venues.pacifica: the Pacifica perpetuals client in the unified interface of DESIGN §5.
--
--   local P = require "venues.pacifica"
--   local v, err = P.new{rest = "https://api.pacifica.fi/api/v1", ws = "wss://ws.pacifica.fi/ws",
--                        account = "<address>", agent_wallet = "<agent public key>", secret_key = "<base58>"}
--   -- or P.new{network = "testnet"} with the keys from the environment (SOL_WALLET, API_PUBLIC,
--   -- API_PRIVATE), or P.new{..., read_only = true} with only `account` for reads.
--
-- Reads: markets(), market(symbol), funding_rates(symbols?), order_book(symbol, depth?),
-- ticker(symbol), tickers(symbols?), balance(), positions(symbols?), open_orders(symbol?), order(client_id, symbol).
-- Trading (venues/pacifica_trading.lua): set_leverage, place, cancel, cancel_all, close_position.
-- Streams (venues/pacifica_stream.lua): watch_book, watch_prices, watch_account.
-- Every method may wait and returns a value or nil, err (venues/base.lua); every result keeps the
-- venue's payload under `info`. Prices and sizes are hedge.decimal values; funding rates are
-- numbers. Order ids are strings. Pacifica funding is hourly; `rate` is the estimate for the
-- coming hour (what settles at next_funding_ms), `last_rate` the one settled last.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local pp = require "pacifica.parse"
local signer_module = require "pacifica.signer"
local stream = require "venues.stream"

local P = {}
local Client = {}
Client.__index = Client
P.Client = Client

local NETWORKS = {
  mainnet = { rest = "https://api.pacifica.fi/api/v1", ws = "wss://ws.pacifica.fi/ws" },
  testnet = { rest = "https://test-api.pacifica.fi/api/v1", ws = "wss://test-ws.pacifica.fi/ws" },
}
local FUNDING_INTERVAL_MS = 3600000
-- The prices stream (every ~1 s) stands in for a REST read while its last message is this recent.
local TICKER_FRESH_S = 10
-- A mark seen in any prices answer (REST or stream) serves the minimum-notional check of
-- market orders this long, so a warm client signs and sends an order without a read first
-- (DESIGN §3: both legs leave in the same loop turn). The check is a sanity bound, not a price.
local MARK_FRESH_MS = 60000
-- Order history pages searched for a client id before it is declared unknown.
local HISTORY_PAGES = 3
local HISTORY_PAGE_SIZE = 100

local OPTIONS = {
  rest = "string", ws = "string", network = "string", account = "string", secret_key = "string",
  agent_wallet = "string", read_only = "boolean", timeout = "number", read_retries = "number",
  max_rate_wait = "number", expiry_window = "number", slippage_bps = "number", api_key = "string",
  ping_interval = "number", ws_max_age = "number",
}

-- P.new(opts) -> client | nil, err (bad keys are data errors; unknown options raise).
function P.new(opts)
  B.check_options(opts, OPTIONS, "pacifica.new", 2)
  opts = opts or {}
  local net = opts.network and NETWORKS[opts.network]
  if opts.network and not net then error("pacifica.new: network must be 'mainnet' or 'testnet'", 2) end
  local rest = opts.rest or (net and net.rest)
  local ws = opts.ws or (net and net.ws)
  if not rest or not ws then error("pacifica.new: give network, or both rest and ws URLs", 2) end
  local c = setmetatable({
    name = "pacifica",
    rest = rest:gsub("/+$", ""),
    ws_url = ws,
    timeout = opts.timeout or 10,
    read_retries = opts.read_retries or 2,
    max_rate_wait = opts.max_rate_wait or 10,
    expiry_window = opts.expiry_window or 30000,
    slippage_bps = opts.slippage_bps or 50,
    ping_interval = opts.ping_interval or 30,
    ws_max_age = opts.ws_max_age,
    api_key = opts.api_key,
    _markets = nil,
    _live_marks = {},
  }, Client)
  -- Signed paths are "/api/v1/..." and go after the host.
  c.host = c.rest:gsub("/api/v1$", "")
  if opts.read_only then
    if opts.secret_key then error("pacifica.new: read_only takes no secret_key", 2) end
    if not opts.account then error("pacifica.new: read_only needs account", 2) end
    c.account = opts.account
  else
    local signer, err
    if opts.secret_key then
      signer, err = signer_module.new { secret_key = opts.secret_key, account = opts.account, agent_wallet = opts.agent_wallet }
    else
      signer, err = signer_module.from_env()
    end
    if not signer then
      err.op = "new"
      return nil, err
    end
    -- The key text must never reach a log line (DESIGN §7): register it for redaction.
    local secret_text = opts.secret_key or os.getenv("API_PRIVATE")
    if secret_text then require("hedge.log").add_secret(secret_text) end
    c.signer = signer
    c.account = signer:account()
  end
  c.has = B.capabilities {
    markets = true, funding_rates = true, order_book = true, watch_book = true, ticker = true,
    balance = true, positions = true, set_leverage = not opts.read_only, margin_mode = not opts.read_only,
    place = not opts.read_only, market_order = true, limit_order = true, post_only = true, ioc = true,
    reduce_only = true, client_id = true, cancel = not opts.read_only, cancel_by_client_id = not opts.read_only,
    cancel_all = not opts.read_only, open_orders = true, order = true, close_position = not opts.read_only,
    watch_prices = true, watch_account = true,
  }
  return c
end

function Client:__tostring()
  return ("pacifica client %s (%s)"):format(self.account or "?", self.rest)
end

-- ---- transport ---------------------------------------------------------------------------------

function Client:classify(body, status)
  return pp.error(body, status)
end

function Client:_headers(post)
  local h = {}
  if post then h["Content-Type"] = "application/json" end
  if self.api_key then h["PF-API-KEY"] = self.api_key end
  return h
end

local function query_string(params)
  local parts = {}
  for _, kv in ipairs(params) do
    parts[#parts + 1] = kv[1] .. "=" .. tostring(kv[2]):gsub("[^%w%-_%.~]", function(ch)
      return ("%%%02X"):format(ch:byte())
    end)
  end
  return #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
end

-- GET path with params ({{"symbol","BTC"}, ...}) and read the envelope as `kind`.
-- -> parsed response (r.data, r.next_cursor, ...) | nil, err
function Client:_get(op, path, params, kind)
  local res, err = B.request(self, {
    op = op, method = "GET", url = self.rest .. path .. query_string(params or {}), headers = self:_headers(false),
  })
  if not res then return nil, err end
  local r, perr = pp.response(kind, res.body)
  if not r then return B.bad_response(self, op, perr, res.body) end
  if r.success == false then
    local c = self:classify(res.body, res.status)
    return B.fail(self, op, c.kind, c.msg, { code = c.code, http_status = res.status, raw = res.body })
  end
  if r.data == nil then return B.bad_response(self, op, "the answer has no data", res.body) end
  return r
end

-- ---- unified shapes ------------------------------------------------------------------------------

local dec = B.dec

local function to_market(m)
  return {
    symbol = m.symbol, id = m.symbol, base = m.base_asset or m.symbol, quote = "USD",
    type = m.perpetual and "perpetual" or m.instrument_type,
    tick = dec(m.tick_size), step = dec(m.lot_size),
    min_price = dec(m.min_tick), max_price = dec(m.max_tick),
    min_notional = dec(m.min_order_size), max_notional = dec(m.max_order_size),
    max_leverage = m.max_leverage, isolated_only = m.isolated_only,
    funding_interval_ms = FUNDING_INTERVAL_MS, info = m.info,
  }
end
P.to_market = to_market

local function to_funding(row)
  local now = row.timestamp or hedge.now_ms()
  local f = B.funding(tonumber(row.next_funding or row.funding), FUNDING_INTERVAL_MS,
    B.next_boundary_ms(now, FUNDING_INTERVAL_MS))
  f.symbol = row.symbol
  f.last_rate = tonumber(row.funding)
  f.mark, f.index = dec(row.mark), dec(row.oracle)
  f.timestamp = row.timestamp
  f.info = row.info
  return f
end
P.to_funding = to_funding

local function to_ticker(row)
  return {
    symbol = row.symbol, mark = dec(row.mark), mid = dec(row.mid), index = dec(row.oracle),
    volume_24h = dec(row.volume_24h), open_interest = dec(row.open_interest),
    yesterday_price = dec(row.yesterday_price), timestamp = row.timestamp, info = row.info,
  }
end
P.to_ticker = to_ticker

local function to_levels(levels, depth)
  local out = {}
  for i = 1, math.min(#levels, depth or #levels) do
    out[i] = { price = D(levels[i].price), size = D(levels[i].amount), orders = levels[i].orders }
  end
  return out
end
P.to_levels = to_levels

local function to_book(b, depth)
  return { symbol = b.symbol, bids = to_levels(b.bids, depth), asks = to_levels(b.asks, depth), timestamp = b.timestamp, info = b.info }
end
P.to_book = to_book

local function to_balance(a)
  return {
    currency = "USD", equity = dec(a.account_equity), available = dec(a.available_to_spend),
    balance = dec(a.balance), margin_used = dec(a.total_margin_used), withdrawable = dec(a.available_to_withdraw),
    maker_fee = dec(a.maker_fee), taker_fee = dec(a.taker_fee), timestamp = a.updated_at, info = a.info,
  }
end
P.to_balance = to_balance

local function to_position(p, mark)
  local size = D(p.amount)
  local long = p.side == "bid"
  local entry = dec(p.entry_price)
  local upnl
  if mark and entry then
    upnl = (mark - entry) * size
    if not long then upnl = -upnl end
  end
  return {
    symbol = p.symbol, side = long and "long" or "short", size = size, entry_price = entry,
    mark_price = mark, unrealized_pnl = upnl, liquidation_price = dec(p.liquidation_price),
    margin = dec(p.margin), margin_mode = p.isolated and "isolated" or "cross", funding = dec(p.funding),
    timestamp = p.updated_at, info = p.info,
  }
end
P.to_position = to_position

local ORDER_STATUS = { open = "open", partially_filled = "open", filled = "filled", cancelled = "cancelled", rejected = "rejected" }

local function to_order(o)
  local size, filled = D(o.amount or "0"), D(o.filled or "0")
  local status = ORDER_STATUS[o.status or "open"] or o.status
  local remaining = D("0")
  if status == "open" then remaining = size - filled - D(o.cancelled or "0") end
  return {
    id = B.id_text(o.order_id), client_id = o.client_order_id, symbol = o.symbol,
    side = o.side == "bid" and "buy" or "sell", type = o.order_type, price = dec(o.price),
    size = size, filled = filled, remaining = remaining,
    avg_price = o.average_price and o.average_price ~= "0" and D(o.average_price) or nil,
    status = status, reason = o.reason, reduce_only = o.reduce_only,
    timestamp = o.updated_at or o.created_at or o.timestamp, info = o.info,
  }
end
P.to_order = to_order

-- ---- market data -------------------------------------------------------------------------------

function Client:markets()
  local r, err = self:_get("markets", "/info", nil, "markets")
  if not r then return nil, err end
  local list, by_symbol = {}, {}
  for i, m in ipairs(r.data) do
    list[i] = to_market(m)
    by_symbol[m.symbol] = list[i]
  end
  self._markets = by_symbol
  return list
end

local check_symbol = B.check_symbol

-- The market of a symbol from the cache, loading (once more) when it is not there.
Client.market = B.cached_market

local function wanted_set(symbols, who)
  if symbols == nil then return nil end
  if type(symbols) == "string" then symbols = { symbols } end
  if type(symbols) ~= "table" then error(who .. ": symbols must be a list of strings", 3) end
  local set = {}
  for _, s in ipairs(symbols) do set[s] = true end
  return set, symbols
end

function Client:_remember_marks(rows)
  for _, row in ipairs(rows) do
    if row.mark then B.remember_mark(self, row.symbol, D(row.mark), MARK_FRESH_MS) end
  end
end

-- The /info/prices rows by symbol. Calls made while a read is in flight share its answer:
-- funding_rates() and tickers() of one analysis round cost one request, not two.
function Client:_price_rows(op)
  local pending = self._prices_pending
  if pending then
    local waited = pending.done:wait(self.timeout * (self.read_retries + 1) + self.max_rate_wait)
    if waited and pending.rows then return pending.rows end
    if waited and pending.err then
      local e = {}
      for k, v in pairs(pending.err) do e[k] = v end
      e.op = op
      return nil, setmetatable(e, getmetatable(pending.err))
    end
  end
  pending = { done = hedge.event() }
  self._prices_pending = pending
  local ok, r, err = pcall(self._get, self, op, "/info/prices", nil, "prices")
  self._prices_pending = nil
  if not ok then pending.done:set(); error(r, 0) end
  if not r then
    pending.err = err
    pending.done:set()
    return nil, err
  end
  self:_remember_marks(r.data)
  local by_symbol = {}
  for _, row in ipairs(r.data) do by_symbol[row.symbol] = row end
  pending.rows = by_symbol
  pending.done:set()
  return by_symbol
end

-- funding_rates(symbols?) -> {[symbol] = funding} (DESIGN §4 unified form)
function Client:funding_rates(symbols)
  local want, list = wanted_set(symbols, "funding_rates")
  local rows, err = self:_price_rows("funding_rates")
  if not rows then return nil, err end
  local out = {}
  for symbol, row in pairs(rows) do
    if not want or want[symbol] then out[symbol] = to_funding(row) end
  end
  for _, s in ipairs(list or {}) do
    if not out[s] then return B.fail(self, "funding_rates", "bad_symbol", ("no funding rate for %q on pacifica"):format(s)) end
  end
  return out
end

function Client:ticker(symbol)
  check_symbol(symbol, "ticker", 2)
  local rows, err = self:_price_rows("ticker")
  if not rows then return nil, err end
  if not rows[symbol] then return B.fail(self, "ticker", "bad_symbol", ("no ticker for %q on pacifica"):format(symbol)) end
  return to_ticker(rows[symbol])
end

-- tickers(symbols?) -> {[symbol] = ticker} for every market (or the listed ones; a symbol the
-- venue does not list is left out): from the prices stream when watch_prices runs and it is
-- fresh (a message within 10 s, no drop since), else one /info/prices read (shared with a
-- funding_rates() call in flight). Each ticker says its source ("stream" or "rest").
function Client:tickers(symbols)
  local want = B.symbol_set(symbols, "tickers", 2)
  local out = {}
  if stream.fresh(self._prices_live, TICKER_FRESH_S) then
    for symbol, t in pairs(self._prices_live.tickers) do
      if not want or want[symbol] then out[symbol] = t end
    end
    return out
  end
  local rows, err = self:_price_rows("tickers")
  if not rows then return nil, err end
  for symbol, row in pairs(rows) do
    if not want or want[symbol] then
      out[symbol] = to_ticker(row)
      out[symbol].source = "rest"
    end
  end
  return out
end

function Client:order_book(symbol, depth)
  check_symbol(symbol, "order_book", 2)
  if depth ~= nil and (type(depth) ~= "number" or depth < 1 or depth % 1 ~= 0) then
    error("order_book: depth must be a positive integer", 2)
  end
  local r, err = self:_get("order_book", "/book", { { "symbol", symbol } }, "book")
  if not r then return nil, err end
  return to_book(r.data, depth)
end

-- ---- account -----------------------------------------------------------------------------------

function Client:balance()
  local r, err = self:_get("balance", "/account", { { "account", self.account } }, "account")
  if not r then return nil, err end
  return to_balance(r.data)
end

-- positions(symbols?) -> list. Marks come from the prices endpoint, fetched alongside, so
-- unrealized_pnl is exact at the venue's mark (nil when the prices could not be read).
function Client:positions(symbols)
  local want = wanted_set(symbols, "positions")
  local results, errs = hedge.parallel(
    function() return self:_get("positions", "/positions", { { "account", self.account } }, "positions") end,
    function() return self:_price_rows("positions") end)
  if errs[1] then return nil, errs[1] end
  local rows = results[2] or {}
  local out = {}
  for _, p in ipairs(results[1].data) do
    if not want or want[p.symbol] then
      local mark = rows[p.symbol] and dec(rows[p.symbol].mark)
      out[#out + 1] = to_position(p, mark)
    end
  end
  return out
end

function Client:open_orders(symbol)
  if symbol ~= nil then check_symbol(symbol, "open_orders", 2) end
  local r, err = self:_get("open_orders", "/orders", { { "account", self.account } }, "orders")
  if not r then return nil, err end
  local out = {}
  for _, o in ipairs(r.data) do
    if symbol == nil or o.symbol == symbol then out[#out + 1] = to_order(o) end
  end
  return out
end

-- order(client_id, symbol) -> order | nil, err (order_not_found). Open orders first, then the
-- order history (newest first, a few pages).
function Client:order(client_id, symbol)
  if type(client_id) ~= "string" then error("order: client_id must be a string", 2) end
  if symbol ~= nil then check_symbol(symbol, "order", 2) end
  client_id = client_id:lower()
  local open, err = self:open_orders(symbol)
  if not open then err.op = "order"; return nil, err end
  for _, o in ipairs(open) do if o.client_id == client_id then return o end end
  local cursor
  for _ = 1, HISTORY_PAGES do
    local params = { { "account", self.account }, { "limit", HISTORY_PAGE_SIZE } }
    if cursor then params[#params + 1] = { "cursor", cursor } end
    local r, herr = self:_get("order", "/orders/history", params, "orders")
    if not r then return nil, herr end
    for _, o in ipairs(r.data) do
      if o.client_order_id == client_id and (symbol == nil or o.symbol == symbol) then return to_order(o) end
    end
    if not r.has_more or not r.next_cursor then break end
    cursor = r.next_cursor
  end
  return B.fail(self, "order", "order_not_found", ("no order with client id %s%s on pacifica"):format(
    client_id, symbol and (" in " .. symbol) or ""))
end

-- Trading and streaming methods live in their own modules and extend Client.
require("venues.pacifica_trading").extend(Client, P)
require("venues.pacifica_stream").extend(Client, P)
require("venues.pacifica_ledger").extend(Client, P)   -- fills and funding payments (bot PnL)

return P
