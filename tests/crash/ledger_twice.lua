-- Regression of the crash campaign (seed 202, kill 9): the bot was killed in CLOSING after it
-- had journalled the cycle's fills and funding payments but before the cycle record; the
-- restart finished the close, booked the venues' records again and died on the store's
-- UNIQUE (venue, trade_id) constraint. bot.ledger.record must book each fill and payment once,
-- and still book what is new.
package.path = "tests/lua/?.lua;" .. package.path
local D = require "hedge.decimal"
local t = require "lib.tap"
local Journal = require "bot.journal"
local ledger = require "bot.ledger"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "'") == 0)
local journal = assert(Journal.open(dir .. "/hedge.db"))

local function fill(id, side, ts)
  return { id = id, symbol = "ETH", side = side, size = D("0.85"), price = D("3500.5"), fee = D("0.1"),
    liquidity = "taker", order_id = "o-" .. id, client_id = "c-" .. id, timestamp = ts }
end
local function payment(id, amount, ts)
  return { id = id, symbol = "ETH", amount = D(amount), rate = D("0.0001"), size = D("-0.85"), side = "short", timestamp = ts }
end

local first = {
  fills = { { venue = "lighter", fill = fill("7", "buy", 1795000000000) }, { venue = "pacifica", fill = fill("7", "sell", 1795000000001) } },
  payments = { { venue = "pacifica", payment = payment("p1", "0.30", 1795003600000) },
               { venue = "edgex", payment = payment(nil, "0.12", 1795003600000) } },
}
ledger.record(journal, first, 3)

-- The restart books the same records, plus the close's own fills and a later payment.
local again = {
  fills = { first.fills[1], first.fills[2], { venue = "lighter", fill = fill("8", "sell", 1795021600000) } },
  payments = { first.payments[1], first.payments[2], { venue = "pacifica", payment = payment("p2", "0.31", 1795007200000) } },
}
local ok, err = pcall(ledger.record, journal, again, 3)
t.ok(ok, "booking a cycle's ledger a second time does not raise: " .. tostring(err))

local fills = assert(journal.db:fill_list())
local keys = {}
for _, f in ipairs(fills) do keys[#keys + 1] = f.venue .. ":" .. f.trade_id end
table.sort(keys)
t.is(table.concat(keys, " "), "lighter:7 lighter:8 pacifica:7", "each fill journalled once, the new one added (same trade id on two venues kept apart)")
local payments = assert(journal.db:funding_list())
local pk = {}
for _, p in ipairs(payments) do pk[#pk + 1] = ("%s:%s:%s"):format(p.venue, tostring(p.payment_id), p.amount) end
table.sort(pk)
t.is(table.concat(pk, " "), "edgex:nil:0.12 pacifica:p1:0.30 pacifica:p2:0.31",
  "each payment journalled once (by id, or by venue, symbol and time without one), the new one added")

journal:close()
os.execute("rm -rf '" .. dir .. "'")
t.done()
