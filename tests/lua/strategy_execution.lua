-- Opening and closing hedges on fake venues: concurrency, journal-before-send, unknown
-- outcomes, a rejected leg unwound, a partial fill trimmed, reduce-only closes.
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local Journal = require "lib.memory_journal"
local execution = require "bot.execution"

hedge.log.set_level("off")

local function setup()
  local a = Fake.new { name = "alpha", fee = "0.0004", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.01", spread = "0.02" } } }
  local b = Fake.new { name = "beta", fee = "0", balance = "10000", markets = {
    { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", spread = "0.02" } } }
  local journal = Journal.new()
  local ctx = { venues = { alpha = a, beta = b }, journal = journal, log = hedge.log,
    config = { leverage = 2, slippage_bps = 50, order_style = "market", fill_wait_seconds = 1, reconcile_seconds = 0.5 } }
  return ctx, a, b, journal
end

local candidate = { symbol = "ETH", long_venue = "beta", short_venue = "alpha" }
local plan = { size = D("0.5"), notional = D("1000") }

-- both legs fill
local ctx, a, b, journal = setup()
local h, err = execution.open(ctx, candidate, plan)
t.ok(h ~= nil, "hedge opened: " .. tostring(err))
t.is(tostring(h.long_size), "0.5", "long leg size from the venue's position")
t.is(tostring(h.short_size), "0.5", "short leg size from the venue's position")
t.is(tostring(h.long_entry), "2000.01", "long entry price from the venue")
t.is(a.leverage.ETH, 2, "leverage set on the short venue before opening")
t.is(b.leverage.ETH, 2, "leverage set on the long venue before opening")
t.is(#journal.intents, 2, "two intents journalled")
t.is(journal.intents[1].purpose .. "/" .. journal.intents[1].side, "open/buy", "first intent: open buy")
t.is(journal.intents[1].history[1], "pending", "intents start pending (written before sending)")
t.is(table.concat(journal.intents[2].history, ","), "pending,sent,filled", "then sent, then filled once the venue's order says so")
t.is(journal.intents[2].filled_size, "0.5", "with the size the venue filled")
local pa, pb
for _, c in ipairs(a.calls) do if c.op == "place" then pa = c.at_us end end
for _, c in ipairs(b.calls) do if c.op == "place" then pb = c.at_us end end
t.cmp(math.abs(pa - pb), "<", 5000, ("both legs sent within 5 ms (%d us apart)"):format(math.abs(pa - pb)))

-- closing
local closed, cerr = execution.close(ctx, h, "test")
t.ok(closed ~= nil, "closed: " .. tostring(cerr))
t.is(next(a.positions_by), nil, "alpha flat")
t.is(next(b.positions_by), nil, "beta flat")
local close_intents = 0
for _, i in ipairs(journal.intents) do
  if i.purpose == "close" then
    close_intents = close_intents + 1
    t.is(i.reduce_only, true, "close intent on " .. i.venue .. " is reduce-only")
  end
end
t.is(close_intents, 2, "both legs closed with their own intents")

-- a naked leg (recovery closes it as a hedge with the same venue on both sides): one order
ctx, a, b, journal = setup()
assert(a:place { symbol = "ETH", side = "buy", size = D("0.3"), type = "market", slippage_bps = 50, client_id = "naked-1" })
local places_before = 0
for _, c in ipairs(a.calls) do if c.op == "place" then places_before = places_before + 1 end end
closed, cerr = execution.close(ctx, { symbol = "ETH", long_venue = "alpha", short_venue = "alpha" }, "naked leg")
t.ok(closed ~= nil, "naked leg closed: " .. tostring(cerr))
t.is(next(a.positions_by), nil, "alpha flat")
local places_after = 0
for _, c in ipairs(a.calls) do if c.op == "place" then places_after = places_after + 1 end end
t.is(places_after - places_before, 1, "one close order for the one leg, not one per side of the pair")
t.is(#journal.intents, 1, "one close intent journalled")

-- one leg rejected: the other is unwound
ctx, a, b, journal = setup()
a:fault("place", { kind = "insufficient_funds", msg = "not enough margin", outcome = "rejected" })
local none, oerr = execution.open(ctx, candidate, plan)
t.is(none, nil, "opening fails when one leg is rejected")
t.like(oerr and oerr.msg, "alpha: .*not enough margin", "the error names the venue and the reason")
t.is(next(b.positions_by), nil, "the filled leg was unwound: nothing left open")
local unwind
for _, i in ipairs(journal.intents) do if i.purpose == "unwind" then unwind = i end end
t.ok(unwind and unwind.reduce_only == true and unwind.venue == "beta", "the unwind is journalled, reduce-only, on beta")
t.like(journal:kinds(), "open_failed", "the failure is recorded as an event")

-- unknown outcome: the order went through; it is found by client id, not sent twice
ctx, a, b, journal = setup()
a:fault("place", { executes = true, kind = "timeout", outcome = "unknown" })
local h2, uerr = execution.open(ctx, candidate, plan)
t.ok(h2 ~= nil, "an unknown outcome that did execute ends hedged: " .. tostring(uerr))
t.is(a:count("place"), 1, "the order was not sent a second time")
t.ok(a:count("order") >= 1, "it was looked up by client id")
local resolved
for _, i in ipairs(journal.intents) do if i.venue == "alpha" then resolved = i end end
t.is(resolved.status, "resolved", "the unknown intent is resolved")
t.like(resolved.resolution, "found by client id", "by client id")

-- unknown outcome that did not execute: looked up, not found, the other leg unwound
ctx, a, b, journal = setup()
a:fault("place", { kind = "timeout", outcome = "unknown" })
local none3 = execution.open(ctx, candidate, plan)
t.is(none3, nil, "an unknown outcome that never executed fails the open")
t.is(next(b.positions_by), nil, "and the other leg is unwound")
t.is(a:count("place"), 1, "without resending the unknown order")

-- partial fill: the larger leg is trimmed
ctx, a, b, journal = setup()
a:fault("place", { partial = "0.6" })
local h4, perr = execution.open(ctx, candidate, plan)
t.ok(h4 ~= nil, "a partial fill still opens: " .. tostring(perr))
t.is(tostring(h4.long_size), "0.3", "long trimmed to the short leg's fill")
t.is(tostring(h4.short_size), "0.3", "short leg filled 60%")
local trim
for _, i in ipairs(journal.intents) do if i.purpose == "trim" then trim = i end end
t.ok(trim and trim.venue == "beta" and trim.size == "0.2", "a 0.2 trim is journalled on beta")

-- partial fill off the other venue's lot grid: both legs go to a size both steps divide
-- (beta fills 0.295 on its 0.001 step; alpha's step is 0.01: both end at 0.29)
ctx, a, b, journal = setup()
b:fault("place", { partial = "0.59" })
local h7, gerr = execution.open(ctx, candidate, plan)
t.ok(h7 ~= nil, "a partial fill off the other's lot grid still opens: " .. tostring(gerr))
t.is(h7 and tostring(h7.long_size), "0.29", "the long leg (beta, filled 0.295) is trimmed to 0.29")
t.is(h7 and tostring(h7.short_size), "0.29", "the short leg (alpha, filled 0.5) is trimmed to 0.29 too")
local trims7 = {}
for _, i in ipairs(journal.intents) do if i.purpose == "trim" then trims7[i.venue] = i.size end end
t.is(trims7.alpha, "0.21", "a 0.21 trim is journalled on alpha")
t.is(trims7.beta, "0.005", "and a 0.005 trim on beta")

-- fills that share no whole lot of both venues: both unwound, the open fails and says why
ctx, a, b, journal = setup()
b:fault("place", { partial = "0.01" })
local none7, zerr = execution.open(ctx, candidate, plan)
t.is(none7, nil, "fills below one common lot do not open")
t.like(zerr and zerr.msg, "share no whole lot of both venues", "and the error says why")
t.ok(next(a.positions_by) == nil and next(b.positions_by) == nil, "both legs are flat again")

-- an existing position blocks a new open
ctx, a, b, journal = setup()
b:place { symbol = "ETH", side = "buy", size = D("1"), type = "market" }
local none5, eerr = execution.open(ctx, candidate, plan)
t.is(none5, nil, "no open on top of an existing position")
t.like(eerr and eerr.msg, "beta already holds 1 ETH", "and the error says where")

-- leverage failure aborts before any order
ctx, a, b, journal = setup()
b:fault("set_leverage", { kind = "invalid_order", msg = "leverage too high" })
local none6, lerr = execution.open(ctx, candidate, plan)
t.is(none6, nil, "a leverage failure aborts the open")
t.is(a:count("place") + b:count("place"), 0, "before any order is sent")
t.like(tostring(lerr), "leverage too high", "with the venue's reason")

t.done()
