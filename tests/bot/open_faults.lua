-- Opening a hedge when a venue misbehaves (issue 8): ./hedge scripts/strategy.lua against the
-- simulator (ETH on Lighter and Pacifica only, so there is one candidate).
--   1./2. one leg rejected (Pacifica, then Lighter) -> the leg that filled is unwound reduce-only,
--      nothing is left open, the failure is journalled with why;
--   3./4. the answer to one leg never comes, but the venue took the order (Pacifica, then
--      Lighter) -> the outcome is resolved by client id before anything else: the hedge is
--      held with one order per leg, never a second one, and the intent says how it was resolved.
package.path = "tests/lua/?.lua;" .. package.path
local t = require "lib.tap"
local World = require "lib.bot_world"

local SCALE = 14400
local OPPOSITE = { lighter = "pacifica", pacifica = "lighter" }

local function still_world()
  local scenario = World.scenario()
  for _, v in pairs(scenario.venues) do
    for _, m in ipairs(v.markets) do m.funding.path = nil end
  end
  return scenario
end

local function start()
  return World.start { scenario = still_world(), scale = SCALE, venues = { "lighter", "pacifica" }, config = {
    symbols_to_monitor = { "ETH" }, hold_duration_hours = 48, check_interval_seconds = 1800,
    wait_between_cycles_minutes = 1440 } }
end

local function run(name, fn)
  local w = start()
  local ok, err = pcall(fn, w)
  if not ok then t.ok(false, name .. ": the test ran to the end: " .. tostring(err)) end
  if not ok or t.failed > 0 then t.diag("kept the bot's files in " .. w:keep(name)) end
  w:stop()
end

local function intents_of(j, venue, purpose)
  local out = {}
  for _, i in ipairs(j.intents) do
    if i.venue == venue and i.purpose == purpose then out[#out + 1] = i end
  end
  return out
end

-- 1./2. one leg rejected
for _, bad in ipairs { "pacifica", "lighter" } do
  local good = OPPOSITE[bad]
  run("rejected_" .. bad, function(w)
    w.sim:fault { venue = bad, match = { kind = "http", op = "create_order" },
      action = { type = "reject", error = "insufficient_funds" }, count = 1 }
    local bot = w:spawn_bot()
    local rec = w:wait_log("could not open ETH", 30)
    t.like(rec.msg, bad .. ": .*[Ii]nsufficient", bad .. " refused its leg: the bot says which venue and why")
    w:wait_log("%-> WAITING", 30, rec.index)
    local _, text, pos = w:exposure()
    t.is(text, "flat", "nothing left open on either venue after the " .. bad .. " refusal")
    t.is(#pos.orders.lighter + #pos.orders.pacifica, 0, "no order left resting")
    local j = assert(w:journal())
    local open_good, unwind = intents_of(j, good, "open"), intents_of(j, good, "unwind")
    local open_bad = intents_of(j, bad, "open")
    t.is(open_bad[1] and open_bad[1].status, "rejected", "the " .. bad .. " intent is recorded as rejected")
    t.is(open_good[1] and open_good[1].status, "filled", "the " .. good .. " leg filled (the venue's order says so)")
    t.is(unwind[1] and unwind[1].status, "filled", "the unwind filled")
    t.is(unwind[1] and unwind[1].filled_size, open_good[1] and open_good[1].filled_size, "for the whole size of the filled leg")
    t.is(#unwind, 1, "one unwind order on " .. good)
    t.ok(unwind[1] and unwind[1].reduce_only, "the unwind is reduce-only")
    t.is(unwind[1] and unwind[1].side, open_good[1] and (open_good[1].side == "buy" and "sell" or "buy"), "the unwind trades against the filled leg")
    local failed
    for _, e in ipairs(j.events) do if e.kind == "open_failed" then failed = e end end
    t.ok(failed and failed.data and failed.data.unwound == true, "open_failed journalled with unwound = true")
    t.is(#j.open_intents, 0, "every intent resolved")
    t.is(#w:order_requests(bad), 1, "one order reached " .. bad .. " (refused), nothing retried blindly")
    bot:kill(15)
    t.is(bot:wait(30), 0, "SIGTERM: the bot exits 0")
  end)
end

-- 3./4. outcome unknown: the venue takes the order and the answer never arrives
for _, slow in ipairs { "pacifica", "lighter" } do
  run("unknown_" .. slow, function(w)
    -- The order is processed (it fills), no answer; the connection is cut after 300 ms.
    w.sim:fault { venue = slow, match = { kind = "http", op = "create_order" },
      action = { type = "timeout_after_accept", hang_ms = 300 }, count = 1 }
    local bot = w:spawn_bot()
    w:wait_log("OPENING %-> HOLDING", 30)
    local by_symbol = w:exposure()
    local legs = by_symbol.ETH or {}
    t.is(#legs, 2, "ETH hedged on both venues despite the lost answer from " .. slow)
    if #legs == 2 then
      t.is(legs[1].size:abs(), legs[2].size:abs(), "the legs are the same size")
      t.is(legs[1].size + legs[2].size, legs[1].size - legs[1].size, "and opposite: not doubled on " .. slow)
    end
    local j = assert(w:journal())
    local open = intents_of(j, slow, "open")
    t.is(#open, 1, "one open intent on " .. slow)
    local intent = open[1] or {}
    t.is(intent.status, "resolved", "the unknown outcome was resolved")
    t.like(intent.resolution, "^found by client id", "by client id")
    t.is(#w:order_requests_for(slow, intent.client_id or "?"), 1, "the venue received that order once: no duplicate")
    t.is(#w:order_requests(slow), 1, "and no other order on " .. slow)
    t.is(#j.open_intents, 0, "no intent left open")
    bot:kill(15)
    t.is(bot:wait(30), 0, "SIGTERM: the bot exits 0 leaving the hedge")
  end)
end

t.done()
