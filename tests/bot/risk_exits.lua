-- The rotation bot's risk exits end to end (issue 8): ./hedge scripts/strategy.lua against the
-- simulator, the world changed under a held hedge.
--   1. stop-loss: Lighter's ETH price drops 30 % under the long leg -> the worst-leg stop closes
--      both legs (reduce-only), the cycle is recorded as stop_loss, its PnL as the venues booked it;
--   2. a leg vanishes (the venue liquidates the short leg) -> the bot closes the other leg and
--      stops in ERROR naming the venue, nothing left open;
--   3. funding inversion: the held AVAX spread turns negative -> closed early as funding_inversion.
package.path = "tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local World = require "lib.bot_world"
local Ledger = require "lib.bot_ledger"

local SCALE = 14400

-- bot_default.json with its rates held still: only the test changes the world.
local function still_world()
  local scenario = World.scenario()
  for _, v in pairs(scenario.venues) do
    for _, m in ipairs(v.markets) do m.funding.path = nil end
  end
  return scenario
end

local function run(name, fn, opts)
  local w = World.start(opts)
  local ok, err = pcall(fn, w)
  if not ok then t.ok(false, name .. ": the test ran to the end: " .. tostring(err)) end
  if not ok or t.failed > 0 then t.diag("kept the bot's files in " .. w:keep(name)) end
  w:stop()
end

local function positions_text(w)
  local _, text, pos = w:exposure()
  local orders = 0
  for _, list in pairs(pos.orders) do orders = orders + #list end
  return text, orders
end

-- 1. stop-loss on a price shock against one leg
run("stop_loss", function(w)
  local bot = w:spawn_bot { "--max-cycles", "1" }
  w:wait_log("OPENING %-> HOLDING", 30)
  local by_symbol = w:exposure()
  t.is(#(by_symbol.ETH or {}), 2, "ETH hedged on two venues")
  -- The long leg's venue marks ETH 30 % lower: the leg loses ~30 % of its notional, beyond the
  -- 3x stop (LE formula: 22.56 %); the short leg on Pacifica does not move.
  w.sim:set_prices { venue = "lighter", symbol = "ETH", mark = "2450", index = "2450", mid = "2450" }
  t.is(bot:wait(60), 0, "the bot closed the cycle and exited (--max-cycles 1)")
  local rec = w:find_log("HOLDING %-> CLOSING")
  t.ok(rec ~= nil, "HOLDING -> CLOSING")
  local why = w:find_log("^  stop%-loss:")
  t.like(why and why.msg, "stop%-loss: lighter leg at %-%d+%.%d+%% of notional %(stop 22%.56%%%)", "the stop names the worse leg (lighter) and the stop level")
  local j = assert(w:journal())
  local c = j.cycles[1] or {}
  t.is(c.close_reason, "stop_loss", "the cycle is recorded as closed by the stop-loss")
  local text, orders = positions_text(w)
  t.is(text, "flat", "both legs closed")
  t.is(orders, 0, "no order left resting")
  for _, intent in ipairs(j.intents) do
    if intent.purpose == "close" then t.ok(intent.reduce_only, "the close on " .. intent.venue .. " was reduce-only") end
  end
  if c.cycle then
    local booked = Ledger.cycle(w, j, c)
    for _, k in ipairs { "funding", "fees", "price", "total" } do
      local mine = c[({ funding = "funding_pnl", fees = "fees", price = "price_pnl", total = "total_pnl" })[k]]
      t.is(Ledger.cents(mine), Ledger.cents(booked[k]), ("stop-loss cycle %s: bot %s, venues booked %s"):format(k, tostring(mine), tostring(booked[k])))
    end
    t.cmp(D(c.total_pnl):to_number(), "<", -600, "the loss is the price move on the long leg (about -900 USD)")
  end
end, { scenario = still_world(), scale = SCALE, venues = { "lighter", "pacifica" }, config = {
  symbols_to_monitor = { "ETH" }, hold_duration_hours = 48, check_interval_seconds = 1800 } })

-- 2. a vanished leg: the venue's liquidation engine takes the short leg
run("missing_leg", function(w)
  local bot = w:spawn_bot()
  w:wait_log("OPENING %-> HOLDING", 30)
  local liq = w:liquidate("pacifica", "ETH")
  t.is(liq.side, "buy", "the simulator liquidated the short ETH leg on Pacifica")
  local rec = w:wait_log("HOLDING %-> ERROR", 30)
  t.like(rec.msg, "leg missing or liquidated on pacifica", "the bot noticed and went to ERROR naming the venue")
  local text, orders = positions_text(w)
  t.is(text, "flat", "the remaining Lighter leg was closed: nothing open anywhere")
  t.is(orders, 0, "no order left resting")
  local j = assert(w:journal())
  t.is(j.state.state, "ERROR", "the journal holds ERROR")
  t.like(j.state.last_error, "leg missing or liquidated on pacifica", "with the reason")
  local emergency
  for _, e in ipairs(j.events) do if e.kind == "emergency" then emergency = e end end
  t.ok(emergency ~= nil, "an emergency event was journalled")
  local closes = {}
  for _, intent in ipairs(j.intents) do
    if intent.purpose == "close" then closes[#closes + 1] = intent.venue .. (intent.reduce_only and " reduce-only" or "") end
  end
  t.is(table.concat(closes, ","), "lighter reduce-only", "only the Lighter leg needed closing, reduce-only")
  bot:kill(15)
  t.is(bot:wait(30), 0, "SIGTERM in ERROR: the bot exits 0")
end, { scenario = still_world(), scale = SCALE, venues = { "lighter", "pacifica" }, config = {
  symbols_to_monitor = { "ETH" }, hold_duration_hours = 48, check_interval_seconds = 1800,
  liquidation_check_grace_period_seconds = 60, error_retry_minutes = 1440 } })

-- 3. funding inversion on a held AVAX hedge (Pacifica and edgeX)
run("funding_inversion", function(w)
  local bot = w:spawn_bot { "--max-cycles", "1" }
  w:wait_log("OPENING %-> HOLDING", 30)
  local by_symbol = w:exposure()
  local legs = {}
  for _, leg in ipairs(by_symbol.AVAX or {}) do legs[#legs + 1] = leg.venue .. (leg.size:sign() > 0 and " long" or " short") end
  table.sort(legs)
  t.is(table.concat(legs, ", "), "edgex short, pacifica long", "AVAX long Pacifica (-0.00001/h) / short edgeX (0.00016 per 4 h)")
  -- The spread turns around: Pacifica 0.00006/h, edgeX 0.000032 per 4 h (0.000008/h).
  w.sim:call("POST", "/funding", { venue = "pacifica", symbol = "AVAX", next_rate = "0.00006" })
  w.sim:call("POST", "/funding", { venue = "edgex", symbol = "AVAX", next_rate = "0.000032" })
  t.is(bot:wait(60), 0, "the bot closed the cycle and exited (--max-cycles 1)")
  local why = w:find_log("^  funding spread inverted")
  t.like(why and why.msg, "funding spread inverted to %-%d+%.%d+%% APR %(exit below %-10%.00%%%)", "the exit says the spread inverted and the threshold")
  local j = assert(w:journal())
  local c = j.cycles[1] or {}
  t.is(c.close_reason, "funding_inversion", "the cycle is recorded as a funding-inversion exit")
  t.cmp((c.closed_at_ms or 0) - (c.opened_at_ms or 0), "<", 96 * 3600000, "closed before the 96 h hold was over")
  local text = positions_text(w)
  t.is(text, "flat", "both legs closed")
end, { scenario = still_world(), scale = SCALE, venues = { "edgex", "pacifica" }, config = {
  symbols_to_monitor = { "AVAX" }, hold_duration_hours = 96, check_interval_seconds = 1800 } })

t.done()
