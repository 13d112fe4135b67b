-- What the bot's /metrics endpoint exposes (issue 11), in the Prometheus text format:
--
--   hedge_state{state}                      1 for the state the bot is in, 0 for the others
--   hedge_cycle                             the cycle number
--   hedge_position_open, hedge_position_info{symbol,long_venue,short_venue}
--   hedge_position_notional_usd             notional of one leg of the held hedge (0 when flat)
--   hedge_unrealized_pnl_usd                both legs, as the venues report it at the last check
--   hedge_leg_unrealized_pnl_usd{leg,venue}
--   hedge_funding_earned_usd                funding the held legs received so far
--   hedge_stop_distance_percent, hedge_time_left_seconds, hedge_funding_spread_apr
--   hedge_realized_pnl_usd{component}       sums over every recorded cycle: funding, basis, fees, total
--   hedge_cycles_total, hedge_unwinds_total (unwind orders journalled)
--   hedge_order_latency_seconds{venue,op}   histogram of place / cancel / cancel_all / close_position
--   hedge_venue_requests_total{venue,op}, hedge_venue_request_errors_total{venue,kind}
--   hedge_venue_last_success_timestamp_seconds{venue}
--   hedge_alerts_total{event}, hedge_equity_usd{venue}
--
-- Venue figures are measured by wrapping the methods of each venue client object in place
-- (metrics:instrument(venues)): the clients and the strategy are unchanged, and a call's
-- results pass through untouched.
local hedge = require "hedge"
local P = require "hedge.prometheus"

local M = {}

local STATES = { "IDLE", "ANALYZING", "OPENING", "HOLDING", "CLOSING", "WAITING", "ERROR", "SHUTDOWN", "HALTED" }
M.STATES = STATES

-- The unified interface (DESIGN §5): every method is counted; order calls are also timed.
local METHODS = { "markets", "funding_rates", "order_book", "ticker", "balance", "positions", "set_leverage", "place",
  "cancel", "cancel_all", "open_orders", "order", "close_position" }
local ORDER_OPS = { place = true, cancel = true, cancel_all = true, close_position = true }
local LATENCY_BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 }

local Metrics = {}
Metrics.__index = Metrics

function M.new()
  return setmetatable({ venues = {}, alerts = {} }, Metrics)
end

local function venue_stats(self, name)
  local v = self.venues[name]
  if not v then
    v = { requests = {}, errors = {}, latency = {}, last_success_ms = nil }
    self.venues[name] = v
  end
  return v
end

-- Records one finished call: results are what the method returned.
function Metrics:record(venue, op, elapsed_s, first, err)
  local v = venue_stats(self, venue)
  v.requests[op] = (v.requests[op] or 0) + 1
  if first == nil and err ~= nil then
    local kind = type(err) == "table" and err.kind or "unknown"
    v.errors[kind] = (v.errors[kind] or 0) + 1
  else
    v.last_success_ms = hedge.now_ms()
  end
  if ORDER_OPS[op] then
    local h = v.latency[op]
    if not h then h = P.histogram(LATENCY_BUCKETS); v.latency[op] = h end
    h:observe(elapsed_s)
  end
end

local function pack(...) return { n = select("#", ...), ... } end

-- Wraps the unified methods of every client in venues = {name = client}.
function Metrics:instrument(venues)
  for name, client in pairs(venues) do
    venue_stats(self, name)
    for _, op in ipairs(METHODS) do
      local original = client[op]
      if type(original) == "function" and not rawget(client, "_metrics_" .. op) then
        rawset(client, "_metrics_" .. op, original)
        rawset(client, op, function(c, ...)
          local t0 = hedge.mono_us()
          local r = pack(original(c, ...))
          self:record(name, op, (hedge.mono_us() - t0) / 1e6, r[1], r[2])
          return unpack(r, 1, r.n)
        end)
      end
    end
  end
end

-- Counts the alerts raised through an alerts object (lib/alerts.lua) and keeps the newest
-- ones for the page's event list.
function Metrics:watch_alerts(alerts, keep)
  if not alerts or rawget(alerts, "_metrics_raise") then return end
  keep = keep or 50
  local raise = alerts.raise
  rawset(alerts, "_metrics_raise", raise)
  self.recent_alerts = {}
  rawset(alerts, "raise", function(a, event, fields)
    self.alerts[event] = (self.alerts[event] or 0) + 1
    local list = self.recent_alerts
    local message = fields and fields.message or tostring(event)
    local newest = list[1]
    if newest and newest.event == event and newest.base_message == message then
      -- A condition that persists raises the same alert at every check: one line, counted.
      newest.repeats = newest.repeats + 1
      newest.at_ms = hedge.now_ms()
      newest.message = ("%s (x%d)"):format(message, newest.repeats)
    else
      table.insert(list, 1, { at_ms = hedge.now_ms(), kind = "alert:" .. tostring(event), event = event, level = "warn",
        symbol = fields and fields.symbol, venue = fields and fields.venue, message = message, base_message = message, repeats = 1 })
      if #list > keep then list[#list] = nil end
    end
    return raise(a, event, fields)
  end)
end

local function num(v)
  if v == nil then return nil end
  if type(v) == "number" then return v end
  return tonumber(tostring(v))
end

-- text(state_doc, history) -> the exposition. state_doc is status_view.state's document,
-- history = {totals = {funding_pnl, price_pnl, fees, total_pnl, cycles}, unwinds = n}.
function Metrics:text(state, history)
  local doc = P.document()
  doc:gauge("hedge_up", "1 while the bot's status server answers", 1)
  local states = {}
  for _, s in ipairs(STATES) do states[#states + 1] = { labels = { state = s }, value = state.state == s and 1 or 0 } end
  doc:gauge("hedge_state", "1 for the state the bot is in, 0 for the others", states)
  doc:gauge("hedge_cycle", "the cycle number (increases with every open attempt that starts a cycle)", state.cycle or 0)
  local h = state.hedge
  doc:gauge("hedge_position_open", "1 while a hedge is held", h and 1 or 0)
  doc:gauge("hedge_position_info", "the held pair (present only while a hedge is held)",
    h and { { labels = { symbol = h.symbol, long_venue = h.long_venue, short_venue = h.short_venue }, value = 1 } } or {})
  doc:gauge("hedge_position_notional_usd", "USD notional of one leg of the held hedge (0 when flat)", h and num(h.notional) or 0)
  doc:gauge("hedge_unrealized_pnl_usd", "unrealised PnL of both legs at the last check, USD (0 when flat)",
    h and num(h.unrealized_pnl) or 0)
  local legs = {}
  for _, leg in ipairs { "long", "short" } do
    local l = h and h.legs and h.legs[leg]
    if l and num(l.unrealized_pnl) then legs[#legs + 1] = { labels = { leg = leg, venue = l.venue }, value = num(l.unrealized_pnl) } end
  end
  doc:gauge("hedge_leg_unrealized_pnl_usd", "unrealised PnL of each leg at the last check, USD", legs)
  doc:gauge("hedge_funding_earned_usd", "funding received by the held legs so far, USD (0 when flat)", h and num(h.funding) or 0)
  doc:gauge("hedge_stop_distance_percent", "how far the worse leg is from the stop-loss, % of notional (present while held)",
    (h and h.stop and num(h.stop.distance_pct)) and { { value = num(h.stop.distance_pct) } } or {})
  doc:gauge("hedge_time_left_seconds", "strategy seconds until the planned close (present while held)",
    (h and num(h.time_left_s)) and { { value = num(h.time_left_s) } } or {})
  doc:gauge("hedge_funding_spread_apr", "funding spread of the held pair, APR as a fraction (present while held)",
    (h and num(h.spread_apr)) and { { value = num(h.spread_apr) } } or {})
  local t = history.totals or {}
  doc:gauge("hedge_realized_pnl_usd", "realised PnL summed over every recorded cycle, USD, by component (total = funding + basis - fees)", {
    { labels = { component = "funding" }, value = num(t.funding_pnl) or 0 },
    { labels = { component = "basis" }, value = num(t.price_pnl) or 0 },
    { labels = { component = "fees" }, value = num(t.fees) or 0 },
    { labels = { component = "total" }, value = num(t.total_pnl) or 0 },
  })
  doc:counter("hedge_cycles_total", "cycles completed and recorded", t.cycles or 0)
  doc:counter("hedge_unwinds_total", "unwind orders journalled (a leg closed because its partner did not fill)", history.unwinds or 0)

  local names = {}
  for name in pairs(self.venues) do names[#names + 1] = name end
  table.sort(names)
  local latency, requests, errors, last = {}, {}, {}, {}
  for _, name in ipairs(names) do
    local v = self.venues[name]
    local ops = {}
    for op in pairs(v.latency) do ops[#ops + 1] = op end
    table.sort(ops)
    for _, op in ipairs(ops) do latency[#latency + 1] = { labels = { venue = name, op = op }, histogram = v.latency[op] } end
    ops = {}
    for op in pairs(v.requests) do ops[#ops + 1] = op end
    table.sort(ops)
    for _, op in ipairs(ops) do requests[#requests + 1] = { labels = { venue = name, op = op }, value = v.requests[op] } end
    local kinds = {}
    for kind in pairs(v.errors) do kinds[#kinds + 1] = kind end
    table.sort(kinds)
    for _, kind in ipairs(kinds) do errors[#errors + 1] = { labels = { venue = name, kind = kind }, value = v.errors[kind] } end
    if v.last_success_ms then last[#last + 1] = { labels = { venue = name }, value = v.last_success_ms / 1000 } end
  end
  doc:histogram("hedge_order_latency_seconds", "time for a venue to answer an order call (place, cancel, cancel_all, close_position)", latency)
  doc:counter("hedge_venue_requests_total", "venue client calls, by venue and method", requests)
  doc:counter("hedge_venue_request_errors_total", "venue client calls that failed, by venue and error kind", errors)
  doc:gauge("hedge_venue_last_success_timestamp_seconds", "Unix time of the last successful call to each venue", last)
  local events = {}
  for event, n in pairs(self.alerts) do events[#events + 1] = { labels = { event = event }, value = n } end
  table.sort(events, function(a, b) return a.labels.event < b.labels.event end)
  doc:counter("hedge_alerts_total", "alerts raised, by event", events)
  local equity = {}
  local bnames = {}
  for name in pairs(state.balances or {}) do bnames[#bnames + 1] = name end
  table.sort(bnames)
  for _, name in ipairs(bnames) do
    local e = num(state.balances[name].equity)
    if e then equity[#equity + 1] = { labels = { venue = name }, value = e } end
  end
  doc:gauge("hedge_equity_usd", "account equity on each venue at the last analysis, USD", equity)
  return doc:text()
end

return M
