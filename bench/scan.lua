-- Market scan: the bot's analysis round (bot/analysis.lua) over 3 venues x 50 symbols, with
-- LATENCY_MS injected into every HTTP answer of the simulator, against the slowest single
-- request measured the same way in the same run.
--
--   cold round      the first round of fresh clients: markets load, tickers over REST (the
--                   streams start), then the books of the top K pairs — two round trips
--   warm round      what every later round is (the figure of issue 10): markets from the cache,
--                   tickers from the live all-markets streams, funding and balance in one bulk
--                   request per venue, the top-K books from the live books kept since the
--                   previous round: one round trip of 6 requests
--   after a hold    the live books were closed while holding and subscribed again when the
--                   cooldown (WAITING) began: as warm
--   right after     no cooldown: the previous round's top-K books are read over REST in the same
--                   round trip
--   moved round     no live books, and the book set of the previous round is not the one
--                   needed (the funding ranking changed): the books come after the ranking
--   ranking         analysis.rank with the default selection (more books only if nothing in the
--                   top K is eligible)
--   slowest request the slowest route, each market-data route the clients used timed alone
--                   (median of REQUEST_SAMPLES requests)
-- Lines: "scan <what>: X ms (R x the slowest request)", with the HTTP requests each round made.
package.path = "bench/?.lua;" .. package.path
local hedge = require "hedge"
local cjson = require "cjson"
local W = require "lib.world"

local SYMBOLS = 50
local LATENCY_MS = 50
local WARM_ROUNDS = 7
local REQUEST_SAMPLES = 5

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

local world = W.start { scenario = scenario(), config = { symbols_to_monitor = "*", scan_books_top_k = tonumber(os.getenv("SCAN_K") or "10") } }
local venues = world.venues
package.path = "scripts/?.lua;" .. package.path
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local default_select = require "select.default"

local function median(list)
  local s = {}
  for i, v in ipairs(list) do s[i] = v end
  table.sort(s)
  return s[math.floor((#s + 1) / 2)]
end

local ok, err = pcall(function()
  local sim = world.sim
  for _, name in ipairs { "pacifica", "lighter", "edgex" } do
    sim:fault { venue = name, match = { venue = name, kind = "http" }, action = { type = "delay", ms = LATENCY_MS }, count = 1000000 }
  end
  local function last_seq() return sim:call("GET", "/requests?limit=1").last_seq or 0 end
  -- One timed round -> ms, snap, the HTTP requests it made (entries).
  local cpu_ms = {}
  local function timed(fn)
    local seq = last_seq()
    local c0, t0 = os.clock(), hedge.mono_us()
    local snap = assert(fn())
    local ms = (hedge.mono_us() - t0) / 1000
    cpu_ms[#cpu_ms + 1] = (os.clock() - c0) * 1000
    return ms, snap, sim:requests { since = seq, kind = "http" }
  end
  local function per_venue(entries)
    local n = {}
    for _, e in ipairs(entries) do n[e.venue] = (n[e.venue] or 0) + 1 end
    return ("edgex %d, lighter %d, pacifica %d"):format(n.edgex or 0, n.lighter or 0, n.pacifica or 0)
  end

  local cold_ms, cold_snap, cold_req = timed(function() return analysis.run(venues, world.cfg) end)
  local cold_books = cold_snap.book_requests

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
  for _, e in ipairs(sim:requests { kind = "http", method = "GET" }) do
    routes[e.venue .. " " .. e.path] = { venue = e.venue, path = e.path, query = query_text(e.query) }
  end
  local hosts = { pacifica = sim.addr.pacifica.host, lighter = sim.addr.lighter.host, edgex = sim.addr.edgex.host }
  -- Each route's typical time is the median of REQUEST_SAMPLES requests one after the other
  -- (a single sample on a loaded machine is as much noise as figure); the slowest route counts.
  local slowest_request, slowest_route = 0, ""
  for key, r in pairs(routes) do
    local samples = {}
    for i = 1, REQUEST_SAMPLES do
      local t0 = hedge.mono_us()
      local res = hedge.http.get(hosts[r.venue] .. r.path .. r.query, { timeout = 10 })
      samples[i] = res and (hedge.mono_us() - t0) / 1000 or 0
    end
    local took = median(samples)
    if took > slowest_request then slowest_request, slowest_route = took, key end
  end

  -- The streams the cold round started are live before the warm rounds (the bot keeps them).
  for _, name in ipairs { "lighter", "edgex" } do
    local live = venues[name]._prices_live
    assert(live and live:wait(function(l) return not l.stale and next(l.tickers) ~= nil end, 10), name .. " prices stream")
  end

  local warm, warm_req, warm_snap, warm_books, warm_books_live = {}, nil, nil, 0, 0
  local round_part, after_part = {}, {}
  for i = 1, WARM_ROUNDS do
    local ms, snap, entries = timed(function() return analysis.run(venues, world.cfg) end)
    warm[i] = ms
    round_part[i], after_part[i] = snap.timing.round_ms, snap.timing.after_ms
    if i == WARM_ROUNDS then
      warm_req, warm_snap, warm_books, warm_books_live = entries, snap, snap.book_requests, snap.live_books
    end
  end
  local warm_ms = median(warm)
  local warm_cpu = {}
  for i = #cpu_ms - WARM_ROUNDS + 1, #cpu_ms do warm_cpu[#warm_cpu + 1] = cpu_ms[i] end

  -- Where a warm round's time goes: when the simulator saw each request, how long it held it.
  local first_recv, last_recv, longest_held = math.huge, 0, 0
  for _, e in ipairs(warm_req) do
    first_recv, last_recv = math.min(first_recv, e.recv_us), math.max(last_recv, e.recv_us)
    if type(e.respond_us) == "number" then longest_held = math.max(longest_held, e.respond_us - e.recv_us) end
  end

  -- After a hold and its cooldown: the bot closed the live books while holding
  -- (analysis.release) and subscribed them again when the cooldown began (analysis.prepare).
  analysis.release(venues)
  analysis.prepare(venues, world.cfg)
  sim:wait_for(function() return analysis.live_book_count(venues) == warm_books_live end, 10, "the live books again")
  local cooled_ms, cooled_snap, cooled_req = timed(function() return analysis.run(venues, world.cfg) end)
  -- Right after a hold, no cooldown: the previous round's book set is read over REST in the round.
  analysis.release(venues)
  local held_ms, held_snap, held_req = timed(function() return analysis.run(venues, world.cfg) end)
  -- The book set of the previous round is not the one needed and no live book is kept: another
  -- venues table has no prediction (markets and ticker streams are per client and stay warm).
  analysis.release(venues)
  local moved_venues = {}
  for k, v in pairs(venues) do moved_venues[k] = v end
  local moved_ms, moved_snap, moved_req = timed(function() return analysis.run(moved_venues, world.cfg) end)

  -- The ranking with the default selection on the last warm round.
  local cfg = world.cfg
  local t0 = hedge.mono_us()
  local seq = last_seq()
  local rows = analysis.rank(warm_snap, function()
    return default_select.rank(warm_snap, cfg, { plan = function(c) return sizing.plan(c, warm_snap, cfg) end })
  end, cfg)
  local rank_ms = (hedge.mono_us() - t0) / 1000
  local rank_req = #sim:requests { since = seq, kind = "http" }

  local function line(what, ms, books, entries)
    print(("scan %s: %.1f ms (%.2f x the slowest request; %d HTTP requests: %s; %d of them books)"):format(what, ms,
      ms / slowest_request, #entries, per_venue(entries), books))
  end
  print(("scan setup: 3 venues x %d symbols, %d ms added to every HTTP answer, %d candidates, books for the top %d"):format(
    SYMBOLS, LATENCY_MS, #warm_snap.candidates, warm_snap.books_top_k))
  print(("scan slowest request: %.1f ms (%s)"):format(slowest_request, slowest_route))
  line("warm round (analysis.run, median of " .. WARM_ROUNDS .. ")", warm_ms, warm_books, warm_req)
  local spread = {}
  for i, ms in ipairs(warm) do spread[i] = ("%.1f"):format(ms) end
  print("scan warm rounds: " .. table.concat(spread, ", ") .. " ms")
  print(("scan warm round parts: concurrent reads %.1f ms, candidates and ranking by spread %.1f ms (medians); hedge's CPU %.1f ms per round"):format(
    median(round_part), median(after_part), median(warm_cpu)))
  print(("scan warm round simulator side: requests arrived over %.1f ms, longest held %.1f ms"):format(
    (last_recv - first_recv) / 1000, longest_held / 1000))
  line("round after a hold and its cooldown (books live again)", cooled_ms, cooled_snap.book_requests, cooled_req)
  line("round right after a hold (books over REST, prefetched)", held_ms, held_snap.book_requests, held_req)
  line("moved round (books over REST after the ranking)", moved_ms, moved_snap.book_requests, moved_req)
  line("cold round (first, no cache, no streams)", cold_ms, cold_books, cold_req)
  local eligible = 0
  for _, r in ipairs(rows) do if r.eligible then eligible = eligible + 1 end end
  print(("scan ranking (default selection): %.1f ms, %d book rounds, %d more HTTP requests, %d of %d rows eligible"):format(
    rank_ms, warm_snap.book_rounds, rank_req, eligible, #rows))
end)
world:stop()
if not ok then error(err, 0) end
