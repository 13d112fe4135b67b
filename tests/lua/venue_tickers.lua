-- Bulk tickers (client:tickers) of the three clients against the simulator: the all-markets
-- stream stands in for REST while it is fresh, a stream gone stale (dropped, or silent past
-- ticker_max_age) falls back to the venue's bulk REST read, and Pacifica's funding_rates and
-- tickers of one round share one /info/prices request.
local hedge = require "hedge"
local cjson = require "cjson"
local t = require "lib.tap"
local simlib = require "lib.sim"
local P = require "venues.pacifica"
local L = require "venues.lighter"
local E = require "venues.edgex"

hedge.log.set_level("off")

local f = assert(io.open("tests/sim/scenarios/demo.json", "rb"))
local scenario = cjson.decode(f:read("*a"))
f:close()
scenario.clock = { mode = "real" }
-- Lighter and edgeX push their all-markets channel once on subscribing and then stay silent,
-- so "silent past ticker_max_age" is a matter of time, not of chance.
scenario.venues.lighter.options = scenario.venues.lighter.options or {}
scenario.venues.lighter.options.ws_stats_interval_ms = 600000
scenario.venues.edgex.options = scenario.venues.edgex.options or {}
scenario.venues.edgex.options.ws_ticker_interval_ms = 600000
local sim = simlib.start { scenario = scenario }
local a = sim.addr

local MAX_AGE = 0.5
local lighter = assert(L.new { rest = a.lighter.rest, ws = a.lighter.ws, read_only = true, timeout = 5, ticker_max_age = MAX_AGE })
local edgex = assert(E.new { api_version = "v2", rest = a.edgex.host, ws = a.edgex.ws, read_only = true, timeout = 5,
  ticker_max_age = MAX_AGE })
local pacifica = assert(P.new { rest = a.pacifica.rest, ws = a.pacifica.ws, account = "read-only-test-account", read_only = true,
  timeout = 5 })

local function count(venue, path)
  return #sim:requests { venue = venue, kind = "http", path = path }
end

local function sources(tickers)
  local seen, n = {}, 0
  for _, tk in pairs(tickers) do
    seen[tk.source] = true
    n = n + 1
  end
  local out = {}
  for s in pairs(seen) do out[#out + 1] = s end
  table.sort(out)
  return table.concat(out, ","), n
end

local ok, err = pcall(function()
  -- ---- Lighter: orderBookDetails, then market_stats/all ----------------------------------------
  local LPATH = "/api/v1/orderBookDetails"
  local n0 = count("lighter", LPATH)
  local tk = assert(lighter:tickers())
  local src, n = sources(tk)
  t.is(src, "rest", "lighter: the first call reads REST (no stream yet)")
  t.is(n, 8, "every market")
  t.is(count("lighter", LPATH), n0 + 1, "in one /orderBookDetails request")
  t.ok(tk.BTC.volume_24h ~= nil and tk.BTC.last ~= nil, "with 24 h volume and last price")
  t.is(tk.BTC.mark, nil, "and no mark (REST has none)")
  -- the call started the stream: once its frame is in, tickers come from it
  local live = lighter._prices_live
  t.ok(live ~= nil, "the call started the market_stats stream")
  assert(live:wait(function(l) return l.tickers.BTC ~= nil end, 5))
  local n1 = count("lighter", LPATH)
  tk = assert(lighter:tickers { "BTC", "ETH" })
  src, n = sources(tk)
  t.is(src, "stream", "lighter: a fresh stream serves the tickers")
  t.is(n, 2, "only the symbols asked for")
  t.ok(tk.BTC.mark ~= nil and tk.BTC.volume_24h ~= nil, "with mark and 24 h volume")
  t.is(count("lighter", LPATH), n1, "without a request")
  -- silent past ticker_max_age: REST again
  hedge.sleep(MAX_AGE + 0.2)
  tk = assert(lighter:tickers { "BTC" })
  t.is(sources(tk), "rest", "lighter: a stream silent past ticker_max_age falls back to REST")
  t.is(count("lighter", LPATH), n1 + 1, "one request")
  -- dropped: stale from the drop until the first frame after the reconnect
  sim:drop_ws("lighter")
  assert(live:wait(function(l) return l.stale end, 5))
  n1 = count("lighter", LPATH)
  tk = assert(lighter:tickers { "ETH" })
  t.is(sources(tk), "rest", "lighter: a dropped stream falls back to REST")
  t.is(count("lighter", LPATH), n1 + 1, "with one request")
  assert(live:wait(function(l) return not l.stale end, 5))
  n1 = count("lighter", LPATH)
  tk = assert(lighter:tickers { "ETH" })
  t.is(sources(tk), "stream", "after the reconnect's first frame the stream serves again")
  t.is(count("lighter", LPATH), n1, "without a request")

  -- ---- edgeX v2: getTicker per contract, then ticker.all.1s -------------------------------------
  local EPATH = "/api/v2/public/quote/getTicker"
  local e0 = count("edgex", EPATH)
  tk = assert(edgex:tickers { "BTC", "ETH", "SOL" })
  src, n = sources(tk)
  t.is(src, "rest", "edgex: the first call reads REST")
  t.is(n, 3, "the three contracts asked for")
  t.is(count("edgex", EPATH), e0 + 3, "one getTicker per contract (v2 has no bulk REST ticker)")
  t.ok(tk.ETH.volume_24h ~= nil and tk.ETH.mark ~= nil, "with 24 h volume and mark")
  local elive = edgex._prices_live
  assert(elive:wait(function(l) return l.tickers.BTC ~= nil and not l.stale end, 5))
  local e1 = count("edgex", EPATH)
  tk = assert(edgex:tickers())
  src, n = sources(tk)
  t.is(src, "stream", "edgex: a fresh ticker.all.1s serves every contract")
  t.is(n, 8, "all 8")
  t.is(count("edgex", EPATH), e1, "without a request")
  hedge.sleep(MAX_AGE + 0.2)
  tk = assert(edgex:tickers { "BTC" })
  t.is(sources(tk), "rest", "edgex: a stream silent past ticker_max_age falls back to REST")
  t.is(count("edgex", EPATH), e1 + 1, "one request for the one contract asked")

  -- ---- Pacifica: /info/prices shared; the prices stream when it runs ----------------------------
  local PPATH = "/api/v1/info/prices"
  local p0 = count("pacifica", PPATH)
  local r = hedge.parallel(function() return pacifica:funding_rates() end, function() return pacifica:tickers() end)
  t.ok(r[1] and r[1].BTC and r[2] and r[2].BTC, "pacifica: funding rates and tickers read together")
  t.is(count("pacifica", PPATH), p0 + 1, "share one /info/prices request")
  t.is(sources(r[2]), "rest", "tickers from REST while no prices stream runs")
  local px = assert(pacifica:watch_prices { timeout = 5 })
  local p1 = count("pacifica", PPATH)
  tk = assert(pacifica:tickers { "SOL" })
  t.is(sources(tk), "stream", "pacifica: the running prices stream serves the tickers")
  t.is(count("pacifica", PPATH), p1, "without a request")
  sim:drop_ws("pacifica")
  assert(px:wait(function(l) return l.stale end, 5))
  tk = assert(pacifica:tickers { "SOL" })
  t.is(sources(tk), "rest", "pacifica: a dropped stream falls back to REST")
  t.is(count("pacifica", PPATH), p1 + 1, "one request")
end)
lighter:close()
edgex:close()
pacifica:close()
sim:stop()
if not ok then error(err, 0) end
t.done()
