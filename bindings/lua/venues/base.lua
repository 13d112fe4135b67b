-- venues.base: what every venue client shares (DESIGN §5).
--
--   errors     B.error / B.fail build the error tables strategies see: kind, venue, op, msg,
--              code, http_status, retryable, retry_after, outcome (order calls), raw.
--   transport  B.request sends one HTTP request for a client and maps what comes back: transport
--              failures and timeouts, 429 with Retry-After (the client then sends nothing to the
--              venue until it has passed), 5xx, and the venue's own error bodies (through the
--              client's classify function). Reads are retried; order calls never are, and get
--              err.outcome: "rejected" when the venue certainly did not take them, "unknown"
--              when it may have (timeout, disconnect or 5xx after the bytes left, unreadable 2xx).
--   orders     B.reconcile(client, client_id, symbol) and B.place_safely(client, order): an
--              unknown outcome is resolved by client order id before anything is retried.
--              The rules every place() shares (B.check_place, B.slippage_bps, B.worst_price)
--              and close_position itself (B.close_position: always reduce-only).
--   caches     markets loaded on a miss (B.cached_market), marks from the streams or the last
--              prices answer trusted for a while (B.remember_mark, B.fresh_mark).
--   values     decimals in and out (never a Lua float on the wire), lot/tick rounding with the
--              direction written out, client ids, funding conversions, option checking, and the
--              `has` capability table.
--
-- Unified results (every venue builds these; D = hedge.decimal, ms = integer milliseconds;
-- every result also has `info`, the venue's own payload for it):
--   market   {symbol, id, base, quote, type, tick, step, min_price, max_price, min_notional,
--             max_notional (D, USD), max_leverage, isolated_only, funding_interval_ms}
--   funding  {symbol, rate, last_rate, interval_ms, rate_per_hour, apr (numbers), next_funding_ms,
--             mark, index (D), timestamp}          (B.funding builds the rate fields)
--   book     {symbol, bids, asks = {{price, size (D), orders}, ... best first}, timestamp}
--   ticker   {symbol, mark, mid, index, volume_24h (D, USD), open_interest, timestamp}
--   balance  {currency, equity, available, balance, margin_used, withdrawable, maker_fee, taker_fee}
--   position {symbol, side = "long" | "short", size (D, > 0), entry_price, mark_price,
--             unrealized_pnl, liquidation_price (nil when none), margin, margin_mode, funding}
--   order    {id (string), client_id, symbol, side = "buy" | "sell", type, price, size, filled,
--             remaining, avg_price, status = "open" | "filled" | "cancelled" | "rejected",
--             reason, reduce_only, timestamp}
--   placed   {id, client_id, symbol, side, type, tif, size, price (as sent, rounded),
--             reduce_only, status = "accepted"}
local hedge = require "hedge"
local D = require "hedge.decimal"
local together = require "venues.together"

local B = {}

local KINDS = {
  network = true, timeout = true, rate_limited = true, unavailable = true, auth = true,
  insufficient_funds = true, invalid_order = true, order_not_found = true, bad_symbol = true,
  not_supported = true, bad_response = true, cancelled = true,
}
B.KINDS = KINDS

-- Longest Retry-After we honour by waiting; a longer one is reported, not slept through.
local MAX_RETRY_AFTER_S = 300
local DEFAULT_RATE_LIMIT_WAIT_S = 1
local RAW_TEXT_LIMIT = 4096

-- ---- errors ----------------------------------------------------------------------------------

-- B.error(client, op, kind, msg, fields) -> error table (fields: code, http_status, retry_after,
-- outcome, raw, retryable, ...).
function B.error(client, op, kind, msg, fields)
  assert(KINDS[kind], "venues.base: unknown error kind " .. tostring(kind))
  local f = { venue = client.name, op = op }
  if fields then for k, v in pairs(fields) do f[k] = v end end
  return hedge.errors.new(kind, msg, f)
end

function B.fail(client, op, kind, msg, fields)
  return nil, B.error(client, op, kind, msg, fields)
end

-- A response we cannot read. For an order call the venue may still have acted on it.
function B.bad_response(client, op, msg, raw, is_order)
  return B.fail(client, op, "bad_response", msg, {
    raw = type(raw) == "string" and raw:sub(1, RAW_TEXT_LIMIT) or raw,
    outcome = is_order and "unknown" or nil,
  })
end

-- ---- Retry-After ------------------------------------------------------------------------------

local MONTHS = { Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6, Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12 }

-- Days from 1970-01-01 to a civil date (proleptic Gregorian), so HTTP dates need no timezone.
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * (m + (m > 2 and -3 or 9)) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Seconds to wait from a Retry-After value: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
-- nil when absent or unreadable.
function B.retry_after_seconds(value, now_ms)
  if type(value) ~= "string" then return nil end
  local seconds = tonumber(value:match("^%s*(%d+%.?%d*)%s*$"))
  if not seconds then
    local d, mon, y, hh, mm, ss = value:match("^%a+, (%d%d) (%a%a%a) (%d%d%d%d) (%d%d):(%d%d):(%d%d) GMT$")
    if not d or not MONTHS[mon] then return nil end
    local at = days_from_civil(tonumber(y), MONTHS[mon], tonumber(d)) * 86400 + hh * 3600 + mm * 60 + ss
    seconds = math.max(0, at - (now_ms or hedge.now_ms()) / 1000)
  end
  return math.min(seconds, MAX_RETRY_AFTER_S)
end

-- ---- transport --------------------------------------------------------------------------------

-- Waits out a rate-limit pause the venue asked for. Returns true, or nil, err without sending
-- when the pause is longer than max_wait.
local function respect_cooldown(client, op, max_wait, is_order)
  local until_ms = client._cooldown_until_ms
  if not until_ms then return true end
  local remaining = (until_ms - hedge.mono_ms()) / 1000
  if remaining <= 0 then client._cooldown_until_ms = nil; return true end
  if remaining > max_wait then
    return B.fail(client, op, "rate_limited",
      ("the venue asked for a pause; %.1f s remain, nothing was sent"):format(remaining),
      { retry_after = remaining, outcome = is_order and "rejected" or nil })
  end
  hedge.sleep(remaining)
  return true
end

local function transport_error(client, op, e, is_order)
  local kind = (e.kind == "timeout" or e.kind == "network") and e.kind or "network"
  -- Only bytes that certainly left can have reached the venue (a request that could not even
  -- start has no request_sent at all).
  local sent = e.request_sent == true
  local outcome
  if is_order then outcome = sent and "unknown" or "rejected" end
  return B.error(client, op, kind, e.msg, { outcome = outcome, request_sent = e.request_sent })
end

-- Error table for an HTTP answer that is not a success, using the client's classifier:
-- client:classify(body, status) -> {kind, msg, code?, retryable?}.
local function http_error(client, op, res, is_order)
  local c = client:classify(res.body, res.status)
  local kind, retry_after, outcome = c.kind, nil, nil
  if res.status == 429 then
    kind = "rate_limited"
    retry_after = B.retry_after_seconds(res.headers["retry-after"]) or DEFAULT_RATE_LIMIT_WAIT_S
    client._cooldown_until_ms = hedge.mono_ms() + retry_after * 1000
  elseif res.status >= 500 and kind ~= "not_supported" then
    kind = "unavailable"
  end
  if is_order then
    -- A 5xx can come after the venue acted; a 429 and every 4xx are refusals.
    outcome = (res.status >= 500 and kind ~= "not_supported") and "unknown" or "rejected"
  end
  return B.error(client, op, kind, c.msg, {
    code = c.code, http_status = res.status, retry_after = retry_after, outcome = outcome,
    raw = res.body:sub(1, RAW_TEXT_LIMIT),
  })
end

-- B.request(client, {op, method, url, body?, headers?, order?}) -> res (2xx) | nil, err.
-- client fields used: name, timeout (s), read_retries, max_rate_wait (s), classify(body, status).
-- Reads (order ~= true) are retried on network errors, timeouts, 429 and 5xx with back-off,
-- honouring Retry-After; order calls are sent exactly once.
function B.request(client, spec)
  local is_order = spec.order == true
  local attempts = is_order and 1 or (client.read_retries or 2) + 1
  local max_wait = client.max_rate_wait or 10
  local backoff = 0.2
  local last_err
  for attempt = 1, attempts do
    local ok, cerr = respect_cooldown(client, spec.op, max_wait, is_order)
    if not ok then return nil, cerr end
    -- The legs of a hedge leave together (venues/together.lua): wait at the gate, signed and ready.
    local gate = is_order and together.take_gate(client)
    if gate then gate:arrive(client) end
    local res, e = hedge.http.request {
      method = spec.method, url = spec.url, body = spec.body, headers = spec.headers,
      timeout = client.timeout or 10,
    }
    if res and res.status >= 200 and res.status < 300 then return res end
    last_err = res and http_error(client, spec.op, res, is_order) or transport_error(client, spec.op, e, is_order)
    if not last_err.retryable or attempt == attempts then break end
    if last_err.kind ~= "rate_limited" then
      hedge.sleep(backoff)
      backoff = backoff * 2
    end
  end
  return nil, last_err
end

-- ---- orders: the unknown-outcome rule -----------------------------------------------------------

-- Looks the order up by client id until it shows up or the deadline passes (a venue may list a
-- new order a moment after it took it). -> order | nil, err (order_not_found after the deadline).
function B.reconcile(client, client_id, symbol, opts)
  opts = opts or {}
  local deadline = hedge.mono_ms() + (opts.timeout or 5) * 1000
  local interval = opts.interval or 0.25
  while true do
    local order, err = client:order(client_id, symbol)
    if order then return order end
    if err.kind ~= "order_not_found" and not err.retryable then return nil, err end
    if hedge.mono_ms() >= deadline then return nil, err end
    hedge.sleep(interval)
  end
end

-- B.place_safely(client, order, {attempts = 3, reconcile_timeout = 5}) -> result | nil, err.
-- Places with a fixed client id. When the outcome is unknown, the order is looked up by that id
-- first; only when it is certainly absent is the same order (same id, so the venue refuses a
-- duplicate) sent again. Rate-limit refusals are retried after the pause the venue asked for.
function B.place_safely(client, order, opts)
  opts = opts or {}
  local o = {}
  for k, v in pairs(order) do o[k] = v end
  o.client_id = o.client_id or B.new_client_id()
  local err
  for _ = 1, opts.attempts or 3 do
    local result
    result, err = client:place(o)
    if result then return result end
    if err.outcome == "unknown" then
      local found, ferr = B.reconcile(client, o.client_id, o.symbol, { timeout = opts.reconcile_timeout })
      if found then found.reconciled = true; return found end
      if ferr.kind ~= "order_not_found" then return nil, err end
    elseif not (err.outcome == "rejected" and err.kind == "rate_limited") then
      return nil, err
    end
  end
  return nil, err
end

-- ---- orders: what every place() and close_position() share -------------------------------------

B.PLACE_OPTIONS = {
  symbol = "string", side = "string", size = "any", price = "any", type = "string", tif = "string",
  reduce_only = "boolean", client_id = "string", slippage_bps = "any",
}
B.CLOSE_OPTIONS = { size = "any", type = "string", price = "any", slippage_bps = "any", client_id = "string", tif = "string" }

-- Raises for a place{} table that breaks the unified rules (DESIGN §5): programmer errors. tif
-- is the venue's table of the time-in-force names it supports; client ids are the venue's to
-- check. level is the caller's level, as for error().
function B.check_place(o, tif, level)
  level = (level or 1) + 1
  if type(o) ~= "table" then error("place: expected a table", level) end
  B.check_options(o, B.PLACE_OPTIONS, "place", level)
  if not o.symbol then error("place: symbol is required", level) end
  if o.side ~= "buy" and o.side ~= "sell" then error("place: side must be 'buy' or 'sell'", level) end
  if o.type ~= "market" and o.type ~= "limit" then error("place: type must be 'market' or 'limit'", level) end
  if o.size == nil then error("place: size is required", level) end
  if o.type == "limit" and o.price == nil then error("place: a limit order needs a price", level) end
  if o.type == "market" and o.price ~= nil then error("place: a market order takes no price (use slippage_bps)", level) end
  if o.tif ~= nil and not tif[o.tif] then error("place: tif must be 'gtc', 'ioc' or 'post_only'", level) end
  if o.type == "market" and o.tif ~= nil and o.tif ~= "ioc" then error("place: a market order is always ioc", level) end
  if o.slippage_bps ~= nil and o.type ~= "market" then error("place: slippage_bps is for market orders", level) end
end

-- A market order's slippage in bps (o.slippage_bps, else the client's default) as a positive
-- decimal. A Lua number must be a whole number of bps (raises otherwise); decimal text may have
-- a fraction. -> D | nil, message (a data error).
function B.slippage_bps(client, o, level)
  local bps = o.slippage_bps
  if bps == nil then bps = client.slippage_bps end
  if type(bps) == "number" then
    if bps % 1 ~= 0 or bps <= 0 then
      error("place: slippage_bps must be a positive whole number of bps, or a decimal", (level or 1) + 1)
    end
    bps = ("%d"):format(bps)
  end
  local d, err = B.decimal_arg(bps, "place: slippage_bps", (level or 1) + 1)
  if not d then return nil, err end
  if d <= D("0") then return nil, "slippage_bps must be positive" end
  return d
end

-- The worst price of a market order: reference x (1 + fraction) for a buy, x (1 - fraction) for
-- a sell, on the tick. toward = "book" rounds toward the reference (the price never concedes more
-- than the slippage: a cap), "away" rounds away from it (the order can always trade the whole
-- slippage: edgeX signs amounts bounded by it).
function B.worst_price(reference, fraction, side, tick, toward)
  local buy = side == "buy"
  local price = buy and reference + reference * fraction or reference - reference * fraction
  if (toward == "book") == buy then return price:floor_to(tick) end
  return price:ceil_to(tick)
end

-- The start every set_leverage(symbol, leverage, margin_mode?) shares: the argument checks
-- (programmer errors, raised at set_leverage's caller; modes = the venue's margin-mode names)
-- and the market, with the leverage inside 1..max_leverage. -> market | nil, err
function B.leverage_market(client, symbol, leverage, margin_mode, modes)
  if type(symbol) ~= "string" then error("set_leverage: symbol must be a string", 3) end
  if type(leverage) ~= "number" or leverage % 1 ~= 0 then error("set_leverage: leverage must be a whole number", 3) end
  if margin_mode ~= nil and not modes[margin_mode] then error("set_leverage: margin_mode must be 'cross' or 'isolated'", 3) end
  local m, err = client:market(symbol)
  if not m then err.op = "set_leverage"; return nil, err end
  local max = m.max_leverage
  if leverage < 1 or (max and max > 0 and leverage > max) then
    return B.fail(client, "set_leverage", "invalid_order", ("leverage %d is outside 1..%d for %s"):format(leverage, max or 0, symbol))
  end
  return m
end

-- close_position(symbol, {size?, type = "market", price?, slippage_bps?, client_id?, tif?})
--   -> the place result plus `position`; or {symbol, status = "flat"} when there is none.
-- Always reduce-only and on the opposite side, so it can never open or flip a position; a size
-- above the position closes the position. A client method as it is: Client.close_position =
-- B.close_position (errors are raised at the method's caller).
function B.close_position(client, symbol, opts)
  if type(symbol) ~= "string" then error("close_position: symbol must be a string", 2) end
  opts = B.check_options(opts, B.CLOSE_OPTIONS, "close_position", 2)
  local positions, err = client:positions { symbol }
  if not positions then err.op, err.outcome = "close_position", "rejected"; return nil, err end
  local pos = positions[1]
  if not pos or pos.size <= D("0") then return { symbol = symbol, status = "flat" } end
  local size = pos.size
  if opts.size ~= nil then
    local want, derr = B.decimal_arg(opts.size, "close_position: size", 2)
    if not want then return B.fail(client, "close_position", "invalid_order", derr, { outcome = "rejected" }) end
    if want < size then size = want end
  end
  local r, perr = client:place {
    symbol = symbol, side = pos.side == "long" and "sell" or "buy", size = size, type = opts.type or "market",
    price = opts.price, tif = opts.tif, slippage_bps = opts.slippage_bps, client_id = opts.client_id, reduce_only = true,
  }
  if not r then perr.op = "close_position"; return nil, perr end
  r.position = pos
  return r
end

-- ---- what the venues booked (fills_for, funding_payments) ----------------------------------------

-- funding_payments(symbol, {since_ms?, until_ms?}): the argument checks every venue shares
-- (programmer errors, raised at its caller). -> opts
function B.check_payment_window(symbol, opts)
  if type(symbol) ~= "string" then error("funding_payments: symbol must be a string", 3) end
  return B.check_options(opts, { since_ms = "number", until_ms = "number" }, "funding_payments", 3)
end

-- Whether a payment booked at at_ms falls in the window: after since_ms, up to until_ms.
function B.in_payment_window(at_ms, opts)
  return (not opts.since_ms or at_ms > opts.since_ms) and (not opts.until_ms or at_ms <= opts.until_ms)
end

-- ---- caches -------------------------------------------------------------------------------------

-- Raises unless symbol is a string (a programmer error); level as for error().
function B.check_symbol(symbol, who, level)
  if type(symbol) ~= "string" then error(who .. ": symbol must be a string, got " .. type(symbol), (level or 1) + 1) end
end

-- A symbols argument (nil, one symbol, or a list) as a set; nil means every symbol. Raises on
-- a wrong type (a programmer error); level as for error().
function B.symbol_set(symbols, who, level)
  if symbols == nil then return nil end
  if type(symbols) == "string" then symbols = { symbols } end
  if type(symbols) ~= "table" then error(who .. ": symbols must be a list of strings", (level or 1) + 1) end
  local set = {}
  for _, s in ipairs(symbols) do
    B.check_symbol(s, who, (level or 1) + 1)
    set[s] = true
  end
  return set
end

-- The market of a symbol from client._markets (by symbol), loading the markets once more
-- (client:markets()) when it is not there: a market listed since the last load is found. A client
-- method as it is: Client.market = B.cached_market.
function B.cached_market(client, symbol)
  B.check_symbol(symbol, "market", 2)
  if not (client._markets and client._markets[symbol]) then
    local _, err = client:markets()
    if err then return nil, err end
  end
  local m = client._markets[symbol]
  if not m then return B.fail(client, "market", "bad_symbol", ("no market %q on %s"):format(symbol, client.name)) end
  return m
end

-- A mark seen in a stream or a prices answer, trusted for fresh_ms (market orders measure their
-- minimum notional or worst price from it without another request).
function B.remember_mark(client, symbol, mark, fresh_ms)
  client._live_marks = client._live_marks or {}
  client._live_marks[symbol] = { mark = mark, fresh_until_ms = hedge.mono_ms() + fresh_ms }
end

-- The remembered mark of symbol while it is fresh, else nil.
function B.fresh_mark(client, symbol)
  local cached = client._live_marks and client._live_marks[symbol]
  if cached and cached.fresh_until_ms > hedge.mono_ms() then return cached.mark end
  return nil
end

-- ---- values -----------------------------------------------------------------------------------

-- A decimal argument: hedge.decimal or decimal text. A Lua number raises (it may already be
-- inexact); bad text is a data error: nil, message.
function B.decimal_arg(v, what, level)
  if D.is_decimal(v) then return v end
  if type(v) == "string" then
    local d, err = D.parse(v)
    if not d then return nil, ("%s %q is not a decimal: %s"):format(what, v, err) end
    return d
  end
  if type(v) == "number" then
    error(("%s: a Lua number is not accepted (it may already be inexact); pass a decimal string or hedge.decimal"):format(what), (level or 1) + 1)
  end
  error(("%s: expected a decimal string or hedge.decimal, got %s"):format(what, type(v)), (level or 1) + 1)
end

-- A decimal from venue text; nil for nil.
function B.dec(text)
  if text == nil then return nil end
  return D(text)
end

-- Size to the lot: always down, so an order never exceeds what was asked for.
function B.size_to_lot(size, step)
  return size:quantize(step, "floor")
end

-- Price to the tick, passive direction: a buy is rounded down and a sell up, so rounding never
-- makes an order pay more than the caller allowed.
function B.price_to_tick(price, tick, side)
  return price:quantize(tick, side == "buy" and "floor" or "ceil")
end

-- An id as text: venue ids are integers (exact as Lua numbers below 2^53, digit strings above)
-- and tostring would print a large number with an exponent.
function B.id_text(v)
  if v == nil then return nil end
  if type(v) == "number" then return ("%d"):format(v) end
  return tostring(v)
end

-- Lower-case RFC 4122 version-4 UUID from the kernel's random source.
local urandom
function B.new_client_id()
  urandom = urandom or assert(io.open("/dev/urandom", "rb"))
  local b = { urandom:read(16):byte(1, 16) }
  b[7] = b[7] % 16 + 0x40
  b[9] = b[9] % 64 + 0x80
  local hex = {}
  for i = 1, 16 do hex[i] = ("%02x"):format(b[i]) end
  local s = table.concat(hex)
  return ("%s-%s-%s-%s-%s"):format(s:sub(1, 8), s:sub(9, 12), s:sub(13, 16), s:sub(17, 20), s:sub(21, 32))
end

function B.is_uuid(s)
  return type(s) == "string" and #s == 36 and
    s:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$") ~= nil
end

-- Funding in the unified form (DESIGN §4): doubles are fine here, they drive decisions only.
-- rate = the rate per interval (fraction); next_ms = the next settlement time.
function B.funding(rate, interval_ms, next_ms)
  local per_hour = rate * 3600000 / interval_ms
  return {
    rate = rate, interval_ms = interval_ms, rate_per_hour = per_hour,
    apr = per_hour * 24 * 365, next_funding_ms = next_ms,
  }
end

-- The next multiple of interval_ms after now_ms (venues settle on fixed UTC boundaries).
function B.next_boundary_ms(now_ms, interval_ms)
  return (math.floor(now_ms / interval_ms) + 1) * interval_ms
end

-- ---- arguments and capabilities -------------------------------------------------------------------

-- Raises for keys not in `allowed` ({key = "string" | "number" | "boolean" | "table" | "any"})
-- and for values of the wrong Lua type: programmer errors (DESIGN §5).
function B.check_options(opts, allowed, who, level)
  level = (level or 1) + 1
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(who .. ": options must be a table, got " .. type(opts), level) end
  for k, v in pairs(opts) do
    local want = allowed[k]
    if not want then error(("%s: unknown option '%s'"):format(who, tostring(k)), level) end
    if want ~= "any" and type(v) ~= want then
      error(("%s: option '%s' must be a %s, got %s"):format(who, k, want, type(v)), level)
    end
  end
  return opts
end

B.CAPABILITIES = {
  "markets", "funding_rates", "order_book", "watch_book", "ticker", "balance", "positions",
  "set_leverage", "margin_mode", "place", "market_order", "limit_order", "post_only", "ioc",
  "reduce_only", "client_id", "cancel", "cancel_by_client_id", "cancel_all", "open_orders", "order",
  "close_position", "watch_prices", "watch_account",
}
local KNOWN_CAPABILITY = {}
for _, name in ipairs(B.CAPABILITIES) do KNOWN_CAPABILITY[name] = true end

-- The `has` table: every capability is true or false, asking for one that does not exist
-- raises (a typo must not read as "not supported"), and nothing can change it. Iterate
-- B.CAPABILITIES for the names.
function B.capabilities(supported)
  for name in pairs(supported) do
    if not KNOWN_CAPABILITY[name] then error("venues.base: unknown capability " .. tostring(name), 2) end
  end
  local values = {}
  for _, name in ipairs(B.CAPABILITIES) do values[name] = supported[name] == true end
  return setmetatable({}, {
    __index = function(_, k)
      local v = values[k]
      if v == nil then error("has." .. tostring(k) .. ": no such capability", 2) end
      return v
    end,
    __newindex = function() error("has: the capability table is read-only", 2) end,
  })
end

return B
