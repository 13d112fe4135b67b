-- venues.edgex: the edgeX perpetuals client in the unified interface of DESIGN §5, for the
-- current API (v2: HMAC request keys, EIP-712 orders) and the legacy StarkEx API (v1).
--
--   local E = require "venues.edgex"
--   local v, err = E.new{api_version = "v2", network = "mainnet"}     -- keys from the environment:
--       -- v2: EDGEX_ACCOUNT_ID, EDGEX_API_KEY, EDGEX_API_PASSPHRASE, EDGEX_API_SECRET, EDGEX_TRADING_PRIVATE_KEY
--       -- v1: EDGEX_ACCOUNT_ID, EDGEX_STARK_PRIVATE_KEY
--   -- or E.new{rest = "http://...", ws = "ws://...", account_id = "...", private_key = "...",
--   --          api_key = "...", api_passphrase = "...", api_secret = "..."}; read_only = true for market data only.
--   assert(v:start())   -- clock offset, metadata, and the account/key check (a mismatch stops the client)
--
-- Reads: markets(), market(symbol), funding_rates(symbols?), funding_history(symbol, opts?),
-- ticker(symbol), tickers(symbols?) (venues/edgex_stream.lua), order_book(symbol, depth?), balance(), positions(symbols?), open_orders(symbol?),
-- order(client_id, symbol), fills(symbol?). Trading (venues/edgex_trading.lua): set_leverage, place,
-- cancel, cancel_all, close_position, new_client_id. Account reads: venues/edgex_account.lua. Streams (venues/edgex_stream.lua):
-- watch_book, watch_ticker, watch_account. Every method may wait and returns a value or nil, err
-- (venues/base.lua); results keep the venue's rows under `info`. Private calls run start() first;
-- when it found the configured key not to belong to the account, every private call returns that
-- error again: nothing is traded with a key the account does not know.
--
-- v1 is legacy (spec V.0): with api_version = "v1" trading is refused unless the v1 host serves
-- a ticker and a funding rate for the contract (it was seen listing markets without prices).
local hedge = require "hedge"
local B = require "venues.base"
local ep = require "edgex.parse"
local es = require "edgex.signer"
local S = require "venues.edgex_shapes"

local E = {}
local Client = {}
Client.__index = Client
E.Client = Client
E.shapes = S

local NETWORKS = {
  v2 = { mainnet = { rest = "https://edgex-prod-v2.edgex.exchange", ws = "wss://edgex-quote-prod-v2.edgex.exchange" } },
  v1 = {
    mainnet = { rest = "https://pro.edgex.exchange", ws = "wss://quote.edgex.exchange" },
    testnet = { rest = "https://testnet.edgex.exchange", ws = "wss://quote-testnet.edgex.exchange" },
  },
}

local OPTIONS = {
  api_version = "string", network = "string", rest = "string", ws = "string", account_id = "string",
  private_key = "string", api_key = "string", api_passphrase = "string", api_secret = "string",
  read_only = "boolean", timeout = "number", read_retries = "number", max_rate_wait = "number",
  slippage_bps = "any", ping_interval = "number", metadata_ttl = "number", rate_limits = "table",
  ticker_max_age = "number",
}

-- Client-side request budgets (spec §11: the venue limits per account but publishes no numbers):
-- tokens per second and burst, per class of call.
local DEFAULT_RATE_LIMITS = {
  public = { rate = 20, burst = 40 }, private = { rate = 10, burst = 20 }, order = { rate = 10, burst = 20 },
}

-- The query values edgeX signs and sends must read the same encoded and decoded (spec §6.1).
local QUERY_VALUE = "^[%w%._,%-]+$"

-- ---- construction ----------------------------------------------------------------------------------

local function env(name)
  local v = os.getenv(name)
  if v == "" then return nil end
  return v
end

-- Replaces every occurrence of the given secrets in text (the venue echoes the API key in some
-- error answers, V.2): a closure, so the client table itself never holds them.
local function redactor(secrets)
  local list = {}
  for _, s in ipairs(secrets) do
    if type(s) == "string" and #s >= 4 then
      list[#list + 1] = s
      local ok, log = pcall(require, "hedge.log")
      if ok and log.add_secret then pcall(log.add_secret, s) end
    end
  end
  return function(text)
    if type(text) ~= "string" then return text end
    for _, s in ipairs(list) do
      local i = 1
      while true do
        local a, b = text:find(s, i, true)
        if not a then break end
        text = text:sub(1, a - 1) .. "<redacted>" .. text:sub(b + 1)
        i = a + #"<redacted>"
      end
    end
    return text
  end
end

local function bucket(spec)
  return { rate = spec.rate, burst = spec.burst, tokens = spec.burst, at_ms = hedge.mono_ms() }
end

-- E.new(opts) -> client | nil, err. Malformed keys and ids are data errors naming the variable;
-- unknown options and wrong types raise. Nothing is sent until the first call.
function E.new(opts)
  B.check_options(opts, OPTIONS, "edgex.new", 2)
  opts = opts or {}
  local version = opts.api_version or "v2"
  if version ~= "v2" and version ~= "v1" then error("edgex.new: api_version must be 'v2' or 'v1'", 2) end
  local net = opts.network and NETWORKS[version][opts.network]
  if opts.network and not net then
    error(("edgex.new: network for %s must be %s"):format(version, version == "v2" and "'mainnet'" or "'mainnet' or 'testnet'"), 2)
  end
  local rest, ws = opts.rest or (net and net.rest), opts.ws or (net and net.ws)
  if not rest or not ws then error("edgex.new: give network, or both rest and ws URLs", 2) end
  local limits = {}
  for class, spec in pairs(DEFAULT_RATE_LIMITS) do
    local given = opts.rate_limits and opts.rate_limits[class] or spec
    if type(given.rate) ~= "number" or given.rate <= 0 or type(given.burst) ~= "number" or given.burst < 1 then
      error("edgex.new: rate_limits." .. class .. " must be {rate = n > 0, burst = n >= 1}", 2)
    end
    limits[class] = bucket(given)
  end
  local c = setmetatable({
    name = "edgex", api_version = version,
    rest = rest:gsub("/+$", ""):gsub("/api/v[12]$", ""), ws_base = ws:gsub("/+$", ""),
    timeout = opts.timeout or 10, read_retries = opts.read_retries or 2, max_rate_wait = opts.max_rate_wait or 10,
    slippage_bps = opts.slippage_bps or 50, ping_interval = opts.ping_interval or 20,
    metadata_ttl = opts.metadata_ttl or 300, ticker_max_age = opts.ticker_max_age or 10, read_only = opts.read_only == true,
    _limits = limits, _clock_offset_ms = 0, _redact = function(t) return t end,
  }, Client)
  c.prefix = "/api/" .. version
  if not c.read_only then
    local account = opts.account_id or env("EDGEX_ACCOUNT_ID")
    local source = opts.account_id and "account_id" or "EDGEX_ACCOUNT_ID"
    if not account then return B.fail(c, "new", "auth", source .. " is not set (the numeric edgeX account id)") end
    if not account:match("^[1-9]%d*$") or #account > 19 then
      return B.fail(c, "new", "auth", source .. " must be the numeric edgeX account id (digits only)")
    end
    c.account_id = account
    local signer, err
    if version == "v2" then
      local explicit = opts.private_key or opts.api_key or opts.api_passphrase or opts.api_secret
      if explicit then
        signer, err = es.v2_new { private_key = opts.private_key, api_key = opts.api_key,
                                  api_passphrase = opts.api_passphrase, api_secret = opts.api_secret }
      else
        signer, err = es.v2_from_env()
      end
      c._redact = redactor { opts.api_key or env("EDGEX_API_KEY"), opts.api_passphrase or env("EDGEX_API_PASSPHRASE"),
                             opts.api_secret or env("EDGEX_API_SECRET") }
    else
      if opts.api_key or opts.api_passphrase or opts.api_secret then
        error("edgex.new: v1 signs requests with the Stark key; api_key/api_passphrase/api_secret are v2 only", 2)
      end
      if opts.private_key then signer, err = es.v1_new { private_key = opts.private_key }
      else signer, err = es.v1_from_env() end
    end
    if not signer then
      err.op = "new"
      return nil, err
    end
    c.signer = signer
    -- What to name in messages about the keys (never their values).
    local explicit = opts.private_key ~= nil
    if version == "v2" then
      c._key_names = {
        request = (opts.api_key or opts.api_secret) and "the API key, passphrase and secret" or "EDGEX_API_KEY, EDGEX_API_PASSPHRASE and EDGEX_API_SECRET",
        order = explicit and "the order signer key" or "EDGEX_TRADING_PRIVATE_KEY",
      }
    else
      local name = explicit and "the Stark private key" or "EDGEX_STARK_PRIVATE_KEY"
      c._key_names = { request = name, order = name }
    end
  elseif opts.private_key or opts.api_secret then
    error("edgex.new: read_only takes no keys", 2)
  end
  c.has = B.capabilities {
    markets = true, funding_rates = true, order_book = true, watch_book = true, ticker = true,
    balance = not c.read_only, positions = not c.read_only, set_leverage = not c.read_only,
    margin_mode = not c.read_only and version == "v2", place = not c.read_only, market_order = true,
    limit_order = true, post_only = true, ioc = true, reduce_only = true, client_id = true,
    cancel = not c.read_only, cancel_by_client_id = not c.read_only, cancel_all = not c.read_only,
    open_orders = not c.read_only, order = not c.read_only, close_position = not c.read_only,
    watch_prices = true, watch_account = not c.read_only,
  }
  return c
end

function Client:__tostring()
  return ("edgex %s client %s (%s)"):format(self.api_version, self.account_id or "read-only", self.rest)
end

-- The venue's clock as far as we know it (request timestamps and order expiries use it).
function Client:now_ms()
  return hedge.now_ms() + self._clock_offset_ms
end

-- ---- transport -------------------------------------------------------------------------------------

function Client:classify(body, status)
  local c = ep.error(body, status)
  c.msg = self._redact(c.msg)
  return c
end

-- Takes a token of the call's class, waiting for one up to max_rate_wait. -> true | nil, err
function Client:_take_token(class, op, is_order)
  local b = self._limits[class]
  local now = hedge.mono_ms()
  b.tokens = math.min(b.burst, b.tokens + (now - b.at_ms) * b.rate / 1000)
  b.at_ms = now
  if b.tokens < 1 then
    local wait = (1 - b.tokens) / b.rate
    if wait > self.max_rate_wait then
      return B.fail(self, op, "rate_limited", ("client-side %s budget exhausted; %.1f s to wait, nothing was sent"):format(class, wait),
        { retry_after = wait, outcome = is_order and "rejected" or nil })
    end
    hedge.sleep(wait)
    b.tokens, b.at_ms = 1, hedge.mono_ms()
  end
  b.tokens = b.tokens - 1
  return true
end

local function query_string(params)
  local names = {}
  for k, v in pairs(params or {}) do
    if v ~= nil and v ~= "" then names[#names + 1] = k end
  end
  table.sort(names)
  local parts = {}
  for i, k in ipairs(names) do
    local v = tostring(params[k])
    if not v:match(QUERY_VALUE) then error(("edgex: query value of %s must be made of letters, digits and . _ - ,"):format(k), 3) end
    parts[i] = k .. "=" .. v
  end
  return #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
end

-- One request; spec = {op, method, path, query?, body?, rendered?, kind, private?, order?}.
-- -> parsed response (r.data ...) | nil, err
function Client:_send(spec)
  local is_order = spec.order == true
  local ok, terr = self:_take_token(is_order and "order" or (spec.private and "private" or "public"), spec.op, is_order)
  if not ok then return nil, terr end
  local url, headers = self.rest .. spec.path .. query_string(spec.query), {}
  if spec.private then
    local req, serr = self.signer:sign_request {
      method = spec.method, path = spec.path, query = spec.query, body = spec.rendered == nil and spec.body or nil,
      rendered_params = spec.rendered, timestamp_ms = self:now_ms(),
    }
    if not req then
      serr.op = spec.op
      if is_order then serr.outcome = "rejected" end
      return nil, serr
    end
    -- The target is the path with the query exactly as it was signed (sorted, unencoded).
    url, headers = self.rest .. req.target, req.headers
  end
  if spec.body then headers["Content-Type"] = "application/json" end
  local res, err = B.request(self, { op = spec.op, method = spec.method, url = url, body = spec.body, headers = headers, order = is_order })
  if not res then
    err.msg, err.raw = self._redact(err.msg), self._redact(err.raw)
    return nil, err
  end
  local r, perr = ep.response(spec.kind, res.body)
  if not r then return B.bad_response(self, spec.op, perr, self._redact(res.body), is_order) end
  if not r.success then
    local c = self:classify(res.body, res.status)
    return B.fail(self, spec.op, c.kind, c.msg, { code = c.code, http_status = res.status, raw = self._redact(res.body):sub(1, 4096),
      outcome = is_order and "rejected" or nil })
  end
  return r
end

local function is_clock_refusal(err)
  return err.kind == "auth" and type(err.code) == "string" and (err.code:find("TIMESTAMP") or err.code:find("EXPIRE")) ~= nil
end

-- _send, and once more with a fresh clock offset when the venue refused our timestamp (V.5).
function Client:_call(spec)
  local r, err = self:_send(spec)
  if r or not spec.private or not is_clock_refusal(err) then return r, err end
  local synced = self:_sync_clock()
  if not synced then return nil, err end
  return self:_send(spec)
end

function Client:_path(scope, name) return self.prefix .. "/" .. scope .. "/" .. name end

function Client:_public(op, name, query, kind)
  return self:_call { op = op, method = "GET", path = self:_path("public", name), query = query, kind = kind }
end

-- A private call after the start-up check.
function Client:_private(op, method, name, args)
  if self.read_only then return B.fail(self, op, "auth", "this client is read-only (no edgeX keys)", { outcome = args.order and "rejected" or nil }) end
  local ok, serr = self:start()
  if not ok then
    local e = B.error(self, op, serr.kind, serr.msg, { code = serr.code, outcome = args.order and "rejected" or nil })
    return nil, e
  end
  local query = args.query
  if method == "GET" then
    query = query or {}
    query.accountId = self.account_id
  end
  return self:_call { op = op, method = method, path = self:_path("private", name), query = query, body = args.body,
                      rendered = args.rendered, kind = args.kind, private = true, order = args.order }
end

-- JSON text of an ordered list of {key, value} with string, boolean and list-of-string values:
-- every edgeX POST body. Numbers never go through here (they travel as decimal strings).
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(ch)
    local map = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
    return map[ch] or ("\\u%04x"):format(ch:byte())
  end) .. '"'
end

function E.json_body(fields)
  local parts = {}
  for i, kv in ipairs(fields) do
    local v, text = kv[2], nil
    if type(v) == "string" then text = json_string(v)
    elseif type(v) == "boolean" then text = tostring(v)
    elseif type(v) == "table" then
      local items = {}
      for j, s in ipairs(v) do
        assert(type(s) == "string", "edgex body lists hold strings")
        items[j] = json_string(s)
      end
      text = "[" .. table.concat(items, ",") .. "]"
    else
      error("edgex body: " .. kv[1] .. " must be a string, boolean or list of strings", 2)
    end
    parts[i] = json_string(kv[1]) .. ":" .. text
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- ---- start-up ----------------------------------------------------------------------------------------

-- Measures the offset to the venue's clock (midpoint of the round trip). -> true | nil, err
function Client:_sync_clock()
  local t0 = hedge.now_ms()
  local r, err = self:_public("start", "meta/getServerTime", nil, "server_time")
  if not r then return nil, err end
  local t1 = hedge.now_ms()
  self._clock_offset_ms = math.floor(r.data - (t0 + t1) / 2 + 0.5)
  return true
end

-- Contracts by symbol and id, the collateral coin, and (v2) the EIP-712 domain of the signer.
function Client:_load_metadata(op)
  local r, err = self:_public(op, "meta/getMetaData", nil, "metadata")
  if not r then return nil, err end
  local meta = r.data
  local coins = {}
  for _, coin in ipairs(meta.coins) do coins[coin.coin_id] = coin end
  local by_symbol, by_id, list = {}, {}, {}
  for _, row in ipairs(meta.contracts) do
    local coin = coins[row.quote_coin_id] or meta.collateral
    local built, m = pcall(S.market, row, coin)
    if not built then
      return B.bad_response(self, op, ("contract %s (%s): %s"):format(row.contract_id, row.name, tostring(m)), row.info)
    end
    m.coin = coin
    list[#list + 1] = m
    by_symbol[m.symbol], by_id[m.id] = m, m
  end
  if self.api_version == "v2" and self.signer then
    if not (meta.chain_id and meta.contract_address) then
      return B.bad_response(self, op, "metadata has no EIP-712 domain (global.nativeChainId/chainId and contractAddress)", nil)
    end
    local ok, derr = self.signer:set_domain(meta.chain_id, meta.contract_address)
    if not ok then return B.bad_response(self, op, "metadata EIP-712 domain: " .. derr.msg, nil) end
  end
  self._meta = { list = list, by_symbol = by_symbol, by_id = by_id, collateral = meta.collateral, coins = coins,
                 maintenance = meta.maintenance_reason, chain_id = meta.chain_id, contract_address = meta.contract_address,
                 loaded_ms = hedge.mono_ms() }
  return self._meta
end

function Client:_metadata(op)
  local m = self._meta
  if m and (hedge.mono_ms() - m.loaded_ms) / 1000 < self.metadata_ttl then return m end
  return self:_load_metadata(op)
end

-- start() -> true | nil, err. Once per client: clock offset, metadata, and the check that the
-- configured credentials belong to the account. A key the account does not know stops the client
-- (the same error from every later private call); network trouble is not remembered.
function Client:start()
  if self._fatal then return nil, self._fatal end
  if self._started then return true end
  -- Concurrent first calls (both legs of a hedge) share one start-up.
  if self._starting then
    self._starting:wait(self.timeout * 4)
    if self._fatal then return nil, self._fatal end
    if self._started then return true end
  end
  local done = hedge.event()
  self._starting = done
  local completed, ok, err = pcall(self._start_once, self)
  self._starting = nil
  done:set()
  if not completed then error(ok, 0) end   -- cancellation (or a bug) goes on up
  return ok, err
end

function Client:_start_once()
  local ok, err = self:_sync_clock()
  if not ok then return nil, err end
  ok, err = self:_load_metadata("start")
  if not ok then return nil, err end
  if self.signer then
    local r, aerr = self:_call { op = "start", method = "GET", path = self:_path("private", "account/getAccountAsset"),
                                 query = { accountId = self.account_id }, kind = "account_asset", private = true }
    if not r then
      if aerr.kind ~= "auth" then return nil, aerr end
      return self:_stop(("%s %s refused for edgeX account %s: %s"):format(self._key_names.request,
        self.api_version == "v2" and "were" or "was", self.account_id, aerr.msg), aerr)
    end
    local account = r.data.account
    if not account or account.id ~= self.account_id then
      return self:_stop(("getAccountAsset answered for account %s, not the configured %s"):format(account and account.id or "?", self.account_id))
    end
    self._account = account
    if self.api_version == "v1" then
      local good, kerr = self.signer:check_l2key(account.l2_key or "")
      if not good then
        return self:_stop(("%s does not belong to edgeX account %s (%s; the account's l2Key is %s)"):format(
          self._key_names.order, self.account_id, kerr.msg, account.l2_key or "empty"))
      end
    else
      -- No account field names the registered signer (V.2): the signer address is logged for the
      -- operator, and an order refused for its L2 signature stops the client (trading module).
      local okl, log = pcall(require, "hedge.log")
      if okl and log.info then log.info("edgex", "account %s: order signer address %s", self.account_id, self.signer:address()) end
    end
  end
  self._started = true
  return true
end

-- Stops the client for good with an auth error (the key does not belong to the account).
function Client:_stop(msg, cause)
  self._fatal = B.error(self, "start", "auth", msg .. "; nothing will be sent for this account", {
    code = cause and cause.code, http_status = cause and cause.http_status, retryable = false, fatal = true,
  })
  return nil, self._fatal
end

-- ---- market data -------------------------------------------------------------------------------

function Client:markets()
  local meta, err = self:_load_metadata("markets")
  if not meta then return nil, err end
  local out = {}
  for i, m in ipairs(meta.list) do out[i] = m end
  return out
end

local check_symbol = B.check_symbol

function Client:market(symbol)
  check_symbol(symbol, "market", 2)
  local meta, err = self:_metadata("market")
  if not meta then return nil, err end
  local m = meta.by_symbol[symbol]
  if not m and (hedge.mono_ms() - meta.loaded_ms) > 1000 then   -- a contract listed since the last load
    meta, err = self:_load_metadata("market")
    if not meta then return nil, err end
    m = meta.by_symbol[symbol]
  end
  if not m then return B.fail(self, "market", "bad_symbol", ("no contract %q on edgeX %s"):format(symbol, self.api_version)) end
  return m
end

-- The markets of a symbol list (nil: all). -> list | nil, err
function Client:_markets_of(symbols, op)
  if symbols == nil then
    local meta, err = self:_metadata(op)
    if not meta then return nil, err end
    return meta.list
  end
  if type(symbols) == "string" then symbols = { symbols } end
  if type(symbols) ~= "table" then error(op .. ": symbols must be a list of strings", 3) end
  local out = {}
  for i, s in ipairs(symbols) do
    check_symbol(s, op, 3)
    local m, err = self:market(s)
    if not m then err.op = op; return nil, err end
    out[i] = m
  end
  return out
end

-- v1's host was seen serving no market data (V.0): an empty answer for a listed contract says so.
function Client:_no_data(op, what, m)
  local hint = self.api_version == "v1" and "; the edgeX v1 host no longer serves market data - use api_version = \"v2\"" or ""
  return B.fail(self, op, "unavailable", ("edgeX %s returned no %s for %s%s"):format(self.api_version, what, m.symbol, hint))
end

-- funding_rates(symbols?) -> {[symbol] = funding} with the rate per hour and APR from each
-- contract's own interval (fundingRateIntervalMin).
function Client:funding_rates(symbols)
  local markets, err = self:_markets_of(symbols, "funding_rates")
  if not markets then return nil, err end
  local rows = {}
  if self.api_version == "v2" then
    -- one call for the whole list (V.4); the query value is the comma-separated ids
    local ids = {}
    for i, m in ipairs(markets) do ids[i] = m.id end
    local r, ferr = self:_public("funding_rates", "funding/getLatestFundingRate", { contractId = table.concat(ids, ",") }, "funding")
    if not r then return nil, ferr end
    rows = r.data
  elseif symbols == nil then
    -- v1 takes one contract per call; without one it answers every contract at once
    local r, ferr = self:_public("funding_rates", "funding/getLatestFundingRate", nil, "funding")
    if not r then return nil, ferr end
    rows = r.data
  else
    local calls = {}
    for i, m in ipairs(markets) do
      calls[i] = function() return self:_public("funding_rates", "funding/getLatestFundingRate", { contractId = m.id }, "funding") end
    end
    local results, errs = hedge.parallel(unpack(calls))
    for i = 1, #markets do
      if errs[i] then return nil, errs[i] end
      for _, row in ipairs(results[i].data) do rows[#rows + 1] = row end
    end
  end
  local by_id = {}
  for _, row in ipairs(rows) do by_id[row.contract_id] = row end
  local out = {}
  for _, m in ipairs(markets) do
    local row = by_id[m.id]
    if row then out[m.symbol] = S.funding(row, m)
    elseif symbols ~= nil then return self:_no_data("funding_rates", "funding rate", m) end
  end
  return out
end

-- funding_history(symbol, {limit = 100, from_ms?, to_ms?}) -> settled rates, newest first.
function Client:funding_history(symbol, opts)
  check_symbol(symbol, "funding_history", 2)
  opts = B.check_options(opts, { limit = "number", from_ms = "number", to_ms = "number" }, "funding_history", 2)
  local m, err = self:market(symbol)
  if not m then err.op = "funding_history"; return nil, err end
  local limit, out, offset = opts.limit or 100, {}, nil
  while #out < limit do
    local r, ferr = self:_public("funding_history", "funding/getFundingRatePage", {
      contractId = m.id, size = tostring(math.min(100, limit - #out)), offsetData = offset, filterSettlementFundingRate = "true",
      filterBeginTimeInclusive = opts.from_ms and ("%d"):format(opts.from_ms), filterEndTimeExclusive = opts.to_ms and ("%d"):format(opts.to_ms),
    }, "funding_page")
    if not r then return nil, ferr end
    for _, row in ipairs(r.data.list) do out[#out + 1] = S.funding_record(row, m) end
    offset = r.data.next_offset
    if not offset or #r.data.list == 0 then break end
  end
  return out
end

-- The REST depth of a contract (15 or 200 levels, the only sizes edgeX has).
function Client:_depth(op, m, depth)
  local r, err = self:_public(op, "quote/getDepth", { contractId = m.id, level = (depth or 15) <= 15 and "15" or "200" }, "depth")
  if not r then return nil, err end
  local d = r.data[1]
  if not d then return self:_no_data(op, "order book", m) end
  return d
end

function Client:order_book(symbol, depth)
  check_symbol(symbol, "order_book", 2)
  if depth ~= nil and (type(depth) ~= "number" or depth < 1 or depth % 1 ~= 0) then error("order_book: depth must be a positive integer", 2) end
  local m, err = self:market(symbol)
  if not m then err.op = "order_book"; return nil, err end
  local d, derr = self:_depth("order_book", m, depth)
  if not d then return nil, derr end
  return S.book(d, m, depth)
end

-- ticker(symbol): last, mark (the oracle price: edgeX's margin price), index, mid and best bid/ask
-- from the book (the REST ticker has none), 24 h volume in quote (USD) and base units.
function Client:ticker(symbol)
  check_symbol(symbol, "ticker", 2)
  local m, err = self:market(symbol)
  if not m then err.op = "ticker"; return nil, err end
  local results, errs = hedge.parallel(
    function() return self:_public("ticker", "quote/getTicker", { contractId = m.id }, "tickers") end,
    function() return self:_depth("ticker", m, 15) end)
  if errs[1] then return nil, errs[1] end
  local row = results[1].data[1]
  if not row or not row.oracle_price then return self:_no_data("ticker", "ticker", m) end
  local book = results[2] and S.book(results[2], m, 1)
  return S.ticker(row, m, book)
end

require("venues.edgex_account").extend(Client, E)
require("venues.edgex_trading").extend(Client, E)
require("venues.edgex_stream").extend(Client, E)
require("venues.edgex_ledger").extend(Client, E)   -- fills and funding payments (bot PnL)

return E
