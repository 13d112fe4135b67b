-- venues.base: the HTTP-to-error mapping against the test server (transport failures, 429 with
-- Retry-After, 5xx, refusals; outcomes of order calls), the unknown-outcome rule with a fake
-- client, and the value helpers.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local t = require "lib.tap"
local server = require("lib.test_server").start()

-- A client as B.request sees one: a name, limits, and a classifier for error bodies.
local function client(fields)
  local c = { name = "testvenue", timeout = 2, read_retries = 1, max_rate_wait = 5 }
  for k, v in pairs(fields or {}) do c[k] = v end
  function c.classify(_, body, status)
    return { kind = status == 404 and "bad_symbol" or "invalid_order", msg = "venue says: " .. body, code = 7 }
  end
  return c
end

local function stats()
  local res = assert(hedge.http.get(server.http .. "/stats"))
  return tonumber(res.body:match('"requests":(%d+)'))
end
local function reset_stats() assert(hedge.http.post(server.http .. "/stats/reset", "")) end

-- ---- success and refusals -------------------------------------------------------------------------
local c = client()
local res = B.request(c, { op = "probe", method = "GET", url = server.http .. "/delay?ms=0" })
t.is(res and res.status, 200, "a 2xx answer is returned as is")

reset_stats()
local none, err = B.request(c, { op = "probe", method = "GET", url = server.http .. "/status?code=400" })
t.is(none, nil, "400: no value")
t.is(err.kind, "invalid_order", "400: the client's classifier decides the kind")
t.is(err.msg, 'venue says: {"code":400}', "400: the classifier's message")
t.ok(err.venue == "testvenue" and err.op == "probe" and err.http_status == 400 and err.code == 7, "venue, op, status and code set")
t.is(err.raw, '{"code":400}', "the raw body is kept")
t.is(err.retryable, false, "a refusal is not retryable")
t.is(err.outcome, nil, "a read has no outcome")
t.is(stats(), 1, "a refusal is not retried")
t.like(tostring(err), "^testvenue probe: invalid_order: venue says", "tostring reads venue op: kind: msg")

local _, oerr = B.request(c, { op = "place", method = "GET", url = server.http .. "/status?code=404", order = true })
t.is(oerr.kind, "bad_symbol", "404 classified by the venue")
t.is(oerr.outcome, "rejected", "an order refused with a 4xx is rejected")

-- ---- 5xx ------------------------------------------------------------------------------------------
reset_stats()
_, err = B.request(c, { op = "probe", method = "GET", url = server.http .. "/status?code=503" })
t.is(err.kind, "unavailable", "503 is unavailable")
t.is(err.retryable, true, "and retryable")
t.is(stats(), 2, "a read is retried (read_retries = 1)")
reset_stats()
_, err = B.request(c, { op = "place", method = "GET", url = server.http .. "/status?code=500", order = true })
t.is(err.kind, "unavailable", "500 on an order is unavailable")
t.is(err.outcome, "unknown", "and its outcome unknown: the venue may have acted")
t.is(stats(), 1, "an order call is never retried")

-- ---- 429 and Retry-After ------------------------------------------------------------------------------
reset_stats()
local rl = client()
local t0 = hedge.mono_ms()
_, err = B.request(rl, { op = "place", method = "GET", url = server.http .. "/status?code=429&retry_after=1", order = true })
t.is(err.kind, "rate_limited", "429 is rate_limited")
t.ok(err.outcome == "rejected" and err.retry_after == 1 and err.retryable, "rejected, retry_after 1, retryable")
t.cmp(hedge.mono_ms() - t0, "<", 500, "an order call returns at once")
t0 = hedge.mono_ms()
res = B.request(rl, { op = "probe", method = "GET", url = server.http .. "/delay?ms=0" })
t.ok(res and res.status == 200, "the next call goes through")
t.cmp(hedge.mono_ms() - t0, ">=", 950, "but only after the pause the venue asked for")
rl.max_rate_wait = 0.5
B.request(rl, { op = "place", method = "GET", url = server.http .. "/status?code=429&retry_after=3", order = true })
reset_stats()
none, err = B.request(rl, { op = "place", method = "GET", url = server.http .. "/delay?ms=0", order = true })
t.is(err and err.kind, "rate_limited", "a pause longer than max_rate_wait is reported, not slept through")
t.is(err and err.outcome, "rejected", "nothing was sent, so the outcome is rejected")
t.is(stats(), 0, "no request left")
rl._cooldown_until_ms = nil
reset_stats()
t0 = hedge.mono_ms()
_, err = B.request(client(), { op = "probe", method = "GET", url = server.http .. "/status?code=429" })
t.is(err.retry_after, 1, "a 429 without Retry-After waits 1 s")
t.is(stats(), 2, "a read refused with 429 is retried once the pause is over")
t.cmp(hedge.mono_ms() - t0, ">=", 950, "after the pause")

t.is(B.retry_after_seconds("7"), 7, "Retry-After delta seconds")
t.is(B.retry_after_seconds(" 1.5 "), 1.5, "fractional seconds")
t.is(B.retry_after_seconds("99999"), 300, "capped at 300 s")
t.is(B.retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480000), 10, "an HTTP date")
t.is(B.retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", 1445412500000), 0, "a date in the past is no pause")
t.is(B.retry_after_seconds("soon"), nil, "garbage is no value")
t.is(B.retry_after_seconds(nil), nil, "absent is no value")

-- ---- transport ----------------------------------------------------------------------------------------
_, err = B.request(client(), { op = "place", method = "POST", url = "http://127.0.0.1:1/", body = "x", order = true })
t.is(err.kind, "network", "closed port: network")
t.is(err.outcome, "rejected", "nothing was sent: rejected")
_, err = B.request(client { timeout = 0.3, read_retries = 0 }, { op = "place", method = "POST", url = server.stall .. "/", body = "x", order = true })
t.is(err.kind, "timeout", "silent server: timeout")
t.is(err.outcome, "unknown", "the request had left: unknown")
_, err = B.request(client(), { op = "place", method = "GET", url = "notascheme://x", order = true })
t.ok(err.kind == "network" and err.outcome == "rejected", "a request that cannot start: network, rejected")
_, err = B.request(client(), { op = "place", method = "GET", url = server.http .. "/drop", order = true })
t.is(err.kind, "network", "dropped connection: network")
t.is(err.outcome, "unknown", "after the request was sent: unknown")

-- ---- the unknown-outcome rule ---------------------------------------------------------------------------
local function fake(script)
  local f = { name = "fake", placed = {}, looked = 0 }
  function f.place(self, o)
    self.placed[#self.placed + 1] = o.client_id
    local step = table.remove(script.place, 1)
    if step == "ok" then return { id = "1", client_id = o.client_id, status = "accepted" } end
    return nil, B.error(self, "place", step.kind, "scripted", { outcome = step.outcome })
  end
  function f.order(self, cid)
    self.looked = self.looked + 1
    if script.found_after and self.looked >= script.found_after then return { id = "9", client_id = cid, status = "filled" } end
    return nil, B.error(self, "order", "order_not_found", "not there")
  end
  return f
end

local f = fake { place = { { kind = "timeout", outcome = "unknown" } }, found_after = 3 }
local r = B.place_safely(f, { symbol = "X" }, { reconcile_timeout = 2 })
t.ok(r and r.reconciled and r.status == "filled", "unknown outcome, then found by client id")
t.is(#f.placed, 1, "so it was not sent again")
t.ok(B.is_uuid(f.placed[1]), "a client id was chosen for it")

f = fake { place = { { kind = "network", outcome = "unknown" }, "ok" } }
r = B.place_safely(f, { symbol = "X", client_id = "8b0e1b5e-9a1f-4c1e-8f5e-0a1b2c3d4e5f" }, { reconcile_timeout = 0.3 })
t.ok(r and r.status == "accepted", "unknown and certainly absent: sent again")
t.ok(#f.placed == 2 and f.placed[1] == f.placed[2], "with the same client id (the venue refuses a duplicate)")
t.cmp(f.looked, ">=", 2, "after looking it up until the deadline")

f = fake { place = { { kind = "insufficient_funds", outcome = "rejected" }, "ok" } }
local none2, ferr = B.place_safely(f, { symbol = "X" })
t.ok(none2 == nil and ferr.kind == "insufficient_funds" and #f.placed == 1, "a refusal is returned, not retried")

f = fake { place = { { kind = "rate_limited", outcome = "rejected" }, "ok" } }
r = B.place_safely(f, { symbol = "X" })
t.ok(r and #f.placed == 2, "a rate-limit refusal is retried")

f = fake { place = {}, found_after = 2 }
local found = B.reconcile(f, "c", "X", { timeout = 2, interval = 0.01 })
t.ok(found and f.looked == 2, "reconcile polls until the order shows up")
f = fake { place = {} }
local nf, nerr = B.reconcile(f, "c", "X", { timeout = 0.1, interval = 0.02 })
t.ok(nf == nil and nerr.kind == "order_not_found", "and reports order_not_found after its deadline")

-- ---- what every place() and close_position() share ----------------------------------------------------
local TIF = { gtc = "G", ioc = "I", post_only = "P" }
local function place_args(o) return function() B.check_place(o, TIF, 1) end end
t.ok(pcall(B.check_place, { symbol = "X", side = "buy", type = "limit", size = "1", price = "2", tif = "post_only" }, TIF),
  "a limit order passes the checks")
t.ok(pcall(B.check_place, { symbol = "X", side = "sell", type = "market", size = "1", slippage_bps = 30 }, TIF),
  "a market order with slippage passes")
t.raises(place_args("x"), "place: expected a table", "not a table")
t.raises(place_args { symbol = "X", side = "buy", type = "limit", size = "1", price = "2", colour = 1 }, "unknown option 'colour'",
  "an unknown option")
t.raises(place_args { side = "buy", type = "limit", size = "1", price = "2" }, "symbol is required", "no symbol")
t.raises(place_args { symbol = "X", side = "long", type = "limit", size = "1", price = "2" }, "side must be", "a bad side")
t.raises(place_args { symbol = "X", side = "buy", type = "stop", size = "1", price = "2" }, "type must be", "a bad type")
t.raises(place_args { symbol = "X", side = "buy", type = "limit", price = "2" }, "size is required", "no size")
t.raises(place_args { symbol = "X", side = "buy", type = "limit", size = "1" }, "a limit order needs a price", "a limit order without price")
t.raises(place_args { symbol = "X", side = "buy", type = "market", size = "1", price = "2" }, "takes no price", "a priced market order")
t.raises(place_args { symbol = "X", side = "buy", type = "limit", size = "1", price = "2", tif = "fok" }, "tif must be", "an unknown tif")
t.raises(place_args { symbol = "X", side = "buy", type = "market", size = "1", tif = "gtc" }, "always ioc", "a gtc market order")
t.raises(place_args { symbol = "X", side = "buy", type = "limit", size = "1", price = "2", slippage_bps = 5 }, "slippage_bps is for market",
  "slippage on a limit order")

local sc = { slippage_bps = 50 }
t.is(tostring(B.slippage_bps(sc, {})), "50", "slippage: the client's default")
t.is(tostring(B.slippage_bps(sc, { slippage_bps = "12.5" })), "12.5", "slippage: the order's own, with a fraction")
local no_slip, slip_err = B.slippage_bps(sc, { slippage_bps = "0" })
t.ok(no_slip == nil and slip_err == "slippage_bps must be positive", "zero slippage is a data error")
no_slip, slip_err = B.slippage_bps(sc, { slippage_bps = "lots" })
t.ok(no_slip == nil and slip_err:match("is not a decimal"), "slippage text that is not a decimal is a data error")
t.raises(function() B.slippage_bps(sc, { slippage_bps = 2.5 }) end, "whole number of bps", "a fractional Lua number raises")

local f01 = D("0.01")
t.is(tostring(B.worst_price(D("100"), f01, "buy", D("0.7"), "book")), "100.8", "buy cap 101 rounded toward the book")
t.is(tostring(B.worst_price(D("100"), f01, "sell", D("0.7"), "book")), "99.4", "sell cap 99 rounded toward the book")
t.is(tostring(B.worst_price(D("100"), f01, "buy", D("0.7"), "away")), "101.5", "buy worst 101 rounded away")
t.is(tostring(B.worst_price(D("100"), f01, "sell", D("0.7"), "away")), "98.7", "sell worst 99 rounded away")

-- close_position on a fake client: the opposite side, reduce-only, capped at the position.
local function closer(position)
  local cl = { name = "fake", placed = {} }
  function cl.positions() return { position } end
  function cl.place(self, o) self.placed[#self.placed + 1] = o; return { id = "1", size = o.size, side = o.side } end
  cl.close_position = B.close_position
  return cl
end
local cl = closer { symbol = "X", side = "long", size = D("2") }
local closed = cl:close_position("X", { size = "5", slippage_bps = 20 })
local sent = cl.placed[1]
t.ok(closed and closed.position.size == D("2") and sent.side == "sell" and sent.reduce_only == true and sent.type == "market",
  "close_position sells a long, reduce-only, as a market order")
t.ok(sent.size == D("2") and sent.slippage_bps == 20, "a size above the position closes the position")
cl = closer { symbol = "X", side = "short", size = D("2") }
cl:close_position("X", { size = "0.5", type = "limit", price = "10" })
t.ok(cl.placed[1].side == "buy" and cl.placed[1].size == D("0.5") and cl.placed[1].price == "10", "a short is bought back, partly")
cl = closer(nil)
t.is(cl:close_position("X").status, "flat", "no position: flat, nothing sent")
t.is(#cl.placed, 0, "nothing was placed")
t.raises(function() cl:close_position(7) end, "symbol must be a string", "close_position: a bad symbol raises")
t.raises(function() cl:close_position("X", { reduce_only = false }) end, "unknown option 'reduce_only'", "it cannot be made to open")

local lc = { name = "fake" }
function lc.market(_, symbol)
  if symbol == "X" then return { symbol = "X", max_leverage = 20 } end
  return nil, B.error(lc, "market", "bad_symbol", "no " .. symbol)
end
local MODES = { cross = true, isolated = true }
t.is(B.leverage_market(lc, "X", 20, "cross", MODES).symbol, "X", "leverage at the maximum: the market")
local no_lev, lev_err = B.leverage_market(lc, "X", 21, nil, MODES)
t.ok(no_lev == nil and lev_err.kind == "invalid_order" and lev_err.msg == "leverage 21 is outside 1..20 for X", "above the maximum: invalid_order")
no_lev, lev_err = B.leverage_market(lc, "Y", 2, nil, MODES)
t.ok(no_lev == nil and lev_err.kind == "bad_symbol" and lev_err.op == "set_leverage", "an unknown market: its error, as set_leverage's")
t.raises(function() B.leverage_market(lc, "X", 2.5, nil, MODES) end, "whole number", "a fractional leverage raises")
t.raises(function() B.leverage_market(lc, "X", 2, "portfolio", MODES) end, "margin_mode must be", "an unknown margin mode raises")

t.ok(next(B.check_payment_window("X", nil)) == nil, "payment window: no options")
t.raises(function() B.check_payment_window(1) end, "funding_payments: symbol must be a string", "payment window: a bad symbol raises")
t.raises(function() B.check_payment_window("X", { since = 1 }) end, "unknown option 'since'", "payment window: an unknown option raises")
local win = { since_ms = 100, until_ms = 200 }
t.ok(not B.in_payment_window(100, win) and B.in_payment_window(101, win) and B.in_payment_window(200, win)
  and not B.in_payment_window(201, win) and B.in_payment_window(5, {}), "payment window: after since_ms, up to until_ms")

-- ---- caches ----------------------------------------------------------------------------------------------
local loads = 0
local mc = { name = "fake", market = B.cached_market }
function mc.markets(self)
  loads = loads + 1
  self._markets = { X = { symbol = "X" }, Y = loads > 1 and { symbol = "Y" } or nil }
  return {}
end
t.is(mc:market("X").symbol, "X", "a market loads the markets once")
t.is(mc:market("X").symbol, "X", "and then comes from the cache")
t.is(loads, 1, "one load for two lookups")
t.is(mc:market("Y").symbol, "Y", "a market missing from the cache loads them again")
local no_m, m_err = mc:market("Z")
t.ok(no_m == nil and m_err.kind == "bad_symbol" and m_err.msg:match('no market "Z" on fake'), "an unknown symbol is bad_symbol")
t.raises(function() mc:market(1) end, "market: symbol must be a string", "a symbol that is not a string raises")

local mk = { name = "fake" }
t.is(B.fresh_mark(mk, "X"), nil, "no mark remembered")
B.remember_mark(mk, "X", D("5"), 60000)
t.ok(B.fresh_mark(mk, "X") == D("5"), "a remembered mark while fresh")
B.remember_mark(mk, "X", D("6"), 0)
t.is(B.fresh_mark(mk, "X"), nil, "a stale mark is not used")

-- ---- values -------------------------------------------------------------------------------------------
t.ok(B.decimal_arg("0.1", "size") == D("0.1"), "decimal text")
local dv = D("2.5")
t.ok(B.decimal_arg(dv, "size") == dv, "hedge.decimal")
local bad, bad_err = B.decimal_arg("12,5", "size")
t.ok(bad == nil and bad_err:match('^size "12,5" is not a decimal'), "bad text is a data error naming the argument")
t.raises(function() B.decimal_arg(0.1, "size") end, "size: a Lua number is not accepted", "a Lua number raises")
t.raises(function() B.decimal_arg({}, "price") end, "price: expected a decimal string", "a table raises")
t.is(tostring(B.size_to_lot(D("0.0123456"), D("0.00001"))), "0.01234", "size floored to the lot")
t.is(tostring(B.price_to_tick(D("100000.9"), D("1"), "buy")), "100000", "buy price rounded down")
t.is(tostring(B.price_to_tick(D("100000.1"), D("1"), "sell")), "100001", "sell price rounded up")
t.is(tostring(B.price_to_tick(D("3456.75"), D("0.5"), "sell")), "3457", "to a non-unit tick")

local seen, all_v4 = {}, true
for _ = 1, 200 do
  local id = B.new_client_id()
  all_v4 = all_v4 and B.is_uuid(id) and id == id:lower() and id:sub(15, 15) == "4" and ("89ab"):find(id:sub(20, 20), 1, true) ~= nil
  seen[id] = true
end
local n = 0
for _ in pairs(seen) do n = n + 1 end
t.ok(all_v4, "client ids are lower-case version-4 UUIDs")
t.is(n, 200, "and unique")
t.is(B.is_uuid("not-a-uuid"), false, "is_uuid refuses other text")

local fr = B.funding(0.0000125, 3600000, 1)
t.ok(math.abs(fr.apr - 0.1095) < 1e-15 and fr.rate_per_hour == 0.0000125, "hourly 0.00125 % is 10.95 % APR")
local f8 = B.funding(0.0001, 8 * 3600000, 1)
t.ok(math.abs(f8.rate_per_hour - 0.0000125) < 1e-18, "an 8-hour rate per hour")
t.is(B.next_boundary_ms(1795241668476, 3600000), 1795244400000, "next whole hour")
t.is(B.next_boundary_ms(1795244400000, 3600000), 1795248000000, "on a boundary: the next one")

local has = B.capabilities { markets = true, place = true }
t.ok(has.markets == true and has.cancel == false, "capabilities default to false")
t.raises(function() return has.teleport end, "no such capability", "asking for an unknown one raises")
t.raises(function() has.markets = false end, "read%-only", "the table is read-only")
t.raises(function() B.capabilities { flying = true } end, "unknown capability", "declaring an unknown one raises")

t.raises(function() B.check_options({ sise = 1 }, { size = "any" }, "place") end, "place: unknown option 'sise'", "unknown option")
t.raises(function() B.check_options({ size = 1 }, { size = "string" }, "place") end, "option 'size' must be a string", "wrong type")
t.ok(next(B.check_options(nil, {}, "x")) == nil, "no options is an empty table")

local e = B.error(client(), "op", "timeout", "slow", { outcome = "unknown" })
t.ok(e.retryable and e.venue == "testvenue" and e.outcome == "unknown", "B.error fills venue, retryable and fields")
t.raises(function() B.error(client(), "op", "oops", "x") end, "unknown error kind", "an unknown kind raises")

-- ---- venues.stream on the test server -------------------------------------------------------------
local stream = require "venues.stream"
local calls, hellos, connects = 0, 0, {}
local s = stream.new {
  name = "teststream", backoff_initial = 0.05,
  url = function()
    calls = calls + 1
    return server.ws .. "/drop?after_ms=50", { ["X-Attempt"] = tostring(calls) }
  end,
  on_message = function(text) if text == "hello" then hellos = hellos + 1 end end,
  on_connect = function(generation) connects[#connects + 1] = generation end,
}
s:start()
local waited = hedge.mono_ms()
while hellos < 3 and hedge.mono_ms() - waited < 5000 do hedge.sleep(0.02) end
s:close()
t.cmp(hellos, ">=", 3, "a dropped stream reconnects again and again")
t.cmp(calls, ">=", 3, "with a url (and headers) computed for every connect")
t.ok(connects[1] == 1 and connects[2] == 2, "on_connect sees the generation grow")
local echoed = {}
local echo = stream.new { url = server.ws .. "/echo", name = "echo", on_message = function(text) echoed[#echoed + 1] = text end }
echo:subscribe("a", "first")
echo:subscribe("b", "second")
echo:subscribe("c", "third")
echo:unsubscribe("b")
t.ok(echo:wait_connected(5), "wait_connected")
t.ok(echo:send("fourth"), "send while connected")
local deadline = hedge.mono_ms() + 2000
while #echoed < 3 and hedge.mono_ms() < deadline do hedge.sleep(0.01) end
t.is(table.concat(echoed, ","), "first,third,fourth", "subscriptions went out first, in order, without the dropped one")
local forgotten
local sub_live = echo:subscribe_live(stream.live { stale = true }, "book:X", "sub-X", "unsub-X", function(l) forgotten = l end)
echo:resubscribe("book:X", "unsub-X", "sub-X")
sub_live:close()
deadline = hedge.mono_ms() + 2000
while #echoed < 7 and hedge.mono_ms() < deadline do hedge.sleep(0.01) end
t.is(table.concat(echoed, ",", 4), "sub-X,unsub-X,sub-X,unsub-X", "subscribe_live, resubscribe and close send their texts in order")
t.ok(forgotten == sub_live and sub_live.closed and sub_live.key == "book:X" and echo.subs["book:X"] == nil,
  "close forgets the live value and its subscription")
echo:close()
local closed_send, cerr = echo:send("x")
t.ok(closed_send == nil and cerr.kind == "network", "send on a closed stream is a network error")
t.raises(function() stream.new { on_message = print } end, "url required", "a stream needs a url")

local lv = stream.live { stale = false }
lv:mark_stale()
lv:mark_stale()
t.ok(lv.stale and lv.updates == 1, "mark_stale marks and wakes once")
local never, aerr = stream.await(client(), "watch_x", lv, function() return false end, 0.05, "X snapshot", { last_error = "boom" })
t.ok(never == nil and aerr.kind == "timeout" and aerr.op == "watch_x", "await: a timeout error of the op")
t.is(aerr.msg, "no X snapshot within 0.05 s; last stream error: boom", "naming what did not come and the stream's last error")
t.ok(stream.await(client(), "watch_x", lv, function(l) return l.stale end, 1, "X") == lv, "await returns the live value once ready")
local sc2 = client()
stream.note_error(sc2, "not JSON", ("x"):rep(5000), { code = 3 })
t.ok(sc2.stream_errors == 1 and sc2.last_stream_error.kind == "bad_response" and #sc2.last_stream_error.raw == 4096
  and sc2.last_stream_error.code == 3, "note_error counts the frame and keeps its start")
local hist = {}
for i = 1, 5 do stream.push_bounded(hist, i, 3) end
t.is(table.concat(hist, ","), "3,4,5", "push_bounded keeps the newest")
local side = {}
stream.apply_levels(side, { { price = "100", size = "1" }, { price = "101.5", size = "2" }, { price = "99", size = "3" } })
stream.apply_levels(side, { { price = "100.0", size = "4" }, { price = "99", size = "0" } })
local bids = stream.sorted_levels(side, true)
t.ok(#bids == 2 and bids[1].price == D("101.5") and bids[2].size == D("4"), "levels by normalised price; size 0 removes")
local asks = stream.sorted_levels(side, false, 1)
t.ok(#asks == 1 and asks[1].price == D("100"), "ascending, cut to the limit")

require("lib.test_server").stop(server)
t.done()
