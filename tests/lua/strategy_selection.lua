-- Analysis, selection, sizing and stop-loss policy on fake venues with exact expectations.
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local default_select = require "select.default"
local gross_select = require "select.gross_apr"
local stoploss = require "policy.stoploss"

local function venues()
  local a = Fake.new { name = "alpha", fee = "0.0004", balance = "1000", markets = {
    { symbol = "BTC", mark = "100000", tick = "1", step = "0.001", rate_per_hour = 0.00001, spread = "2", volume = "900000000" },
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.01", rate_per_hour = 0.00005, spread = "0.02", volume = "500000000" },
    { symbol = "SOL", mark = "100", tick = "0.01", step = "0.1", rate_per_hour = 0.00008, spread = "1", volume = "300000000" },
    { symbol = "DOGE", mark = "0.2", tick = "0.0001", step = "1", rate_per_hour = 0.0001, volume = "1000" },
    { symbol = "ONLYA", mark = "5", rate_per_hour = 0.001 },
  } }
  local b = Fake.new { name = "beta", fee = "0", balance = "500", markets = {
    { symbol = "BTC", mark = "100010", tick = "0.1", step = "0.0001", rate_per_hour = 0.0000125, spread = "2", volume = "800000000" },
    { symbol = "ETH", mark = "2000.5", tick = "0.01", step = "0.001", rate_per_hour = 0.0000045, spread = "0.02", volume = "400000000" },
    { symbol = "SOL", mark = "100", tick = "0.01", step = "0.01", rate_per_hour = 0.0000115, spread = "1", volume = "300000000" },
    { symbol = "DOGE", mark = "0.2", tick = "0.0001", step = "1", rate_per_hour = 0.0, volume = "1000" },
  } }
  return { alpha = a, beta = b }
end

local config = {
  symbols_to_monitor = "*", leverage = 2, notional_per_position = 600, hold_duration_hours = 72,
  min_net_apr_threshold = 5, min_volume_usd = 100000000, max_spread_pct = 0.15,
}

local v = venues()
local snap = assert(analysis.run(v, config))
t.is(table.concat(snap.universe, ","), "BTC,DOGE,ETH,SOL", "universe: symbols on both venues")
t.is(#snap.candidates, 4, "one candidate per symbol for two venues")
local by = {}
for _, c in ipairs(snap.candidates) do by[c.symbol] = c end
t.is(by.ETH.long_venue, "beta", "ETH long where funding per hour is lower")
t.is(by.ETH.short_venue, "alpha", "ETH short where it is higher")
t.is(string.format("%.4f", by.ETH.gross_apr * 100), "39.8580", "ETH gross APR from per-hour rates: (0.00005 - 0.0000045) x 8760")
t.is(by.BTC.long_venue, "alpha", "BTC direction follows the rates")
t.is(v.alpha:count("tickers") + v.beta:count("tickers"), 2, "tickers: one bulk read per venue")
t.is(v.alpha:count("ticker") + v.beta:count("ticker"), 0, "and none per symbol")
t.is(v.alpha:count("order_book") + v.beta:count("order_book"), 8, "books of the 4 candidates (fewer than the top K): 8 legs")

-- restricting the universe
local snap2 = assert(analysis.run(v, { symbols_to_monitor = { "btc", "ONLYA", "XRP" } }))
t.is(table.concat(snap2.universe, ","), "BTC", "symbols_to_monitor limits the universe (case-insensitive)")
t.is(snap2.excluded.ONLYA, "listed only on alpha", "a one-venue symbol is excluded with a reason")
t.is(snap2.excluded.XRP, "not listed on any usable venue", "an unknown symbol is excluded with a reason")

-- sizing: min(600, min(1000, 500) x 2 x 0.95 = 950) = 600 at the mean mid, floored to both steps
local plan = assert(sizing.plan(by.ETH, snap, config))
t.is(tostring(plan.price), "2000.25", "price is the mean of both mids")
t.is(tostring(plan.size), "0.29", "size 600 / 2000.25 floored to a multiple of 0.01 and 0.001")
t.is(tostring(plan.notional), "580.0725", "notional of the rounded size")
t.is(tostring(sizing.floor_to_both(D("1"), D("0.004"), D("0.006"))), "0.996", "steps that are not multiples meet at their LCM")
local small = assert(analysis.run(v, { symbols_to_monitor = "*" }))
local no_plan, why = sizing.plan(by.BTC, small, { leverage = 1, notional_per_position = 5 })
t.is(no_plan, nil, "a plan below one size step is refused")
t.like(why, "^%$5%.00 buys less than one size step", "with the reason: " .. tostring(why))
local doge_c
for _, c in ipairs(small.candidates) do if c.symbol == "DOGE" then doge_c = c end end
local no_plan2, why2 = sizing.plan(doge_c, small, { leverage = 1, notional_per_position = 5 })
t.is(no_plan2, nil, "a plan below a venue's minimum notional is refused")
t.like(why2, "^notional %$5%.00 is below %a+'s minimum %$10$", "with the reason: " .. tostring(why2))

-- default selection: costs decide
local ctx = { plan = function(c) return sizing.plan(c, snap, config) end }
local rows = default_select.rank(snap, config, ctx)
t.is(rows[1].symbol, "ETH", "the default selection picks ETH")
t.is(rows[1].eligible, true, "ETH is eligible")
t.ok(rows[1].expected_net_usd > 0, ("ETH earns after costs: $%.2f"):format(rows[1].expected_net_usd))
t.is(string.format("%.4f", rows[1].fees_usd), "0.4641", "round-trip taker fees: 2 x (0.0004 + 0) x 580.0725")
local sol
for _, r in ipairs(rows) do if r.symbol == "SOL" then sol = r end end
t.is(sol.eligible, false, "SOL, the gross-APR winner, is skipped by the default selection")
t.like(sol.reason, "^loses %$", "because it loses after fees and slippage: " .. tostring(sol.reason))
local doge
for _, r in ipairs(rows) do if r.symbol == "DOGE" then doge = r end end
t.like(doge.reason, "^24h volume %$1000 on %a+ is below %$100000000$", "thin volume excluded: " .. tostring(doge.reason))

-- the seeds' rule picks SOL
local gross = gross_select.rank(snap, config, ctx)
t.is(gross[1].symbol, "SOL", "the gross-APR selection (seeds' rule) picks SOL")

-- an unknown fee refuses the candidate instead of assuming zero
local nofee = assert(analysis.run(v, config))
nofee.venues.beta.balance.taker_fee = nil
for _, m in pairs(nofee.venues.beta.markets) do m.taker_fee = nil end
local nofee_rows = default_select.rank(nofee, config, { plan = function(c) return sizing.plan(c, nofee, config) end })
t.like(nofee_rows[#nofee_rows].reason or nofee_rows[1].reason, "taker fee unknown on beta", "unknown fee: candidate refused")

-- a failing venue is left out; fewer than two is an error (markets come from the cache now:
-- the funding read fails)
v.beta:fault("funding_rates", { kind = "unavailable", msg = "down" })
local none, nerr = analysis.run(v, config)
t.is(none, nil, "with one venue down there is nothing to hedge")
t.like(tostring(nerr), "fewer than two venues answered: beta: .*down", "and the error names the venue")

-- stop-loss percentages
t.is(stoploss.lp_table(1), 50, "LP table 1x")
t.is(stoploss.lp_table(3), 20, "LP table 3x")
t.is(stoploss.lp_table(10), 6, "LP table 10x = 60/L")
t.is(stoploss.lp_table(50), 2, "LP table floor 2%")
t.is(stoploss.le_formula(1), 69.23, "LE formula 1x")
t.is(stoploss.le_formula(3), 22.56, "LE formula 3x")
t.is(stoploss.le_formula(10), 6.23, "LE formula 10x")
t.is(stoploss.percent(3, { stop_loss_percent = 7 }), 7, "configured stop_loss_percent wins")
t.is(stoploss.percent(3, { stoploss_formula = "lp_table" }), 20, "formula chosen by config")
local check = stoploss.check({ { venue = "alpha", unrealized_pnl = 30 }, { venue = "beta", unrealized_pnl = -125 } }, 1000, 12.5)
t.is(check.triggered, true, "worst leg at exactly -12.5% triggers a 12.5% stop")
t.is(check.worst_venue, "beta", "the worst leg is named")
local calm = stoploss.check({ { venue = "alpha", unrealized_pnl = -20 }, { venue = "beta", unrealized_pnl = 19 } }, 1000, 12.5)
t.is(calm.triggered, false, "a small loss does not trigger")
t.is(string.format("%.2f", calm.distance_pct), "10.50", "distance to the stop in % of notional")

t.done()
