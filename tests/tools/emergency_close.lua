-- scripts/emergency_close.lua against the simulator's three venues, run as an operator would:
-- --dry-run changes nothing (the simulator's ledger and request log prove it); without --force
-- and without a terminal it refuses; with resting orders and edgeX answering 503 to its first
-- two order calls it still flattens every venue and says what happened per venue; it works with
-- a broken state database, with a venue down (closing the others, exit 1), and with --symbol /
-- --venue filters. Every close is reduce-only and journalled.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local W = require "lib.world"

local w = W.start {}

-- Positions on every venue and an order resting on each, far from the market.
local function open_world(s)
  assert(s.venues.pacifica:place { symbol = "ETH", side = "buy", size = D("0.1"), type = "market", slippage_bps = 50 })
  assert(s.venues.lighter:place { symbol = "ETH", side = "sell", size = D("0.1"), type = "market", slippage_bps = 50 })
  assert(s.venues.edgex:place { symbol = "SOL", side = "buy", size = D("1"), type = "market", slippage_bps = 50 })
  assert(s.venues.edgex:place { symbol = "BTC", side = "buy", size = D("0.01"), type = "limit", price = D("90000"), tif = "gtc" })
  assert(s.venues.pacifica:place { symbol = "BTC", side = "sell", size = D("0.01"), type = "limit", price = D("110000"), tif = "gtc" })
  assert(s.venues.lighter:place { symbol = "SOL", side = "buy", size = D("1"), type = "limit", price = D("100"), tif = "gtc" })
  w.sim:wait_for(function() return #w:open_orders("lighter") == 1 and next(w:positions("edgex")) ~= nil end, 10, "the world to be open")
end

local function ledger()
  local out = {}
  for _, v in ipairs { "edgex", "lighter", "pacifica" } do
    out[#out + 1] = v .. " " .. cjson.encode(w:positions(v)) .. " orders " .. #w:open_orders(v)
  end
  return table.concat(out, "; ")
end

local function posts_since(seq)
  local n = 0
  for _, e in ipairs(w.sim:requests { kind = "http", method = "POST", since = seq }) do
    n = n + 1
  end
  return n
end

local function last_seq() return w.sim:call("GET", "/requests?limit=1").last_seq or 0 end

local s = w:session()
open_world(s)
local before = ledger()

-- 1. dry run
local seq = last_seq()
local out, status = w:run("scripts/emergency_close.lua", { "--dry-run" })
t.is(status, 0, "--dry-run exits 0 when every venue could be read")
t.like(out, "positions %(3%)", "it lists the three positions")
t.like(out, "edgex%s+SOL%s+LONG%s+1 ", "edgex SOL long 1")
t.like(out, "lighter%s+ETH%s+SHORT%s+0%.1 ", "lighter ETH short 0.1")
t.like(out, "pacifica%s+ETH%s+LONG%s+0%.1 ", "pacifica ETH long 0.1")
t.like(out, "open orders %(3%)", "and the three resting orders")
t.like(out, "dry run: nothing was sent", "and says nothing was sent")
t.is(ledger(), before, "the simulator's ledger is unchanged")
t.is(posts_since(seq), 0, "no POST reached any venue")

-- 2. no terminal, no --force
seq = last_seq()
out, status = w:run("scripts/emergency_close.lua", {}, { stdin = "y\n" })
t.is(status, 2, "without --force and without a terminal it refuses (exit 2)")
t.like(out, "refusing to close without confirmation: no terminal", "saying why")
t.is(ledger(), before, "nothing changed")
t.is(posts_since(seq), 0, "nothing was sent")

-- 3. --force with edgeX answering 503 to its first two order calls
w.sim:fault { venue = "edgex", match = { kind = "http", method = "POST" }, action = { type = "http_status", status = 503 }, count = 2 }
out, status = w:run("scripts/emergency_close.lua", { "--force" })
if not t.is(status, 0, "--force flattens everything (exit 0) despite the 503s") then t.diag(out) end
t.is(ledger(), "edgex {} orders 0; lighter {} orders 0; pacifica {} orders 0", "every venue is flat with no orders left")
t.like(out, "edgex%s+flat, no open orders\n%s+closed SOL long 1\n%s+cancelled 1 order\n%s+took 2 attempts", "edgex's report: closed, cancelled, second attempt")
t.like(out, "error: cancel %(attempt 1%): edgex cancel_all: unavailable: HTTP 503", "the 503 is reported")
t.like(out, "lighter%s+flat, no open orders\n%s+closed ETH short 0%.1\n%s+cancelled 1 order", "lighter's report")
t.like(out, "pacifica%s+flat, no open orders\n%s+closed ETH long 0%.1\n%s+cancelled 1 order", "pacifica's report")
t.like(out, "RESULT: everything is closed", "and the result")
t.is(#(w.sim:fault_log().applied or {}), 2, "both injected 503s were served")

-- the journal has the record
local store = require "hedge.store"
local db = assert(store.open(w.config.state_db, { read_only = true }))
local kinds, emergency_intents, all_reduce_only = {}, 0, true
for _, e in ipairs(db:event_list()) do kinds[#kinds + 1] = e.kind end
for _, i in ipairs(db:intent_list()) do
  if i.purpose == "emergency" then emergency_intents = emergency_intents + 1 end
  if i.reduce_only ~= true and i.reduce_only ~= 1 then all_reduce_only = false end
end
local summary
for _, e in ipairs(db:event_list()) do if e.kind == "emergency_close" then summary = e.data end end
db:close()
t.is(table.concat(kinds, ","), "emergency_close_started,emergency_close", "the journal records the start and the result")
t.ok(emergency_intents >= 3, ("every close was an emergency intent in the journal first (%d)"):format(emergency_intents))
t.ok(all_reduce_only, "all of them reduce-only")
t.is(summary and summary.ok, true, "the recorded result says everything is closed")

-- 4. a broken state database: it closes anyway and says where the record went
open_world(s)
W.write(w.config.state_db, "this is not a SQLite database, it was overwritten by accident\n")
os.remove(w.config.state_db .. "-wal")
os.remove(w.config.state_db .. "-shm")
out, status = w:run("scripts/emergency_close.lua", { "--force" })
t.is(status, 0, "a broken state database does not stop the close")
t.like(out, "the journal cannot be written %(.*%); this close is recorded in the log only", "it says the journal is unusable")
t.is(ledger(), "edgex {} orders 0; lighter {} orders 0; pacifica {} orders 0", "and everything is flat")
t.like(W.read(w.config.log_file) or "", "not journalled", "the record is in the log file instead")
os.remove(w.config.state_db)

-- 5. --symbol and --venue
open_world(s)
out, status = w:run("scripts/emergency_close.lua", { "--force", "--symbol", "eth" })
t.is(status, 0, "--symbol ETH closes ETH")
t.is(cjson.encode(w:positions("pacifica")) .. cjson.encode(w:positions("lighter")), "{}{}", "ETH is flat on both venues")
t.is(cjson.encode(w:positions("edgex")), '{"SOL":"1"}', "SOL on edgex is left alone")
t.is(#w:open_orders("pacifica"), 1, "and the BTC order on pacifica too")
out, status = w:run("scripts/emergency_close.lua", { "--force", "--venue", "edgex" })
t.is(status, 0, "--venue edgex closes edgex")
t.is(ledger(), "edgex {} orders 0; lighter {} orders 1; pacifica {} orders 1", "only edgex was touched")
out, status = w:run("scripts/emergency_close.lua", { "--force", "--venue", "binance" })
t.is(status, 2, "an unknown venue is a usage error")
t.like(out, "%-%-venue binance is not configured", "naming it")
w:run("scripts/emergency_close.lua", { "--force" })

-- 6. one venue down: the others are closed, the report says what could not be, exit 1
open_world(s)
w:write_config { venues = {
  pacifica = w.config.venues.pacifica, lighter = w.config.venues.lighter,
  edgex = { environment = "sim", rest_url = "http://127.0.0.1:9", ws_url = "ws://127.0.0.1:9", api_version = "v2" },
} }
out, status = w:run("scripts/emergency_close.lua", { "--force", "--attempts", "2" })
t.is(status, 1, "with edgex unreachable the close exits 1")
t.like(out, "UNREADABLE edgex", "the listing says edgex could not be read")
t.like(out, "edgex%s+NOT CLOSED: could not read this venue", "the report says it was not closed")
t.like(out, "RESULT: something is still open or unknown", "and the result says so")
t.is(cjson.encode(w:positions("pacifica")) .. cjson.encode(w:positions("lighter")) .. #w:open_orders("pacifica") .. #w:open_orders("lighter"),
  "{}{}00", "the venues that answered are flat")
t.is(cjson.encode(w:positions("edgex")), '{"SOL":"1"}', "edgex's position is still there (the simulator never heard from us)")

-- 7. bad options
out, status = w:run("scripts/emergency_close.lua", { "--dryrun" })
t.is(status, 2, "a mistyped option is refused (exit 2), never ignored")
t.like(out, "unknown option %-%-dryrun", "naming it")

s.venues.edgex:cancel_all()
w:stop()
t.done()
