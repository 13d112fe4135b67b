-- The bot's alerts, on fake venues (tests/lua/lib/fake_venue.lua) with an in-memory journal:
-- a leg that fills alone (naked until unwound), an unwind that fails, a leg gone while holding,
-- the stop-loss, a leg near liquidation, a funding convention failure, a halt; and the start-up
-- policy for a hedge opened by hand (adopted with its own cycle, or refused with a halt).
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local Journal = require "lib.memory_journal"
local Machine = require "bot.machine"
local recovery = require "bot.recovery"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

-- Records what would be sent; the rate limit and delivery are lib/alerts.lua's (tests/tools/alerts.lua).
local function recorder()
  local r = { events = {}, margin_distance_pct = 10 }
  function r:raise(event, fields) self.events[#self.events + 1] = { event = event, fields = fields }; return true end
  function r:configure() end
  function r:kinds()
    local out = {}
    for _, e in ipairs(self.events) do out[#out + 1] = e.event end
    return table.concat(out, ",")
  end
  function r:find(event)
    for _, e in ipairs(self.events) do if e.event == event then return e end end
  end
  return r
end

local function config(over)
  local c = { symbols_to_monitor = "*", leverage = 2, notional_per_position = 1000, hold_duration_hours = 1,
    wait_between_cycles_minutes = 0.2 / 60, check_interval_seconds = 0.05, min_net_apr_threshold = 5,
    min_volume_usd = 1000, max_spread_pct = 1, slippage_bps = 50, order_style = "market", fill_wait_seconds = 0.3,
    reconcile_seconds = 0.3, liquidation_check_grace_period_seconds = 0, fees = { alpha = "0", beta = "0" },
    naked_leg_policy = "close", stoploss_formula = "lp_table", enable_stop_loss = true, error_retry_minutes = 1,
    close_attempts = 2, max_open_attempts = 1, manual_hedge_policy = "adopt" }
  for k, v in pairs(over or {}) do c[k] = v end
  return c
end

local function world(cfg)
  local a = Fake.new { name = "alpha", fee = "0", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.0005, spread = "0" } } }
  local b = Fake.new { name = "beta", fee = "0", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.00001, spread = "0" } } }
  local journal, alerts = Journal.new(), recorder()
  local m = Machine.new { venues = { alpha = a, beta = b }, journal = journal, alerts = alerts,
    load_config = function() return cfg end, selection = require "select.default",
    stoploss = require "policy.stoploss", log = hedge.log }
  local run = m.run
  m.run = function(self, until_fn)
    local deadline = hedge.mono_ms() + 15000
    return run(self, function(me) return until_fn(me) or hedge.mono_ms() > deadline end)
  end
  return m, a, b, journal, alerts
end

-- 1. the long leg (beta) is refused, the short one (alpha) fills alone and is unwound
local m, a, b, journal, alerts = world(config())
b:fault("place", { kind = "insufficient_funds", msg = "not enough margin", outcome = "rejected" })
m:run(function(self) return self.state == "WAITING" or self.state == "ERROR" end)
local naked = alerts:find("naked_leg")
t.ok(naked ~= nil, "a leg that filled alone raises naked_leg: " .. alerts:kinds())
t.is(naked and naked.fields.venue, "alpha", "naming the venue whose leg filled")
t.like(naked and naked.fields.message or "", "filled without its partner and was unwound", "saying it was unwound")
t.is(next(a.positions_by), nil, "and the leg is gone")

-- 2. ... and when the unwind is refused too, failed_unwind
m, a, b, journal, alerts = world(config())
b:fault("place", { kind = "insufficient_funds", msg = "not enough margin", outcome = "rejected" })
local place, calls = a.place, 0
a.place = function(self, o)
  calls = calls + 1
  if calls > 1 then return nil, hedge.errors.new("unavailable", "venue down", { venue = "alpha", op = "place", outcome = "rejected" }) end
  return place(self, o)
end
m:run(function(self) return self.state == "ERROR" end)
local failed = alerts:find("failed_unwind")
t.ok(failed ~= nil, "an unwind that does not complete raises failed_unwind: " .. alerts:kinds())
t.like(failed and failed.fields.message or "", "still open on alpha", "naming where the position is left")

-- 3. a leg disappears while holding: naked_leg, then the rest is closed
m, a, b, journal, alerts = world(config())
local gone = false
m:run(function(self)
  if self.state == "HOLDING" and not gone then gone = true; a:liquidate("ETH") end
  return self.state == "ERROR"
end)
local e = alerts:find("naked_leg")
t.ok(e ~= nil, "a leg missing while holding raises naked_leg: " .. alerts:kinds())
t.like(e and e.fields.message or "", "leg missing or liquidated on alpha", "with the monitor's reason")

-- 4. stop-loss
m, a, b, journal, alerts = world(config())
local shocked = false
m:run(function(self)
  if self.state == "HOLDING" and not shocked then shocked = true; b:set_mark("ETH", "800") end
  return #journal.cycles >= 1
end)
local stop = alerts:find("stop_loss")
t.ok(stop ~= nil, "the stop-loss raises stop_loss: " .. alerts:kinds())
t.like(stop and stop.fields.message or "", "^stop%-loss: beta leg", "with the stop's reason")

-- 5. a leg close to its liquidation price
m, a, b, journal, alerts = world(config())
local positions = b.positions
b.positions = function(self, symbols)
  local list, err = positions(self, symbols)
  for _, p in ipairs(list or {}) do p.mark_price, p.liquidation_price = D("2000"), D("1900") end   -- 5 % away
  return list, err
end
m:run(function(self) return self.state == "HOLDING" and #alerts.events > 0 end)
local near = alerts:find("margin")
t.ok(near ~= nil, "a leg within alerts.margin_distance_pct of liquidation raises margin: " .. alerts:kinds())
t.like(near and near.fields.message or "", "long leg on beta is 5%.00%% from its liquidation price 1900", "saying how close")

-- 6. a venue whose funding convention check fails
m, a, b, journal, alerts = world(config())
a:fault("funding_rates", { kind = "bad_response", msg = "most markets' settlements disagree with the rates" })
local fr = a.funding_rates
a.funding_rates = function(self, ...)
  local r, err = fr(self, ...)
  if err then err.code = "funding_unit_mismatch" end
  return r, err
end
m:run(function(self) return self.state == "WAITING" end)
t.ok(alerts:find("funding_mismatch") ~= nil, "a funding_unit_mismatch error raises funding_mismatch: " .. alerts:kinds())

-- 7. a hedge opened by hand (owner manual) with manual_hedge_policy = adopt
m, a, b, journal, alerts = world(config())
journal:set_state { state = "WAITING", cycle = 4 }
m.cycle = 4
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
a:place { symbol = "ETH", side = "sell", size = D("0.4"), type = "market" }
journal:set_hedge { symbol = "ETH", long_venue = "beta", short_venue = "alpha", long_size = "0.4", short_size = "0.4",
  opened_at_ms = hedge.now_ms(), notional = "800", leverage = 2, owner = "manual" }
local text = recovery.run(m)
t.like(text, "^adopted the stored hedge: ETH", "a manual hedge is adopted: " .. text)
t.is(m.state, "HOLDING", "and held")
t.is(m.cycle, 5, "with a cycle number of its own")
t.is(journal.current.owner, "bot", "the journal now names the bot as its owner")
t.is(journal.current.adopted, true, "and marks it adopted")
local adopted
for _, ev in ipairs(journal.events) do if ev.kind == "adopted" then adopted = ev end end
t.is(adopted and adopted.fields.from, "manual", "the adopted event says it came from a manual open")

-- 8. ... and with manual_hedge_policy = refuse: the bot halts, says why, and alerts
m, a, b, journal, alerts = world(config { manual_hedge_policy = "refuse" })
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
a:place { symbol = "ETH", side = "sell", size = D("0.4"), type = "market" }
journal:set_hedge { symbol = "ETH", long_venue = "beta", short_venue = "alpha", long_size = "0.4", short_size = "0.4",
  opened_at_ms = hedge.now_ms(), notional = "800", leverage = 2, owner = "manual" }
text = recovery.run(m)
t.is(m.state, "HALTED", "manual_hedge_policy refuse halts the bot")
t.like(text, "opened by hand is open %(alpha %-0.4 ETH, beta 0.4 ETH%) and manual_hedge_policy is refuse", "saying why: " .. text)
t.like(text, "hedge scripts/hedge.lua close ETH", "and how to clear it")
t.ok(alerts:find("halt") ~= nil, "a halt raises halt: " .. alerts:kinds())
t.ok(b.positions_by.ETH ~= nil and a.positions_by.ETH ~= nil, "nothing is closed")

t.done()
