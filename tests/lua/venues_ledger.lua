-- fills_for and funding_payments on the three venue clients, against what the simulator booked
-- (GET /ledger): the fills of the orders asked for with the venue's own fees (nothing else), the
-- funding payments of a market inside a time window, figures equal to the last digit; bad
-- arguments raise, a malformed answer is a bad_response naming what is wrong.
package.path = "tests/bot/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local World = require "lib.bot_world"
local config_lib = require "lib.config"
local env = require "hedge.env"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

-- An hour of simulated time per real second: a few funding settlements while the test waits.
local w = World.start { scale = 3600 }
local ok, err = pcall(function()
  local cfg = assert(config_lib.load(w.config_path))
  local creds = assert(env.credentials(cfg, { file = w.env_path }))
  local venues = assert(require("bot.venues").build(cfg, creds))
  local placed = {}
  for _, v in ipairs(World.VENUES) do
    local c = venues[v]
    -- Two orders of ours and one we will not ask about.
    placed[v] = {
      assert(c:place { symbol = "ETH", side = "buy", size = D("0.1"), type = "limit", tif = "ioc", price = D("3600") }),
      assert(c:place { symbol = "ETH", side = "sell", size = D("0.05"), type = "limit", tif = "ioc", price = D("3400") }),
      other = assert(c:place { symbol = "ETH", side = "sell", size = D("0.02"), type = "limit", tif = "ioc", price = D("3400") }),
    }
  end
  -- Time then stands still, and is stepped over four hours (every venue's ETH interval, edgeX's
  -- being 4 h) so each venue settles at least once whatever the time of day the test runs at:
  -- a real-time wait on a scaled clock crossed edgeX's 4-hour boundary only at some hours.
  w.sim:call("POST", "/clock", { mode = "stepped" })
  w.sim:advance(4 * 3600000 + 60000)
  for _, v in ipairs(World.VENUES) do
    local c = venues[v]
    local orders = { { client_id = placed[v][1].client_id, order_id = placed[v][1].id }, { client_id = placed[v][2].client_id } }
    local fills, ferr = c:fills_for("ETH", orders)
    t.ok(fills ~= nil, v .. ": fills_for answers " .. tostring(ferr))
    fills = fills or {}
    local ledger = w:ledger(v)
    local mine = {}
    for _, tr in ipairs(ledger.trades) do
      if tr.symbol == "ETH" then mine[#mine + 1] = tr end
    end
    t.is(#mine, 3, v .. ": the venue booked three fills")
    t.is(#fills, 2, v .. ": fills_for returns the two asked for, not the third")
    local by_side = {}
    for _, f in ipairs(fills) do by_side[f.side] = f end
    for _, tr in ipairs(mine) do
      if tr.size ~= "0.02" then
        local f = by_side[tr.side] or {}
        t.is(f.size, D(tr.size), ("%s %s: size as booked"):format(v, tr.side))
        t.is(f.price, D(tr.price), ("%s %s: price as booked"):format(v, tr.side))
        t.is(f.fee, D(tr.fee), ("%s %s: fee %s as booked, to the last digit"):format(v, tr.side, tr.fee))
        t.is(f.client_id, tr.side == "buy" and placed[v][1].client_id or placed[v][2].client_id, ("%s %s: with the client id it was asked by"):format(v, tr.side))
        t.ok(type(f.timestamp) == "number" and f.timestamp == tr.at_ms, ("%s %s: timestamp in ms as booked"):format(v, tr.side))
      end
    end

    local pays, perr = c:funding_payments("ETH")
    t.ok(pays ~= nil, v .. ": funding_payments answers " .. tostring(perr))
    pays = pays or {}
    local booked = {}
    for _, p in ipairs(ledger.funding) do if p.symbol == "ETH" then booked[#booked + 1] = p end end
    t.cmp(#booked, ">=", 1, v .. ": at least one settlement was paid while the test waited")
    t.is(#pays, #booked, v .. ": every payment listed")
    local sum_pays, sum_booked = D("0"), D("0")
    for _, p in ipairs(pays) do sum_pays = sum_pays + p.amount end
    for _, p in ipairs(booked) do sum_booked = sum_booked + D(p.payout) end
    t.is(sum_pays, sum_booked, ("%s: amounts as booked, sign included (%s)"):format(v, tostring(sum_booked)))
    local last = booked[#booked]
    local window = c:funding_payments("ETH", { since_ms = last.at_ms - 1, until_ms = last.at_ms })
    t.is(window and #window, 1, v .. ": since_ms (exclusive) and until_ms (inclusive) bound the window")
    window = c:funding_payments("ETH", { since_ms = last.at_ms, until_ms = last.at_ms })
    t.is(window and #window, 0, v .. ": a payment at since_ms itself is left out")

    t.raises(function() c:fills_for("ETH", { {} }) end, "orders%[1%]", v .. ": an order entry without ids raises")
    t.raises(function() c:funding_payments("ETH", { since = 1 }) end, "since", v .. ": an unknown option raises")
  end

  -- A malformed answer is a bad_response naming what is wrong, never a crash.
  w.sim:fault { venue = "lighter", match = { kind = "http", path = "/api/v1/positionFunding" },
    action = { type = "bad_payload", mode = "missing", field = "position_fundings.0.change" }, count = 1 }
  local none, berr = venues.lighter:funding_payments("ETH")
  t.is(none, nil, "lighter: a payment without its change is refused")
  t.is(berr and berr.kind, "bad_response", "as a bad_response")
  t.like(berr and berr.msg, "position_fundings%[1%]", "naming the record")
  w.sim:fault { venue = "pacifica", match = { kind = "http", path = "/api/v1/funding/history" },
    action = { type = "bad_payload", mode = "wrong_type", field = "data.0.payout" }, count = 1 }
  none, berr = venues.pacifica:funding_payments("ETH")
  t.is(berr and berr.kind, "bad_response", "pacifica: a payout that is not a decimal string is a bad_response")
  w.sim:fault { venue = "edgex", match = { kind = "http", op = "getPositionTransactionPage" },
    action = { type = "bad_payload", mode = "missing", field = "data.dataList" }, count = 1 }
  none, berr = venues.edgex:funding_payments("ETH")
  t.is(berr and berr.kind, "bad_response", "edgex: an answer without its list is a bad_response")
  for _, c in pairs(venues) do if c.close then c:close() end end
end)
if not ok then t.ok(false, "the test ran to the end: " .. tostring(err)) end
w:stop()
t.done()
