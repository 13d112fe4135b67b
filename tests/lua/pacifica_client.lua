-- venues.pacifica against the simulator: the exact requests a unified call sends (rounding with
-- its direction, decimal text, sides, time-in-force, slippage, client ids, reduce-only, cancel
-- forms, leverage and margin mode), the live account and prices streams, read-only clients and
-- key errors. The capability matrix is tests/conformance/pacifica.lua.
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local simlib = require "lib.sim"
local P = require "venues.pacifica"

local keys = simlib.keys()
-- Reconnects are provoked on purpose here; their info lines would only clutter the TAP run.
require("hedge.log").set_level("pacifica.ws", "warn")
local sim = simlib.start {}
local REST, WS = sim.addr.pacifica.rest, sim.addr.pacifica.ws

-- Every client is closed at the end, even when a check raised, so no stream task keeps the
-- process alive.
local clients = {}
local function client(extra)
  local opts = { rest = REST, ws = WS, account = keys.account.public_key, agent_wallet = keys.agent.public_key,
                 secret_key = keys.agent.secret_key_base58, timeout = 5 }
  for k, v in pairs(extra or {}) do opts[k] = v end
  local c = assert(P.new(opts))
  clients[#clients + 1] = c
  return c
end

-- The last request the simulator received on path, with its body decoded (strings and
-- integers only appear in Pacifica bodies, so cjson reads them exactly).
local function last(path)
  local entries = sim:requests { path = path }
  local e = entries[#entries]
  if e and e.body and e.body ~= "" then e.json = cjson.decode(e.body) end
  return e
end

local function body()
  local v = client { api_key = "Abcd1234_test" }

  -- ---- exact order requests -------------------------------------------------------------------------
  local r = assert(v:place { symbol = "BTC", side = "buy", size = "0.0123456", price = "90000.9", type = "limit", tif = "post_only",
                             client_id = "8B0E1B5E-9A1F-4C1E-8F5E-0A1B2C3D4E5F" })
  local e = last("/api/v1/orders/create")
  t.ok(e.verified and e.verified.ok and e.verified.signer == "agent", "signed by the agent key and verified by the simulator")
  t.is(e.json.amount, "0.01234", "size floored to the 0.00001 lot, sent as decimal text")
  t.is(e.json.price, "90000", "buy price rounded down to the tick")
  t.is(e.json.tif, "ALO", "post_only is ALO")
  t.is(e.json.side, "bid", "buy is bid")
  t.is(e.json.reduce_only, false, "reduce_only always sent")
  t.is(e.json.client_order_id, "8b0e1b5e-9a1f-4c1e-8f5e-0a1b2c3d4e5f", "client id sent lower-case")
  t.ok(e.json.account == keys.account.public_key and e.json.agent_wallet == keys.agent.public_key, "account and agent wallet")
  t.is(e.json.expiry_window, 30000, "expiry window")
  t.is(e.headers["pf-api-key"], "Abcd1234_test", "the API config key header")
  t.ok(r.size == D("0.01234") and r.price == D("90000") and r.client_id == e.json.client_order_id and r.id == tostring(e.order_id),
    "the result carries what was sent and the venue's order id")

  assert(v:place { symbol = "BTC", side = "sell", size = "0.002", price = "110000.1", type = "limit", tif = "gtc" })
  e = last("/api/v1/orders/create")
  t.ok(e.json.price == "110001" and e.json.tif == "GTC" and e.json.side == "ask", "sell price rounded up, GTC, ask")
  assert(v:place { symbol = "ETH", side = "buy", size = "0.05", price = "3000", type = "limit", tif = "ioc" })
  t.is(last("/api/v1/orders/create").json.tif, "IOC", "ioc is IOC")

  assert(v:place { symbol = "BTC", side = "buy", size = D("0.002"), type = "market" })
  e = last("/api/v1/orders/create_market")
  t.ok(e.json.slippage_percent == "0.5" and e.json.amount == "0.002", "market: default 50 bps is \"0.5\" percent; decimal size")
  assert(v:place { symbol = "BTC", side = "sell", size = "0.002", type = "market", slippage_bps = 25, reduce_only = true })
  e = last("/api/v1/orders/create_market")
  t.ok(e.json.slippage_percent == "0.25" and e.json.reduce_only == true and e.json.side == "ask", "25 bps, reduce-only sell")
  assert(v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market", slippage_bps = "12.5" })
  t.is(last("/api/v1/orders/create_market").json.slippage_percent, "0.125", "fractional bps as decimal text")
  assert(v:close_position("BTC"))
  e = last("/api/v1/orders/create_market")
  t.ok(e.json.reduce_only == true and e.json.side == "ask" and e.json.amount == "0.002", "close_position: reduce-only sell of the whole long")

  -- A warm client (markets and a recent mark known) signs and sends at once: no read first, so
  -- two legs started together leave in the same loop turn.
  assert(v:ticker("BTC"))
  sim:clear_requests()
  local warm = assert(v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" })
  local sent = sim:requests { kind = "http" }
  t.ok(#sent == 1 and sent[1].method == "POST", "a warm market order is the only request (" .. #sent .. ")")
  assert(v:close_position("BTC"))
  t.ok(warm.id ~= nil, "and it was accepted")

  -- ---- cancels ------------------------------------------------------------------------------------------
  assert(v:cancel(r.client_id, "BTC"))
  e = last("/api/v1/orders/cancel")
  t.ok(e.json.client_order_id == r.client_id and e.json.order_id == nil, "cancel by client id")
  local open = assert(v:open_orders("BTC"))
  assert(v:cancel(open[1].id, "BTC"))
  e = last("/api/v1/orders/cancel")
  t.ok(e.body:find('"order_id":' .. open[1].id, 1, true) and e.json.client_order_id == nil, "cancel by order id: a JSON integer")
  assert(v:cancel_all())
  e = last("/api/v1/orders/cancel_all")
  t.ok(e.json.all_symbols == true and e.json.exclude_reduce_only == false and e.json.symbol == nil, "cancel_all everywhere")
  assert(v:cancel_all("ETH"))
  e = last("/api/v1/orders/cancel_all")
  t.ok(e.json.all_symbols == false and e.json.symbol == "ETH", "cancel_all for one symbol")

  -- ---- leverage and margin mode -----------------------------------------------------------------------------
  sim:clear_requests()
  assert(v:set_leverage("ETH", 4, "isolated"))
  local margin = last("/api/v1/account/margin")
  t.ok(margin and margin.json.is_isolated == true and margin.json.symbol == "ETH", "margin mode changed to isolated")
  t.ok(last("/api/v1/account/leverage").body:find('"leverage":4', 1, true), "leverage sent as a JSON integer")
  sim:clear_requests()
  assert(v:set_leverage("ETH", 6, "isolated"))
  t.is(last("/api/v1/account/margin"), nil, "the same mode again sends no margin change")
  t.ok(last("/api/v1/account/leverage") ~= nil, "only the leverage")
  assert(v:set_leverage("ETH", 6, "cross"))

  -- ---- read-only, keys and argument errors ---------------------------------------------------------------------------
  local ro = assert(P.new { rest = REST, ws = WS, account = keys.account.public_key, read_only = true })
  clients[#clients + 1] = ro
  t.ok(assert(ro:balance()).equity ~= nil, "a read-only client reads")
  t.is(ro.has.place, false, "and says it cannot place")
  local none, err = ro:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" }
  t.ok(none == nil and err.kind == "auth" and err.outcome == "rejected", "placing from it is an auth error, nothing sent")
  t.raises(function() P.new { rest = REST, ws = WS, read_only = true } end, "read_only needs account", "read-only needs an account")
  t.raises(function() P.new { rest = REST } end, "give network, or both rest and ws", "URLs are required")
  t.raises(function() P.new { network = "moon" } end, "network must be", "unknown network")
  t.raises(function() P.new { rest = REST, ws = WS, secret = "x" } end, "unknown option 'secret'", "unknown option")
  local bad, berr = P.new { rest = REST, ws = WS, secret_key = keys.agent.secret_key_base58:sub(1, 40) }
  t.ok(bad == nil and berr.kind == "auth" and berr.msg:find("secret_key", 1, true), "a malformed key names the field")
  t.ok(not tostring(berr):find(keys.agent.secret_key_base58:sub(1, 12), 1, true), "and never repeats it")
  t.raises(function() v:place { symbol = "BTC", side = "long", size = "1", type = "market" } end, "side must be", "bad side raises")
  t.raises(function() v:place { symbol = "BTC", side = "buy", size = "1", type = "limit" } end, "needs a price", "limit without price raises")
  t.raises(function() v:place { symbol = "BTC", side = "buy", size = "1", type = "market", price = "1" } end, "takes no price", "market with price raises")
  t.raises(function() v:place { symbol = "BTC", side = "buy", size = "1", type = "limit", price = "1", tif = "fok" } end, "tif must be", "unknown tif raises")
  t.raises(function() v:place { symbol = "BTC", side = "buy", size = "1", type = "market", client_id = "abc" } end, "must be a UUID", "bad client id raises")
  none, err = v:place { symbol = "DOGE", side = "buy", size = "1", type = "market" }
  t.ok(none == nil and err.kind == "bad_symbol" and err.outcome == "rejected", "unknown symbol: bad_symbol, rejected")
  none, err = v:place { symbol = "BTC", side = "buy", size = "12,5", type = "market" }
  t.ok(none == nil and err.kind == "invalid_order" and err.msg:find("12,5", 1, true), "unreadable size text is a data error")
  none, err = v:place { symbol = "BTC", side = "buy", size = "0.002", price = "2000000", type = "limit" }
  t.ok(none == nil and err.kind == "invalid_order" and err.msg:find("outside the range", 1, true), "price above the market's range")
  none, err = v:order("00000000-0000-4000-8000-000000000000", "BTC")
  t.ok(none == nil and err.kind == "order_not_found", "order() of an unknown client id")

  -- ---- live streams ----------------------------------------------------------------------------------------
  local acct = assert(v:watch_account())
  t.ok(acct.balance and D.is_decimal(acct.balance.equity), "live account: balance")
  local px = assert(v:watch_prices())
  t.ok(px.tickers.BTC and px.tickers.BTC.mark == D("100000"), "live prices: BTC mark")
  local placed = assert(v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" })
  local ok = acct:wait(function(a) local o = a.orders[placed.client_id]; return o and o.status == "filled" end, 5)
  t.ok(ok, "live account: the order update arrives with status filled")
  ok = acct:wait(function(a) return a.positions.BTC and a.positions.BTC.size == D("0.002") end, 5)
  t.ok(ok, "live account: the position arrives")
  ok = acct:wait(function(a) for _, f in ipairs(a.fills) do if f.client_id == placed.client_id then return true end end end, 5)
  t.ok(ok, "live account: the fill arrives")
  assert(v:close_position("BTC"))
  ok = acct:wait(function(a) return a.positions.BTC == nil end, 5)
  t.ok(ok, "live account: the closed position disappears")
  local subs = sim:requests { kind = "ws_in" }
  local ping_or_sub = 0
  for _, s in ipairs(subs) do if s.text:find('"method":"subscribe"', 1, true) then ping_or_sub = ping_or_sub + 1 end end
  t.is(ping_or_sub, 5, "one subscription per channel (4 account channels and prices)")

  -- ---- funding on a stepped clock --------------------------------------------------------------------------
  local stepped = simlib.default_scenario()
  stepped.clock = { mode = "stepped" }
  sim:load(stepped)
  local fv = client()
  local before = assert(fv:balance()).balance
  local rate = assert(fv:funding_rates { "BTC" }).BTC
  assert(fv:place { symbol = "BTC", side = "buy", size = "0.01", type = "market" })
  local after_fee = assert(fv:balance()).balance
  local settled = sim:advance(3600000)
  local ours = 0
  for _, st in ipairs(settled.settlements) do if st.venue == "pacifica" then ours = ours + 1 end end
  t.is(ours, 3, "one Pacifica settlement per market at the hour")
  local long = assert(fv:positions { "BTC" })[1]
  t.ok(long.funding == D("-0.0125"), "the long paid 0.01 x 100000 x 0.0000125 (" .. tostring(long.funding) .. ")")
  t.ok(assert(fv:balance()).balance == after_fee - D("0.0125"), "and the balance moved by exactly that")
  t.ok(after_fee < before, "after the taker fee")
  local later = assert(fv:funding_rates { "BTC" }).BTC
  t.is(later.next_funding_ms, rate.next_funding_ms + 3600000, "the next funding time moved one hour")

  -- ---- keep-alive: the venue closes connections silent for its idle timeout ---------------------------------
  local world = simlib.default_scenario()
  world.venues.pacifica.options = { idle_timeout_ms = 1000 }
  sim:load(world)
  local pinging = client { ping_interval = 0.3 }
  local quiet = client { ping_interval = 60 }
  local kept = assert(pinging:watch_book("BTC"))
  local dropped = assert(quiet:watch_book("BTC"))
  local t0 = hedge.mono_ms()
  ok = dropped:wait(function(b) return b.generation >= 2 and not b.stale end, 10)
  t.ok(ok, "a client that never pings is closed by the venue and reconnects with its book")
  sim:wait_for(function() return hedge.mono_ms() - t0 > 2500 end, 5, "2.5 s")
  t.is(kept.generation, 1, "a client pinging every 0.3 s keeps its one connection")
  local pings = 0
  for _, s in ipairs(sim:requests { kind = "ws_in" }) do if s.text == '{"method":"ping"}' then pings = pings + 1 end end
  t.cmp(pings, ">=", 5, "it sent JSON pings (" .. pings .. ")")
  local aged = client { ws_max_age = 0.5 }
  local rolled = assert(aged:watch_book("BTC"))
  t.ok(rolled:wait(function(b) return b.generation >= 2 and not b.stale end, 10),
    "a connection older than ws_max_age is rolled over and the book resnapshotted")
end

local ok, err = xpcall(body, debug.traceback)
if not ok then t.ok(false, "the test stopped: " .. tostring(err)) end
for _, c in ipairs(clients) do c:close() end
sim:stop()
t.done()
hedge.exit(0)
