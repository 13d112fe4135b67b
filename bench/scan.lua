-- Market scan: one analysis round of the bot (bot/analysis.lua) over 3 venues x 50 symbols,
-- with LATENCY_MS injected into every HTTP answer of the simulator, against the slowest single
-- request measured the same way in the same run.
--
--   analysis.run    the bot's round: markets, funding and balance per venue (round 1), then
--                   ticker and book for each (venue, symbol) listed twice, 8 at a time (round 2)
--   all at once     the same reads with every round-2 job started together: what the runtime
--                   does when nothing holds it back (the bot's limit of 8 spares venue budgets)
--   slowest request the slowest of one HTTP GET of each market-data route per venue
--   slowest call    the slowest single client call (some calls are more than one request)
-- Lines: "scan <what>: X ms (R x the slowest request)".
package.path = "bench/?.lua;" .. package.path
local hedge = require "hedge"
local cjson = require "cjson"
local W = require "lib.world"

local SYMBOLS = 50
local LATENCY_MS = 50

-- The demo world with each venue's markets cloned to SYMBOLS symbols (S01 ... S50).
local function scenario()
  local f = assert(io.open("tests/sim/scenarios/demo.json", "rb"))
  local s = cjson.decode(f:read("*a"))
  f:close()
  s.clock = { mode = "real" }
  for _, venue in pairs(s.venues) do
    local templates, markets = venue.markets, {}
    local minimums = venue.options and venue.options.markets
    for i = 1, SYMBOLS do
      local m = cjson.decode(cjson.encode(templates[(i - 1) % #templates + 1]))
      local symbol = ("S%02d"):format(i)
      if minimums then minimums[symbol] = minimums[m.symbol] end
      m.symbol = symbol
      if m.id then m.id = i - 1 end
      if m.funding then m.funding.path = nil end
      markets[i] = m
    end
    venue.markets = markets
  end
  return s
end

local world = W.start { scenario = scenario(), config = { symbols_to_monitor = "*" } }
local venues = world.venues
package.path = "scripts/?.lua;" .. package.path
local analysis = require "bot.analysis"

local ok, err = pcall(function()
  -- Warm up: connections, WS streams, market metadata caches, JIT; then the latency goes in.
  assert(analysis.run(venues, world.cfg))
  for _, name in ipairs { "pacifica", "lighter", "edgex" } do
    world.sim:fault { venue = name, match = { venue = name, kind = "http" }, action = { type = "delay", ms = LATENCY_MS },
      count = 1000000 }
  end

  -- The slowest single request: one GET of every market-data route the clients use, timed alone.
  local function query_text(q)
    local parts = {}
    for k, v in pairs(q or {}) do
      parts[#parts + 1] = k .. "=" .. tostring(v):gsub("[^%w%-_%.~]", function(c) return ("%%%02X"):format(c:byte()) end)
    end
    table.sort(parts)
    return #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
  end
  local routes = {}
  for _, e in ipairs(world.sim:requests { kind = "http", method = "GET" }) do
    routes[e.venue .. " " .. e.path] = { venue = e.venue, path = e.path, query = query_text(e.query), headers = e.headers }
  end
  local hosts = { pacifica = world.sim.addr.pacifica.host, lighter = world.sim.addr.lighter.host,
                  edgex = world.sim.addr.edgex.host }
  local slowest_request, slowest_route = 0, ""
  for key, r in pairs(routes) do
    local t0 = hedge.mono_us()
    local res = hedge.http.get(hosts[r.venue] .. r.path .. r.query, { timeout = 10 })
    local took = (hedge.mono_us() - t0) / 1000
    if res and took > slowest_request then slowest_request, slowest_route = took, key end
  end

  -- The slowest single client call.
  local slowest_call, slowest_name = 0, ""
  for name, client in pairs(venues) do
    for _, call in ipairs {
      { "markets", function() return client:markets() end },
      { "funding_rates", function() return client:funding_rates() end },
      { "balance", function() return client:balance() end },
      { "ticker", function() return client:ticker("S01") end },
      { "order_book", function() return client:order_book("S01", 20) end },
    } do
      local t0 = hedge.mono_us()
      assert(call[2]())
      local took = (hedge.mono_us() - t0) / 1000
      if took > slowest_call then slowest_call, slowest_name = took, name .. ":" .. call[1] end
    end
  end

  local t0 = hedge.mono_us()
  local snap = assert(analysis.run(venues, world.cfg))
  local scan_ms = (hedge.mono_us() - t0) / 1000
  local jobs = 0
  for _, v in pairs(snap.venues) do for _ in pairs(v.books) do jobs = jobs + 1 end end

  -- The same reads with round 2 unbounded.
  t0 = hedge.mono_us()
  local names = { "edgex", "lighter", "pacifica" }
  local firsts = {}
  for i, name in ipairs(names) do
    local client = venues[name]
    firsts[i] = function()
      local r, e = hedge.parallel(function() return client:markets() end, function() return client:funding_rates() end,
        function() return client:balance() end)
      return r[1] and r[2] and r[3], e[1] or e[2] or e[3]
    end
  end
  local _, e1 = hedge.parallel(unpack(firsts))
  assert(not next(e1), "round 1 failed")
  local round1_ms = (hedge.mono_us() - t0) / 1000
  local seq_before = world.sim:call("GET", "/requests?limit=1").last_seq or 0
  local fns = {}
  for _, name in ipairs(names) do
    for i = 1, SYMBOLS do
      local client, symbol = venues[name], ("S%02d"):format(i)
      fns[#fns + 1] = function() return client:ticker(symbol) end
      fns[#fns + 1] = function() return client:order_book(symbol, 20) end
    end
  end
  local _, e2 = hedge.parallel(unpack(fns))
  local failures = 0
  for _ in pairs(e2) do failures = failures + 1 end
  local all_ms = (hedge.mono_us() - t0) / 1000
  -- Where round 2's time goes: when the simulator saw each request, and how long it held each.
  local entries = world.sim:requests { since = seq_before, kind = "http" }
  local round2_requests, first_recv, last_recv, longest_held = #entries, math.huge, 0, 0
  for _, e in ipairs(entries) do
    first_recv, last_recv = math.min(first_recv, e.recv_us), math.max(last_recv, e.recv_us)
    if type(e.respond_us) == "number" then longest_held = math.max(longest_held, e.respond_us - e.recv_us) end
  end

  print(("scan setup: 3 venues x %d symbols, %d ms added to every HTTP answer, %d (venue, symbol) books read"):format(
    SYMBOLS, LATENCY_MS, jobs))
  print(("scan slowest request: %.1f ms (%s)"):format(slowest_request, slowest_route))
  print(("scan slowest call: %.1f ms (%s)"):format(slowest_call, slowest_name))
  print(("scan analysis.run: %.1f ms (%.1f x the slowest request)"):format(scan_ms, scan_ms / slowest_request))
  print(("scan all at once: %.1f ms (%.1f x the slowest request, %d failed reads)"):format(all_ms, all_ms / slowest_request,
    failures))
  print(("scan all at once detail: round 1 %.1f ms, round 2 %.1f ms for %d client calls = %d HTTP requests"):format(
    round1_ms, all_ms - round1_ms, #fns, round2_requests))
  print(("scan all at once simulator side: requests arrived over %.1f ms, longest held %.1f ms"):format(
    (last_recv - first_recv) / 1000, longest_held / 1000))
end)
world:stop()
if not ok then error(err, 0) end
