-- hedge.store from Lua: every operation, exact decimal text (strings and hedge.decimal values),
-- nil, err for data errors and raises for programmer errors, transactions (commit, rollback on
-- raise and on nil, err, the one-task rule), redaction of free text, the one-bot lock, a
-- read-only reader, a corrupt file, dump() and `hedge scripts/state.lua` printing it as JSON.
local hedge = require "hedge"
local store = require "hedge.store"
local D = require "hedge.decimal"
local log = require "hedge.log"
local cjson = require "cjson"
local t = require "lib.tap"

local base = os.tmpname()
os.remove(base)
local path = base .. ".d/nested/state.db"
local function cleanup() os.execute("rm -rf '" .. base .. ".d'") end

local db, err = store.open(path)
t.ok(db, "open creates the folders and the database")
if not db then t.diag(err); t.done(); return end
t.is(db:schema_version(), store.schema_version, "schema version")

-- state machine
local st = assert(db:state_get())
t.is(st.state, "IDLE", "fresh state IDLE")
t.is(st.cycle, 0, "cycle 0")
t.is(db:state_set { state = "ANALYZING", cycle = 1 }, true, "state_set")
st = db:state_get()
t.is(st.state, "ANALYZING", "state read back")
local ok, e = db:state_set { cycle = 0 }
t.is(ok, nil, "the cycle cannot go back")
t.is(e.kind, "conflict", "... kind conflict")
t.is(e.msg, "state.cycle cannot go back from 1 to 0", "... exact message")
t.is(tostring(e), "store.state_set: conflict: state.cycle cannot go back from 1 to 0", "... readable as text")
ok, e = db:state_set { state = "DANCING" }
t.is(e and e.kind, "invalid", "unknown state is a data error")
t.raises(function() db:state_set { colour = "red" } end, "state has no field 'colour'", "unknown field raises")
t.raises(function() db:state_set { cycle = 1.5 } end, "whole number", "fractional integer raises")
t.raises(function() db:state_set "HOLDING" end, "expected a table", "non-table record raises")

-- intents with exact decimals
local id = assert(db:intent_add {
  venue = "lighter", client_id = 281474976710655, symbol = "ETH", side = "buy", size = D("0.0500"),
  price = "3456.780", reduce_only = false, purpose = "open", cycle = 1, order_type = "limit",
})
local intent = db:intent_get(id)
t.is(intent.size, "0.0500", "a hedge.decimal size is stored at its own scale")
t.is(intent.price, "3456.780", "a decimal string is stored byte for byte")
t.is(intent.client_id, "281474976710655", "a whole-number client id becomes its exact text")
t.is(intent.status, "pending", "new intents are pending")
t.is(intent.reduce_only, false, "booleans come back as booleans")
t.is(type(intent.created_at_ms), "number", "timestamps are numbers (ms)")
local big = assert(db:intent_add {
  venue = "pacifica", client_id = "0b4c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e", symbol = "kBONK", side = "sell",
  size = "12345678901234567890.123456789012345678", reduce_only = true, purpose = "close",
})
t.is(db:intent_get(big).size, "12345678901234567890.123456789012345678", "38 significant digits round-trip")
ok, e = db:intent_add { venue = "lighter", client_id = "x1", symbol = "ETH", side = "buy", size = "1e-3",
                        reduce_only = false, purpose = "open" }
t.is(ok, nil, "exponent notation refused")
t.is(e.msg, 'intent.size: "1e-3" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)',
  "... exact message")
t.raises(function()
  db:intent_add { venue = "lighter", client_id = "x2", symbol = "ETH", side = "buy", size = 0.1, reduce_only = false, purpose = "open" }
end, "a Lua number is not exact", "a Lua number for a decimal raises")
ok, e = db:intent_add { venue = "lighter", client_id = 281474976710655, symbol = "ETH", side = "buy", size = "1",
                        reduce_only = false, purpose = "open" }
t.is(e and e.kind, "conflict", "a client id twice on one venue is a conflict")

t.is(db:intent_update(id, { status = "sent", sent_at_ms = 1700000000000 }), true, "intent_update sent")
local open = db:intent_list_open()
t.is(#open, 2, "two open intents")
t.is(open[1].id, id, "oldest first")
t.is(db:intent_update(id, { status = "filled", filled_size = D("0.0500"), avg_price = "3455.5" }), true, "filled")
ok, e = db:intent_update(id, { status = "pending" })
t.is(e and e.kind, "conflict", "a filled intent cannot be reopened")
ok, e = db:intent_update(id, { side = "sell" })
t.is(e and e.kind, "conflict", "the side of an intent is fixed")
ok, e = db:intent_update(99999, { status = "resolved" })
t.is(e and e.kind, "not_found", "unknown intent id")
t.is(#db:intent_list_open(), 1, "one open intent left")
local found = db:intent_find("lighter", 281474976710655)
t.is(found and found.id, id, "intent_find by a whole-number client id")
ok, e = db:intent_find("edgex", "nope")
t.is(e and e.kind, "not_found", "intent_find of an unknown id is not_found")
t.is(db:intent_update(big, { status = "unknown", resolution = store.null }), true, "store.null clears a field")

-- the current hedge
t.is(db:hedge_get(), nil, "no hedge yet")
local hid = assert(db:hedge_set {
  symbol = "ETH", status = "opening", cycle = 1, long_venue = "lighter", short_venue = "pacifica",
  long_size = "0.05", short_size = "0.05", leverage = "3", stop_loss_percent = "22.56",
  long_client_id = 281474976710655, opened_at_ms = 1700000000000, target_close_ms = 1700028800000,
})
t.is(db:hedge_set { status = "open", long_entry_price = D("3455.5"), short_entry_price = "3456.1",
                    long_equity_before = "10000.25", short_equity_before = "9999.75", funding_interval_ms = 3600000 }, hid,
  "hedge_set merges into the current hedge")
local h = db:hedge_get()
t.is(h.status, "open", "hedge status")
t.is(h.long_entry_price, "3455.5", "entry price")
t.is(h.target_close_ms, 1700028800000, "target close")
t.is(h.adopted, false, "not adopted")
t.is(h.long_equity_before, "10000.25", "equity snapshots kept exactly")
t.is(h.funding_interval_ms, 3600000, "funding interval")
t.ok(db:hedge_set { status = "closing", closing_reason = "stop-loss: lighter leg at -23.1%" }, "closing with a reason")
t.is(db:hedge_get().closing_reason, "stop-loss: lighter leg at -23.1%", "... the reason survives for a restart")
t.ok(db:hedge_set { details = { short_interval_ms = 3600000, market_ids = { lighter = 0 }, entry_gap = D("0.015") } },
  "hedge details (a table) are stored")
h = db:hedge_get()
t.is(h.details.short_interval_ms, 3600000, "details come back as a table")
t.is(h.details.market_ids.lighter, 0, "... nested (Lighter market 0 is a real market)")
t.is(h.details.entry_gap, "0.015", "... decimals as exact text")
ok, e = db:hedge_set { symbol = "BTC" }
t.is(e and e.kind, "conflict", "the symbol of the current hedge is fixed")
t.is(db:hedge_clear("rotated"), true, "hedge_clear")
t.is(db:hedge_get(), nil, "no current hedge after clearing")
t.is(db:hedge_clear("again"), false, "clearing nothing returns false")
local hedges = db:hedge_list()
t.is(#hedges, 1, "the cleared hedge stays in the history")
t.is(hedges[1].status, "closed", "... as closed")
t.is(hedges[1].close_reason, "rotated", "... with its reason")
t.is(hedges[1].details.short_interval_ms, 3600000, "... and its details")

-- fills, funding, cycles, events
t.ok(db:fill_add { intent_id = id, venue = "lighter", symbol = "ETH", side = "buy", size = "0.05", price = "3455.5",
                   fee = "0", trade_id = "t-1", filled_at_ms = 1700000000100 }, "fill_add")
ok, e = db:fill_add { venue = "lighter", symbol = "ETH", side = "buy", size = "0.05", price = "3455.5", trade_id = "t-1" }
t.is(e and e.kind, "conflict", "the same trade twice is refused")
t.ok(db:funding_add { hedge_id = hid, venue = "pacifica", symbol = "ETH", side = "short", amount = "0.0123",
                      rate = "0.0000125", paid_at_ms = 1700003600000 }, "funding_add")
t.ok(db:cycle_add { cycle = 1, hedge_id = hid, symbol = "ETH", long_venue = "lighter", short_venue = "pacifica",
                    close_reason = "hold_elapsed", funding_pnl = "1.50", price_pnl = "-0.20", fees = "0.35" }, "cycle_add")
ok, e = db:cycle_add { cycle = 2, symbol = "ETH", long_venue = "lighter", short_venue = "pacifica",
                       close_reason = "stop_loss", funding_pnl = "1", price_pnl = "1", fees = "0", total_pnl = "3" }
t.is(e and e.msg, "cycle.total_pnl is 3 but funding_pnl + price_pnl - fees = 2", "a total that does not add up")
local cycles = db:cycle_list()
t.is(#cycles, 1, "cycle_list")
t.is(cycles[1].total_pnl, "0.95", "total computed exactly")
t.ok(db:event_add { kind = "open", message = "opened ETH", data = { apr = D("18.25"), legs = { "lighter", "pacifica" } } },
  "event_add with a data table")
t.ok(db:event_add { kind = "alert", level = "warn", message = "spread inverted" }, "event_add with a level")
local events = db:event_list { where = { kind = "open" } }
t.is(#events, 1, "event_list filtered by kind")
t.is(events[1].data.apr, "18.25", "event data comes back as a table with exact decimal text")
t.is(events[1].data.legs[2], "pacifica", "... arrays too")
t.is(#db:event_list { limit = 1, newest_first = true }, 1, "limit")
t.is(db:event_list({ limit = 1, newest_first = true })[1].kind, "alert", "newest first")
t.raises(function() db:event_list { colour = 1 } end, "unknown option 'colour'", "unknown list option raises")

-- secrets never reach the file
local SECRET = "s3cr3t-key-material-0123456789"
log.add_secret(SECRET)
t.ok(db:event_add { kind = "alert", message = "venue said: bad key " .. SECRET, data = { echo = SECRET } }, "event with a secret")
t.ok(db:state_set { last_error = "auth failed for " .. SECRET }, "last_error with a secret")
local last = db:event_list({ limit = 1, newest_first = true })[1]
t.is(last.message, "venue said: bad key [REDACTED]", "the message was redacted before writing")
t.is(last.data.echo, "[REDACTED]", "the data too")
t.is(db:state_get().last_error, "auth failed for [REDACTED]", "and the last error")

-- transactions
local before = #db:event_list()
local r1, r2 = db:transaction(function()
  assert(db:event_add { kind = "open", message = "in a transaction" })
  assert(db:state_set { state = "OPENING" })
  return "done", 7
end)
t.is(r1, "done", "transaction returns fn's results")
t.is(r2, 7, "... all of them")
t.is(#db:event_list(), before + 1, "committed")
t.raises(function()
  db:transaction(function()
    assert(db:event_add { kind = "open", message = "rolled back" })
    error("boom")
  end)
end, "boom", "an error inside a transaction is re-raised")
t.is(#db:event_list(), before + 1, "... and nothing it wrote remains")
local none, why = db:transaction(function()
  assert(db:event_add { kind = "open", message = "rolled back too" })
  return nil, "venue refused"
end)
t.is(none, nil, "fn returning nil, err rolls back")
t.is(why, "venue refused", "... and passes the error on")
t.is(#db:event_list(), before + 1, "... nothing written")
t.is(db.handle:depth(), 0, "no transaction left open")

-- a transaction belongs to its task: another task touching the store meanwhile raises
local other_error
local waiter = hedge.spawn(function()
  local okk, er = pcall(db.state_get, db)
  other_error = not okk and tostring(er) or "no error"
end)
db:transaction(function()
  hedge.sleep(0.02)   -- never do this in real code: it is what the guard is for
end)
waiter:join()
t.like(other_error, "another task has a transaction open", "another task cannot join an open transaction")

-- readers and the lock
local second, lerr = store.open(path)
t.is(second, nil, "a second writer is refused")
t.is(lerr and lerr.kind, "busy", "... kind busy")
t.like(lerr and lerr.msg, "in use by another hedge process", "... said plainly")
local reader = assert(store.open(path, { read_only = true }))
t.is(reader:state_get().state, "OPENING", "a reader sees the writer's commits")
t.raises(function() reader:event_add { kind = "x", message = "y" } end, "read%-only", "a reader cannot write")
reader:close()
t.raises(function() reader:state_get() end, "closed", "a closed store raises")

-- dump
local dump = assert(db:dump())
t.is(dump.state.state, "OPENING", "dump: state")
t.is(dump.hedge, nil, "dump: no current hedge")
t.is(#dump.hedges, 1, "dump: hedge history")
t.is(#dump.intents, 2, "dump: every intent")
t.is(#dump.open_intents, 1, "dump: open intents")
t.is(#dump.fills, 1, "dump: fills")
t.is(#dump.funding, 1, "dump: funding")
t.is(dump.totals.total_pnl, "0.95", "dump: totals")
t.is(#db:dump({ limit = 2 }).events, 2, "dump with a limit keeps the newest rows")
db:close()

-- hedge scripts/state.lua prints the same as JSON
-- Runs hedge with args; its stderr goes nowhere (tests/cli checks the messages).
local function run(args)
  local sh_args = { "-c", 'exec "$0" "$@" 2>/dev/null', arg[-1] }
  for _, a in ipairs(args) do sh_args[#sh_args + 1] = a end
  local p = assert(hedge.process.spawn { cmd = "/bin/sh", args = sh_args })
  local lines = {}
  while true do
    local line = p:read_line(10)
    if not line then break end
    lines[#lines + 1] = line
  end
  local status = p:wait(10)
  return table.concat(lines, "\n"), status
end
local text, status = run { "scripts/state.lua", "--db", path }
t.is(status, 0, "state.lua exits 0")
local parsed, decoded = pcall(cjson.decode, text)
if not parsed then t.diag("state.lua printed no JSON (run the tests from the repository root)"); decoded = { state = {}, intents = { {} }, totals = {} } end
t.is(decoded.state.state, "OPENING", "state.lua: state")
t.is(decoded.intents[1].size, "0.0500", "state.lua: decimals are exact strings")
t.is(decoded.hedge, cjson.null, "state.lua: no hedge is null")
t.is(decoded.totals.total_pnl, "0.95", "state.lua: totals")
t.ok(not text:find(SECRET, 1, true), "state.lua: no secret in the output")
local _, missing_status = run { "scripts/state.lua", "--db", base .. ".d/none.db" }
t.is(missing_status, 2, "state.lua: a missing database exits 2")
local _, usage_status = run { "scripts/state.lua", "--bogus" }
t.is(usage_status, 2, "state.lua: a bad argument exits 2")

-- a corrupt file
local bad_path = base .. ".d/corrupt.db"
local f = assert(io.open(bad_path, "wb"))
f:write(string.rep("not a database ", 100))
f:close()
local bad, berr = store.open(bad_path)
t.is(bad, nil, "a corrupt file is refused")
t.is(berr and berr.kind, "corrupt", "... kind corrupt")
t.like(berr and berr.msg, "corrupt.db' is not a SQLite database or is corrupt", "... naming the path")
local _, corrupt_status = run { "scripts/state.lua", "--db", bad_path }
t.is(corrupt_status, 1, "state.lua: a corrupt database exits 1")

t.raises(function() store.open(42) end, "path must be a string", "open with a bad path type raises")
t.raises(function() store.open(path, { readonly = true }) end, "unknown option 'readonly'", "unknown open option raises")

cleanup()
t.done()
