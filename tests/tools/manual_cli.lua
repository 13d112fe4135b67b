-- scripts/hedge.lua from the shell against the simulator: the funding and capacity reports
-- with the scenario's figures, open (refused without a terminal or --yes, the operator's
-- direction and size, journalled for the bot), the ownership lock while a bot holds the state
-- database, close, leverage, test, and usage errors.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local cjson = require "cjson"
local t = require "lib.tap"
local W = require "lib.world"

local w = W.start {}
local function run(...) return w:run("scripts/hedge.lua", { ... }) end
local function held()
  return cjson.encode(w:positions("edgex")) .. cjson.encode(w:positions("lighter")) .. cjson.encode(w:positions("pacifica"))
end

-- reports
local out, status = run("funding", "ETH")
t.is(status, 0, "funding ETH exits 0")
t.like(out, "\nedgex%s+0%.004000%%%s+4h%s+0%.001000%%%s+8%.76%%", "edgeX: 0.004 % per 4 h is 0.001 % per hour, 8.76 % APR")
t.like(out, "\nlighter%s+%-0%.002000%%%s+1h%s+%-0%.002000%%%s+%-17%.52%%", "Lighter: hourly, -17.52 % APR")
t.like(out, "\npacifica%s+0%.004000%%%s+1h%s+0%.004000%%%s+35%.04%%", "Pacifica: hourly, 35.04 % APR")
t.like(out, "\nlighter / pacifica%s+52%.56%%", "the best pair: long lighter, short pacifica, 52.56 % gross")
out, status = run("funding_all", "--symbols", "ETH,BTC")
t.is(status, 0, "funding_all exits 0")
t.like(out, "\nBTC%s+13%.14%%%s+9%.64%%%s+10%.95%%%s+lighter / edgex%s+3%.50%%", "BTC's row")
t.like(out, "\nETH%s+8%.76%%%s+%-17%.52%%%s+35%.04%%%s+lighter / pacifica%s+52%.56%%", "ETH's row")
out, status = run("capacity")
t.is(status, 0, "capacity exits 0")
t.like(out, "\nlighter%s+25,000%.00%s+25,000%.00%s+3x%s+71,250%.00", "buying power = available x leverage x 0.95")
t.like(out, "\nETH%s+lighter / pacifica%s+3500%.3%s+20%.3553%s+71,249%.66", "the largest ETH hedge, on both steps")

-- open: never without a confirmation
out, status = run("open", "ETH", "--size-quote", "100")
t.is(status, 1, "open without a terminal and without --yes fails")
t.like(out, "not confirmed: no terminal to ask on; add %-%-yes", "saying how to confirm")
t.like(out, "open a hedge on ETH", "after showing the plan")
t.is(held(), "{}{}{}", "nothing was sent")

-- the operator's direction and size
out, status = run("open", "ETH", "--size-base", "0.05", "--long", "pacifica", "--short", "lighter", "--yes")
t.is(status, 0, "open with --yes opens")
t.like(out, "long%s+pacifica.-short%s+lighter", "the plan follows --long/--short")
t.like(out, "opened ETH in %d+ ms: long 0%.05 on pacifica at [%d.]+, short 0%.05 on lighter", "and so do the orders")
t.like(out, "journalled as the current hedge %(owner manual%)", "the hedge is the journal's current one, owner manual")
t.is(w:positions("pacifica").ETH .. "/" .. w:positions("lighter").ETH, "0.05/0.05", "the simulator holds both legs")
local store = require "hedge.store"
local db = assert(store.open(w.config.state_db, { read_only = true }))
local h = db:hedge_get()
t.is(h and (h.symbol .. " " .. h.long_venue .. "/" .. h.short_venue .. " " .. h.long_size .. " " .. tostring(h.details and h.details.owner)),
  "ETH pacifica/lighter 0.05 manual", "the journal's hedge: ETH pacifica/lighter 0.05, owner manual")
db:close()

out, status = run("open", "ETH", "--size-quote", "100", "--yes")
t.is(status, 1, "a second open on ETH is refused")
t.like(out, "the journal already holds a hedge on ETH", "because the journal holds one")

out, status = run("status")
t.is(status, 0, "status exits 0")
t.like(out, "bot: not running", "the bot is not running")
t.like(out, "journal's hedge: ETH long on pacifica, short on lighter %(opened by hand, not yet adopted%)", "the journal's hedge")
t.like(out, "hedge ETH: long 0%.05 on pacifica, short 0%.05 on lighter — hedged", "the pair on the venues")

-- the ownership lock: a running bot holds the state database's lock
local bot_db = assert(store.open(w.config.state_db))   -- exclusive, as the bot opens it
out, status = run("close", "ETH", "--yes")
t.is(status, 1, "close refuses while a bot holds the journal and its hedge is ETH")
t.like(out, "the bot is running %(pid %d+, it holds .-hedge%.db%.lock%) and holds a hedge on ETH", "naming the bot and the hedge")
out, status = run("leverage", "ETH", "5")
t.is(status, 1, "leverage on the bot's symbol refuses too")
out, status = run("open", "SOL", "--size-quote", "100", "--yes")
t.is(status, 1, "and so does opening anything while the bot runs")
t.like(out, "stop the bot first, or use %-%-force", "saying what to do")
out, status = run("status")
t.like(out, "bot: running %(pid %d+%)", "status sees the running bot")
t.is(w:positions("pacifica").ETH .. "/" .. w:positions("lighter").ETH, "0.05/0.05", "nothing was touched")
bot_db:close()

-- close, with the bot gone
out, status = run("close", "ETH", "--yes")
t.is(status, 0, "close exits 0 once the bot is gone")
t.like(out, "RESULT: everything is closed", "reporting every venue")
t.is(held(), "{}{}{}", "both legs are closed")
db = assert(store.open(w.config.state_db, { read_only = true }))
t.is(db:hedge_get(), nil, "the journal's hedge is closed")
t.is(db:state_get().state, "IDLE", "and the journal's state is IDLE")
local closes = 0
for _, i in ipairs(db:intent_list()) do if i.purpose == "close" and i.reduce_only then closes = closes + 1 end end
t.is(closes, 2, "two reduce-only close intents were journalled")
db:close()

out, status = run("leverage", "SOL", "7")
t.is(status, 0, "leverage sets every venue")
t.like(out, "edgex%s+SOL 7x %(cross margin%)\nlighter%s+SOL 7x %(cross margin%)\npacifica%s+SOL 7x %(cross margin%)", "one line per venue")

-- test: the smallest hedge both venues accept, opened and closed
out, status = run("test", "--symbol", "ETH", "--hold", "0.2", "--yes")
t.is(status, 0, "test passes")
t.like(out, "test: open and close the smallest ETH hedge both venues accept — 0%.005 ETH", "the smallest ETH size: Lighter's minimum 0.005 (above $10 and both steps)")
t.like(out, "PASSED: both venues opened and closed the hedge", "and reports it")
t.is(held(), "{}{}{}", "nothing is left open")

-- refusals and usage errors
out, status = run("open", "ETH", "--size-quote", "1000000", "--yes")
t.is(status, 1, "a size the balances cannot carry is refused")
t.like(out, "more than the balances carry %(at most %$71,2%d%d%.%d%d; see capacity%)", "naming the most they carry")
out, status = run("open", "BTC", "--size-base", "0.000001", "--yes")
t.is(status, 1, "less than one step is refused")
t.like(out, "less than one size step", "saying so")
out, status = run("open", "ETH", "--size-quote", "10", "--size-base", "1")
t.is(status, 2, "both sizes at once is a usage error")
out, status = run("open")
t.is(status, 2, "a missing symbol is a usage error")
t.like(out, "open takes 1 argument, found 0", "saying what is missing")
out, status = run("fund")
t.is(status, 2, "an unknown command is a usage error")
out, status = run("close", "ETH", "--size-quote", "5")
t.is(status, 2, "an option the command does not take is refused")
t.like(out, "close does not take %-%-size%-quote", "naming it")
t.is(held(), "{}{}{}", "and none of them sent anything")

w:stop()
t.done()
