-- venues.edgex WebSocket streams against the simulator, v2 and v1: the depth book (snapshot,
-- absolute-size increments, a swallowed message found by its version gap and resnapshotted, a
-- dropped connection resubscribed), the JSON ping/pong keep-alive the venue enforces, tickers and
-- funding, and the private account stream (authenticated upgrade, Snapshot baseline, order
-- updates, a fresh signature on every reconnect).
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local simlib = require "lib.sim"
local W = require "lib.edgex_world"

local keys = W.keys()
-- Reconnects and start-ups are provoked on purpose here; their info lines would only clutter the TAP run.
for _, module in ipairs { "edgex", "edgex.ws", "edgex.private.ws" } do require("hedge.log").set_level(module, "warn") end
-- The venue pings every 200 ms and closes after 2 unanswered pings: a client that does not
-- answer loses its connection within half a second.
local fast_ping = { ws_ping_interval_ms = 200, ws_ping_max_missed = 2 }
-- Liquidity taken by a trade stays taken (no refill), so every book change is one we made.
local sim = simlib.start { scenario = W.scenario { v2_options = fast_ping, v1_options = fast_ping, refill_ms = 3600000 } }

local function run(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then t.ok(false, name .. " raised: " .. tostring(err)) end
end

-- Same prices and sizes, level for level (the first n levels, or all when the book is shorter).
local function same_levels(a, b, n)
  if math.min(#a, n) ~= math.min(#b, n) or #a == 0 then return false end
  for i = 1, math.min(#a, n) do
    if not (a[i].price == b[i].price and a[i].size == b[i].size) then return false end
  end
  return true
end

for _, version in ipairs { "v2", "v1" } do
  local venue = W.venue(version)
  local contract = version == "v2" and "30000001" or "10000001"

  run(version .. " depth", function()
    local v = assert(W.client(sim, version))
    local book = assert(v:watch_book("BTC"))
    local rest = assert(v:order_book("BTC"))
    t.ok(not book.stale and book.snapshots == 1 and same_levels(book.bids, rest.bids, 10) and same_levels(book.asks, rest.asks, 10),
      version .. " depth: the snapshot equals the REST book")
    local version0 = book.version
    -- the simulator's own flow takes 0.2 BTC from the best ask: one CHANGED with the new size
    sim:call("POST", "/trade", { venue = venue, symbol = "BTC", side = "buy", size = "0.2" })
    assert(book:wait(function(b) return b.version ~= version0 end, 5))
    rest = assert(v:order_book("BTC"))
    t.ok(book.asks[1].price == rest.asks[1].price and book.asks[1].size == rest.asks[1].size and book.asks[1].size == D("0.3"),
      version .. " depth: an increment sets the level's new absolute size (0.5 - 0.2 = 0.3)")
    sim:call("POST", "/trade", { venue = venue, symbol = "BTC", side = "buy", size = "0.3" })
    assert(book:wait(function(b) return b.asks[1].price ~= rest.asks[1].price end, 5))
    t.ok(book.asks[1].price > rest.asks[1].price, version .. " depth: size \"0\" removes the emptied level")

    -- a swallowed increment: the next one's startVersion is not the last endVersion + 1
    sim:fault { venue = venue, match = { kind = "ws_out", channel = ("depth.%s.15"):format(contract) }, action = { type = "ws_gap" }, count = 1 }
    local snaps = book.snapshots
    sim:call("POST", "/trade", { venue = venue, symbol = "BTC", side = "sell", size = "0.1" })
    sim:call("POST", "/trade", { venue = venue, symbol = "BTC", side = "sell", size = "0.1" })
    local ok = book:wait(function(b) return b.gaps >= 1 and b.snapshots > snaps and not b.stale end, 5)
    t.ok(ok, version .. " depth: the version gap was noticed and a fresh snapshot requested (gaps " .. book.gaps .. ")")
    local settled = pcall(sim.wait_for, sim, function()
      rest = assert(v:order_book("BTC"))
      return same_levels(book.bids, rest.bids, 10) and same_levels(book.asks, rest.asks, 10)
    end, 5, "the live book to equal the REST book")
    t.ok(settled, version .. " depth: after the resnapshot the book equals the REST book")

    -- a dropped connection: stale until the snapshot of the new connection
    local gen = book.generation
    sim:drop_ws(venue)
    ok = book:wait(function(b) return b.generation > gen and not b.stale end, 10)
    t.ok(ok and book.resnapshots >= 1, version .. " depth: reconnected, resubscribed, fresh snapshot")
    v:close()
  end)

  run(version .. " keep-alive", function()
    local v = assert(W.client(sim, version))
    local book = assert(v:watch_book("ETH"))
    local gen = book.generation
    sim:clear_requests()
    hedge.sleep(1.2)
    local pongs = 0
    for _, e in ipairs(sim:requests { venue = venue, kind = "ws_in" }) do
      if e.op == "pong" then pongs = pongs + 1 end
    end
    t.ok(pongs >= 3, version .. " keep-alive: the venue's pings were answered with pongs (" .. pongs .. ")")
    t.ok(book.generation == gen and not book.stale, version .. " keep-alive: the connection outlived many pings (a silent client is closed after 2)")
    v:close()
  end)

  run(version .. " prices", function()
    local v = assert(W.client(sim, version))
    local px = assert(v:watch_prices())
    assert(px:wait(function(p) return p.tickers.BTC and p.tickers.SOL end, 5))
    t.ok(px.tickers.BTC.mark == D("100000") and px.tickers.SOL.mark == D("150"), version .. " prices: tickers of every contract with their oracle price")
    if version == "v2" then
      assert(px:wait(function(p) return p.funding.SOL end, 5))
      t.ok(px.funding.SOL.rate == 0.00002 and px.funding.SOL.interval_ms == 3600000, "v2 prices: funding stream with the contract's own interval")
    end
    v:close()
  end)

  run(version .. " account", function()
    local v = assert(W.client(sim, version))
    local acct = assert(v:watch_account())
    t.ok(acct.snapshots == 1 and next(acct.positions) == nil, version .. " account: the Snapshot baseline, flat")
    local r = assert(v:place { symbol = "ETH", side = "buy", size = "0.5", type = "market" })
    local ok = acct:wait(function(a) return a.positions.ETH and a.orders[r.client_id] and a.orders[r.client_id].status == "filled" end, 5)
    t.ok(ok, version .. " account: ORDER_UPDATE brings the order (filled) and the position")
    t.ok(ok and acct.positions.ETH.side == "long" and acct.positions.ETH.size == D("0.5"), version .. " account: long 0.5 ETH")
    ok = acct:wait(function(a) return a.balance and #a.fills > 0 end, 5)
    t.ok(ok and acct.balance.equity ~= nil and acct.fills[#acct.fills].size == D("0.5"), version .. " account: fills and the balance read after the event")
    local opens = 0
    local path = "/api/v1/private/ws?"
    local function private(e) return e.path:sub(1, #path) == path end
    for _, e in ipairs(sim:requests { venue = venue, kind = "ws_open" }) do if private(e) then opens = opens + 1 end end
    sim:drop_ws(venue)
    local went_stale = acct:wait(function(a) return a.stale end, 10)
    ok = acct:wait(function(a) return a.snapshots >= 2 and not a.stale end, 10)
    t.ok(went_stale, version .. " account: stale from the drop until the new Snapshot")
    local verified = 0
    for _, e in ipairs(sim:requests { venue = venue, kind = "ws_open" }) do
      if private(e) and e.verified and e.verified.ok then verified = verified + 1 end
    end
    t.ok(ok and verified >= opens + 1, version .. " account: reconnected with a fresh signature and a new Snapshot (" .. verified .. " authenticated upgrades)")
    t.ok(acct.positions.ETH and acct.positions.ETH.size == D("0.5"), version .. " account: the new baseline still has the position")
    assert(v:close_position("ETH"))
    ok = acct:wait(function(a) return a.positions.ETH == nil end, 5)
    t.ok(ok, version .. " account: the closed position leaves the live account")
    v:close()
  end)
end

t.ok(keys.v2.account.account_id ~= nil, "keys loaded")
sim:stop()
t.done()
