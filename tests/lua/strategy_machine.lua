-- The bot's state machine on fake venues: full cycles, stop-loss, a missing leg, funding
-- inversion, and start-up recovery (adopt, naked leg, unexplained positions).
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local Journal = require "lib.memory_journal"
local Machine = require "bot.machine"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

local function base_config(over)
  local c = { symbols_to_monitor = "*", leverage = 2, notional_per_position = 1000, hold_duration_hours = 0.5 / 3600,
    wait_between_cycles_minutes = 0.2 / 60, check_interval_seconds = 0.05, min_net_apr_threshold = 5,
    min_volume_usd = 1000, max_spread_pct = 1, slippage_bps = 50, order_style = "market", fill_wait_seconds = 0.3,
    reconcile_seconds = 0.3, liquidation_check_grace_period_seconds = 0, fees = { alpha = "0", beta = "0" },
    naked_leg_policy = "close", stoploss_formula = "lp_table", enable_stop_loss = true, error_retry_minutes = 0.01 / 60 }
  for k, v in pairs(over or {}) do c[k] = v end
  return c
end

local function world(config)
  local a = Fake.new { name = "alpha", fee = "0", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.0005, spread = "0" } } }
  local b = Fake.new { name = "beta", fee = "0", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.00001, spread = "0" } } }
  local journal = Journal.new()
  local m = Machine.new { venues = { alpha = a, beta = b }, journal = journal,
    load_config = function() return config end, selection = require "select.default",
    stoploss = require "policy.stoploss", log = hedge.log }
  -- Every run is bounded: a test that would loop forever fails instead.
  local run = m.run
  m.run = function(self, until_fn)
    local deadline = hedge.mono_ms() + 15000
    return run(self, function(me) return until_fn(me) or hedge.mono_ms() > deadline end)
  end
  return m, a, b, journal
end

-- 1. full cycles: open long beta / short alpha, hold, rotate, twice
local cfg = base_config()
local m, a, b, journal = world(cfg)
local outcome = m:run(function(self) return #journal.cycles >= 2 end)
t.is(#journal.cycles, 2, "two full cycles completed")
t.is(journal.cycles[1].symbol, "ETH", "the cycle traded ETH")
t.is(journal.cycles[1].long_venue .. "/" .. journal.cycles[1].short_venue, "beta/alpha", "long where funding is lower")
t.is(journal.cycles[1].reason, "hold time over: rotating", "closed at the end of the hold")
t.is(next(a.positions_by), nil, "alpha flat after the cycles")
t.is(next(b.positions_by), nil, "beta flat after the cycles")
local seen = table.concat(journal.states, ",")
t.like(seen, "ANALYZING,OPENING,HOLDING,CLOSING,WAITING", "the states follow the machine: " .. seen:sub(1, 80))
t.is(outcome, "stopped", "run returns when asked to stop")

-- 2. stop-loss on a price shock against one leg
cfg = base_config { hold_duration_hours = 1 }
m, a, b, journal = world(cfg)
local shocked = false
m:run(function(self)
  if self.state == "HOLDING" and not shocked then
    shocked = true
    -- long leg on beta loses 60% of its value: worst leg far below -25% (LP table 2x: 30%)
    b:set_mark("ETH", "800")
  end
  return #journal.cycles >= 1
end)
t.like(journal.cycles[1] and journal.cycles[1].reason, "^stop%-loss: beta leg", "the stop-loss closed the hedge on the worse leg")
t.is(next(a.positions_by), nil, "both legs closed after the stop (alpha)")
t.is(next(b.positions_by), nil, "both legs closed after the stop (beta)")

-- 3. a leg disappears (liquidation): close the other, ERROR
cfg = base_config { hold_duration_hours = 1 }
m, a, b, journal = world(cfg)
local liquidated = false
m:run(function(self)
  if self.state == "HOLDING" and not liquidated then liquidated = true; a:liquidate("ETH") end
  return self.state == "ERROR"
end)
t.is(m.state, "ERROR", "a missing leg puts the bot in ERROR")
t.is(next(b.positions_by), nil, "and the remaining leg was closed")
t.like(journal.st.last_error, "leg missing or liquidated on alpha", "the reason names the venue")

-- 4. funding inversion exit
cfg = base_config { hold_duration_hours = 1, funding_inversion_exit_apr = 10 }
m, a, b, journal = world(cfg)
local inverted = false
m:run(function(self)
  if self.state == "HOLDING" and not inverted then
    inverted = true
    b:set_rate("ETH", 0.001); a:set_rate("ETH", 0.0)    -- now long pays 8.76 APR-units more than short earns
  end
  return #journal.cycles >= 1
end)
t.like(journal.cycles[1] and journal.cycles[1].reason, "^funding spread inverted", "an inverted spread closes the hedge")

-- 5. recovery: a stored hedge whose legs are both there is adopted with its open time
cfg = base_config { hold_duration_hours = 1 }
m, a, b, journal = world(cfg)
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
a:place { symbol = "ETH", side = "sell", size = D("0.4"), type = "market" }
journal:set_hedge { symbol = "ETH", long_venue = "beta", short_venue = "alpha", long_size = "0.4", short_size = "0.4",
  opened_at_ms = 1700000000000, notional = "800", leverage = 2 }
journal:set_state { state = "HOLDING", cycle = 7 }
local recovery = require "bot.recovery"
local m2 = Machine.new { venues = { alpha = a, beta = b }, journal = journal, load_config = function() return cfg end,
  selection = require "select.default", stoploss = require "policy.stoploss", log = hedge.log }
local text = recovery.run(m2)
t.like(text, "^adopted the stored hedge", "stored hedge adopted: " .. text)
t.is(m2.state, "HOLDING", "and held")
t.is(m2.hedge.opened_at_ms, 1700000000000, "keeping its original open time")
t.is(m2.cycle, 7, "and the cycle count")

-- 6. recovery: one leg only -> closed reduce-only
m, a, b, journal = world(cfg)
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
text = recovery.run(m)
t.like(text, "^naked leg: beta 0.4 ETH", "a naked leg is found: " .. text)
t.like(text, "closed reduce%-only$", "and closed")
t.is(next(b.positions_by), nil, "nothing left open")

-- 7. recovery: a naked leg with naked_leg_policy = halt stops the bot
m, a, b, journal = world(base_config { naked_leg_policy = "halt" })
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
text = recovery.run(m)
t.is(m.state, "HALTED", "halt policy halts")
t.ok(b.positions_by.ETH ~= nil, "and leaves the leg alone")

-- 8. recovery: positions it cannot explain halt the bot with a message
m, a, b, journal = world(cfg)
b:place { symbol = "ETH", side = "buy", size = D("0.4"), type = "market" }
a:place { symbol = "ETH", side = "sell", size = D("0.3"), type = "market" }
text = recovery.run(m)
t.is(m.state, "HALTED", "unequal unknown positions halt the bot")
t.like(text, "cannot explain: alpha %-0.3 ETH, beta 0.4 ETH", "listing what was found: " .. text)

-- 9. recovery: an intent left open by a crash is resolved by client id first
m, a, b, journal = world(cfg)
local placed = a:place { symbol = "ETH", side = "sell", size = D("0.1"), type = "market", client_id = "cid-1" }
local id = journal:add_intent { venue = "alpha", client_id = "cid-1", symbol = "ETH", side = "sell", size = "0.1", purpose = "open" }
journal:add_intent { venue = "beta", client_id = "cid-2", symbol = "ETH", side = "buy", size = "0.1", purpose = "open" }
text = recovery.run(m)
t.is(journal.intents[id].status, "resolved", "the crashed intent is resolved")
t.like(journal.intents[id].resolution, "found at start%-up", "by finding the order by client id")
t.like(journal.intents[2].resolution, "never taken", "an intent the venue never saw is closed as never taken")
t.like(text, "^naked leg: alpha %-0.1 ETH", "and the resulting naked leg is handled")

t.done()
