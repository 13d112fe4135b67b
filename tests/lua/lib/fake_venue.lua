-- An in-memory venue speaking the unified interface (DESIGN §5) for strategy tests: markets,
-- funding, books around a mark, balances, positions, fills at the book with taker fees, and
-- faults on demand. Values are hedge.decimal; results have the shapes the real clients give.
local hedge = require "hedge"
local D = require "hedge.decimal"

local Fake = {}
Fake.__index = Fake

local function err(self, op, kind, msg, fields)
  local f = { venue = self.name, op = op }
  for k, v in pairs(fields or {}) do f[k] = v end
  return nil, hedge.errors.new(kind, msg, f)
end

-- fake.new{name, fee = "0.0004", balance = "10000", markets = {
--   {symbol = "BTC", mark = "100000", tick = "1", step = "0.001", min_notional = "10",
--    rate_per_hour = 0.00001, interval_hours = 1, volume = "1e9", spread = "2", depth = "5"} }}
function Fake.new(opts)
  local self = setmetatable({
    name = opts.name, fee = D(opts.fee or "0.0004"), cash = D(opts.balance or "10000"),
    markets_by = {}, order_list = {}, positions_by = {}, leverage = {}, faults = {},
    calls = {}, next_id = 1, orders_by_client = {},
  }, Fake)
  self.has = setmetatable({}, { __index = function() return true end })
  for _, m in ipairs(opts.markets or {}) do self:add_market(m) end
  return self
end

function Fake:add_market(m)
  self.markets_by[m.symbol] = {
    symbol = m.symbol, id = m.symbol, tick = D(m.tick or "0.01"), step = D(m.step or "0.001"),
    min_notional = D(m.min_notional or "10"), max_leverage = m.max_leverage or 20,
    mark = D(m.mark), rate_per_hour = m.rate_per_hour or 0, interval_ms = (m.interval_hours or 1) * 3600000,
    volume = D(m.volume or "1000000000"), half_spread = D(m.spread or "0"):div(D("2"), 12, "half_even"), depth = D(m.depth or "1000"),
  }
end

function Fake:set_mark(symbol, mark) self.markets_by[symbol].mark = D(mark) end
function Fake:set_rate(symbol, per_hour) self.markets_by[symbol].rate_per_hour = per_hour end

-- fake:fault("place", {kind = "invalid_order", outcome = "rejected"}) fails the next call of op;
-- {executes = true, kind = "timeout", outcome = "unknown"} lets the order fill but reports unknown.
function Fake:fault(op, spec) self.faults[op] = self.faults[op] or {}; table.insert(self.faults[op], spec) end

local function take_fault(self, op)
  local list = self.faults[op]
  if list and #list > 0 then return table.remove(list, 1) end
end

local function record(self, op, args) self.calls[#self.calls + 1] = { op = op, args = args, at_us = hedge.mono_us() } end

function Fake:count(op)
  local n = 0
  for _, c in ipairs(self.calls) do if c.op == op then n = n + 1 end end
  return n
end

-- ---- market data ---------------------------------------------------------------------------

function Fake:markets()
  record(self, "markets")
  local f = take_fault(self, "markets"); if f then return err(self, "markets", f.kind, f.msg or "fault") end
  local out = {}
  for _, m in pairs(self.markets_by) do
    out[#out + 1] = { symbol = m.symbol, id = m.id, tick = m.tick, step = m.step, min_notional = m.min_notional,
      max_leverage = m.max_leverage, funding_interval_ms = m.interval_ms, taker_fee = self.fee }
  end
  table.sort(out, function(a, b) return a.symbol < b.symbol end)
  return out
end

-- market(symbol) -> one market as markets() lists it (the real clients' cached read)
function Fake:market(symbol)
  for _, m in ipairs(self:markets()) do if m.symbol == symbol then return m end end
  return err(self, "market", "bad_symbol", symbol .. " is not listed")
end

function Fake:funding_rates()
  record(self, "funding_rates")
  local f = take_fault(self, "funding_rates"); if f then return err(self, "funding_rates", f.kind, f.msg or "fault") end
  local out = {}
  for s, m in pairs(self.markets_by) do
    local now = hedge.now_ms()
    out[s] = { symbol = s, rate = m.rate_per_hour * m.interval_ms / 3600000, interval_ms = m.interval_ms,
      rate_per_hour = m.rate_per_hour, apr = m.rate_per_hour * 8760, mark = m.mark,
      next_funding_ms = (math.floor(now / m.interval_ms) + 1) * m.interval_ms }
  end
  return out
end

function Fake:ticker(symbol)
  record(self, "ticker", symbol)
  local m = self.markets_by[symbol]
  if not m then return err(self, "ticker", "bad_symbol", "no market " .. symbol) end
  return { symbol = symbol, mark = m.mark, mid = m.mark, index = m.mark, volume_24h = m.volume }
end

-- tickers(symbols?) -> {[symbol] = ticker}: the bulk read (one call for every market).
function Fake:tickers(symbols)
  record(self, "tickers", symbols)
  local f = take_fault(self, "tickers"); if f then return err(self, "tickers", f.kind, f.msg or "fault") end
  local out = {}
  for s, m in pairs(self.markets_by) do
    out[s] = { symbol = s, mark = m.mark, mid = m.mark, index = m.mark, volume_24h = m.volume }
  end
  if symbols then
    local wanted = {}
    for _, s in ipairs(symbols) do wanted[s] = out[s] end
    out = wanted
  end
  return out
end

function Fake:order_book(symbol, depth)
  record(self, "order_book", symbol)
  local f = take_fault(self, "order_book"); if f then return err(self, "order_book", f.kind, f.msg or "fault") end
  local m = self.markets_by[symbol]
  if not m then return err(self, "order_book", "bad_symbol", "no market " .. symbol) end
  local bids, asks = {}, {}
  for i = 1, depth or 5 do
    local offset = m.half_spread + m.tick * D(tostring(i - 1))
    bids[i] = { price = m.mark - offset, size = m.depth }
    asks[i] = { price = m.mark + offset, size = m.depth }
  end
  return { symbol = symbol, bids = bids, asks = asks }
end

-- ---- account -----------------------------------------------------------------------------------

local function upnl(m, p)
  local diff = (m.mark - p.entry) * p.size
  return p.side == "long" and diff or -diff
end

function Fake:balance()
  record(self, "balance")
  local f = take_fault(self, "balance"); if f then return err(self, "balance", f.kind, f.msg or "fault") end
  local equity, used = self.cash, D("0")
  for s, p in pairs(self.positions_by) do
    local m = self.markets_by[s]
    equity = equity + upnl(m, p)
    used = used + m.mark * p.size / D(tostring(self.leverage[s] or 1))
  end
  return { currency = "USD", equity = equity, available = equity - used, taker_fee = self.fee }
end

function Fake:positions(symbols)
  record(self, "positions")
  local f = take_fault(self, "positions"); if f then return err(self, "positions", f.kind, f.msg or "fault") end
  local out = {}
  for s, p in pairs(self.positions_by) do
    local m = self.markets_by[s]
    out[#out + 1] = { symbol = s, side = p.side, size = p.size, entry_price = p.entry, mark_price = m.mark,
      unrealized_pnl = upnl(m, p), leverage = self.leverage[s], funding = p.funding }
  end
  table.sort(out, function(a, b) return a.symbol < b.symbol end)
  return out
end

function Fake:set_leverage(symbol, leverage, mode)
  record(self, "set_leverage", { symbol, leverage, mode })
  local f = take_fault(self, "set_leverage"); if f then return err(self, "set_leverage", f.kind, f.msg or "fault") end
  if not self.markets_by[symbol] then return err(self, "set_leverage", "bad_symbol", "no market " .. symbol) end
  self.leverage[symbol] = leverage
  return true
end

-- Fills a signed size change at price p, charging the taker fee.
local function apply_fill(self, symbol, side, size, price)
  local pos = self.positions_by[symbol]
  local signed = side == "buy" and size or -size
  local cur = pos and (pos.side == "long" and pos.size or -pos.size) or D("0")
  local new = cur + signed
  self.cash = self.cash - size * price * self.fee
  if pos and cur:sign() ~= 0 and signed:sign() ~= cur:sign() then
    -- reducing: realise PnL on the closed part
    local closed = size < pos.size and size or pos.size
    local pnl = (price - pos.entry) * closed
    if pos.side == "short" then pnl = -pnl end
    self.cash = self.cash + pnl
  end
  if new:sign() == 0 then
    self.positions_by[symbol] = nil
  elseif not pos or cur:sign() == 0 or new:sign() ~= cur:sign() then
    self.positions_by[symbol] = { side = new:sign() > 0 and "long" or "short", size = new:abs(), entry = price, funding = D("0") }
  elseif new:abs() > cur:abs() then
    pos.entry = ((pos.entry * pos.size) + price * size):div(new:abs(), 12, "half_even")
    pos.size = new:abs()
  else
    pos.size = new:abs()
  end
end

-- place{symbol, side = "buy"|"sell", size, price?, type = "market"|"limit", tif, reduce_only, client_id}
function Fake:place(o)
  record(self, "place", o)
  local m = self.markets_by[o.symbol]
  if not m then return err(self, "place", "bad_symbol", "no market " .. o.symbol, { outcome = "rejected" }) end
  local f = take_fault(self, "place")
  if f and not f.executes and not f.partial then
    return err(self, "place", f.kind or "invalid_order", f.msg or "rejected by fault", { outcome = f.outcome or "rejected" })
  end
  local size = D.is_decimal(o.size) and o.size or D(o.size)
  if o.reduce_only then
    local pos = self.positions_by[o.symbol]
    local closing = pos and ((pos.side == "long" and o.side == "sell") or (pos.side == "short" and o.side == "buy"))
    if not closing then return err(self, "place", "invalid_order", "reduce-only order would increase the position", { outcome = "rejected" }) end
    if size > pos.size then size = pos.size end
  end
  local price = o.side == "buy" and (m.mark + m.half_spread) or (m.mark - m.half_spread)
  if o.price and o.type == "limit" then
    local limit = D.is_decimal(o.price) and o.price or D(o.price)
    if (o.side == "buy" and limit < price) or (o.side == "sell" and limit > price) then
      -- does not cross: IOC cancels, GTC rests (not modelled: reported as cancelled)
      local order = { id = tostring(self.next_id), client_id = o.client_id, symbol = o.symbol, side = o.side,
        size = size, filled = D("0"), remaining = D("0"), status = "cancelled" }
      self.next_id = self.next_id + 1
      self.orders_by_client[o.client_id or order.id] = order
      return order
    end
  end
  local fill = size
  if f and f.partial then fill = (size * D(f.partial)):quantize(m.step, "floor") end
  apply_fill(self, o.symbol, o.side, fill, price)
  local order = { id = tostring(self.next_id), client_id = o.client_id, symbol = o.symbol, side = o.side,
    size = size, filled = fill, remaining = D("0"), avg_price = price,
    status = fill == size and "filled" or "cancelled", reduce_only = o.reduce_only }
  self.next_id = self.next_id + 1
  if o.client_id then self.orders_by_client[o.client_id] = order end
  if f and f.executes then
    return err(self, "place", f.kind or "timeout", f.msg or "no answer after sending", { outcome = "unknown" })
  end
  return order
end

function Fake:order(client_id, symbol)
  record(self, "order", client_id)
  local o = self.orders_by_client[client_id]
  if not o then return err(self, "order", "order_not_found", "no order " .. client_id) end
  return o
end

function Fake:open_orders() record(self, "open_orders"); return {} end
function Fake:cancel_all() record(self, "cancel_all"); return 0 end

function Fake:close_position(symbol, opts)
  record(self, "close_position", symbol)
  local pos = self.positions_by[symbol]
  if not pos then return { symbol = symbol, status = "flat" } end
  return self:place { symbol = symbol, side = pos.side == "long" and "sell" or "buy", size = pos.size,
    type = "market", reduce_only = true, client_id = opts and opts.client_id }
end

-- Test helpers: settle one funding payment on every position at the current rates.
function Fake:settle_funding()
  for s, p in pairs(self.positions_by) do
    local m = self.markets_by[s]
    local rate = D(string.format("%.12f", m.rate_per_hour * m.interval_ms / 3600000))
    local payment = m.mark * p.size * rate
    local amount = p.side == "long" and -payment or payment
    self.cash = self.cash + amount
    p.funding = p.funding + amount
  end
end

function Fake:liquidate(symbol) self.positions_by[symbol] = nil end

return Fake
