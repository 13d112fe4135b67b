-- Leg skew: how far apart the two legs of a hedge reach the venues. The bot opens a hedge with
-- both orders built and signed inside place(), let go together at a send gate just before
-- libcurl (venues/together.lua, as bot/execution.lua does);
-- the simulator stamps every request with a monotonic microsecond clock when its headers
-- arrive (recv_us), so the skew of one hedge is |recv_us(leg 1) - recv_us(leg 2)|.
--
-- For each pair of venues: HEDGES hedges one after the other, alternating sides so positions
-- stay small, orders in the bot's default style (limit IOC cross_ticks through the best price
-- read beforehand, bot/execution.lua build_order); a few warm-up hedges (connections, nonces,
-- JIT) are not counted. Then a shorter run with market orders, where the Lighter client reads the
-- book before it can price its cap (one REST round trip inside the leg).
--   hedge bench/leg_skew.lua [HEDGES]     (default 1000)
-- Two figures per pair and style: when the client handed each leg's request to libcurl (the
-- skew DESIGN §3 promises to keep small), and when the simulator saw each request's headers.
-- The simulator is one Node process serving all venues: a request that arrives while it is busy
-- (another leg's signature check, WebSocket pushes) is stamped late, so the second figure is an
-- upper bound that includes the simulator's own delays.
-- Lines: "leg skew <pair> <style>, <where>: p50 X us, p99 Y us, max Z us over N hedges".
package.path = "bench/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local together = require "venues.together"
local W = require "lib.world"

local HEDGES = tonumber(arg and arg[1]) or 1000
local MARKET_HEDGES = math.max(20, math.floor(HEDGES / 5))
local WARMUP = 10
local SYMBOL = "ETH"
local CROSS_TICKS = 100
local ORDER_PATH = { pacifica = "/api/v1/orders/create", lighter = "/api/v1/sendTx", edgex = "/api/v2/private/order/createOrder" }
local MARKET_PATH = { pacifica = "/api/v1/orders/create_market", lighter = "/api/v1/sendTx", edgex = "/api/v2/private/order/createOrder" }

-- The edgeX client holds orders to 10/s (burst 20) on its own; back-to-back hedges would wait on
-- that budget (a throttle, not skew: the bot places a few orders a minute), so it is raised here.
local UNTHROTTLED = { rate = 10000, burst = 10000 }
-- Client side: when each order request is handed to libcurl (DESIGN §3: "the skew between the
-- legs is the time to hand two prepared requests to libcurl"). Every venue client sends through
-- hedge.http.request (venues/base.lua), which starts the transfer before it returns.
local handed = {}
local http_request = hedge.http.request
hedge.http.request = function(opts)
  if opts.method == "POST" then handed[#handed + 1] = { at = hedge.mono_us(), url = opts.url } end
  return http_request(opts)
end

local world = W.start { client_options = { edgex = { rate_limits = { order = UNTHROTTLED, private = UNTHROTTLED,
  public = UNTHROTTLED } } } }
local venues = world.venues

local markets, books = {}, {}
for name, client in pairs(venues) do
  for _, m in ipairs(assert(client:markets())) do if m.symbol == SYMBOL then markets[name] = m end end
  books[name] = assert(client:order_book(SYMBOL, 5))
  assert(client:set_leverage(SYMBOL, 3))
end

local function client_id(client) return client.new_client_id and client:new_client_id() or B.new_client_id() end

-- The bot's order for one leg (bot/execution.lua build_order).
local function order(name, side, size, style)
  local client = venues[name]
  local o = { symbol = SYMBOL, side = side, size = size, reduce_only = false, client_id = client_id(client) }
  if style == "limit_cross" then
    local best = side == "buy" and books[name].asks[1] or books[name].bids[1]
    local offset = markets[name].tick * D(tostring(CROSS_TICKS))
    o.type, o.tif = "limit", "ioc"
    o.price = side == "buy" and best.price + offset or best.price - offset
  else
    o.type, o.slippage_bps = "market", 100
  end
  return o
end

-- A size both venues accept: above each minimum notional, a multiple of both lots.
local function hedge_size()
  local size = D("0.05")
  for _, m in pairs(markets) do size = size:quantize(m.step, "ceil") end
  return size
end

local function run_pair(a, b, style, count)
  local size = hedge_size()
  local paths = style == "limit_cross" and ORDER_PATH or MARKET_PATH
  local seq_from = nil
  for i = 1, count + WARMUP do
    if i == WARMUP + 1 then
      seq_from = world.sim:call("GET", "/requests?limit=1").last_seq or 0
      handed = {}
    end
    local side_a = i % 2 == 1 and "buy" or "sell"
    local side_b = side_a == "buy" and "sell" or "buy"
    local oa, ob = order(a, side_a, size, style), order(b, side_b, size, style)
    local results, errs = together.place { { venues[a], oa }, { venues[b], ob } }
    if not results[1] or not results[2] then
      error(("hedge %d on %s/%s failed: %s / %s"):format(i, a, b, tostring(errs[1]), tostring(errs[2])))
    end
  end
  -- The order requests of the counted hedges, in arrival order: two per hedge.
  local legs = {}
  for _, e in ipairs(world.sim:requests { since = seq_from, kind = "http", method = "POST" }) do
    if (e.venue == a or e.venue == b) and e.path == paths[e.venue] then legs[#legs + 1] = e end
  end
  if #legs ~= 2 * count then error(("expected %d order requests, the simulator saw %d"):format(2 * count, #legs)) end
  local skews = {}
  for h = 1, count do
    local x, y = legs[2 * h - 1], legs[2 * h]
    if x.venue == y.venue then error("hedge " .. h .. ": both requests went to " .. x.venue) end
    skews[h] = math.abs(x.recv_us - y.recv_us)
  end
  local order_posts = {}
  for _, p in ipairs(handed) do
    for _, venue in ipairs { a, b } do
      if p.url:sub(-#paths[venue]) == paths[venue] then order_posts[#order_posts + 1] = p end
    end
  end
  if #order_posts ~= 2 * count then error(("expected %d order hand-offs, saw %d"):format(2 * count, #order_posts)) end
  local client = {}
  for h = 1, count do client[h] = math.abs(order_posts[2 * h].at - order_posts[2 * h - 1].at) end
  local function figures(list)
    return ("p50 %d us, p99 %d us, max %d us"):format(W.percentile(list, 50), W.percentile(list, 99), W.percentile(list, 100))
  end
  print(("leg skew %s/%s %s, handed to libcurl: %s over %d hedges"):format(a, b, style, figures(client), count))
  print(("leg skew %s/%s %s, received by the simulator: %s over %d hedges"):format(a, b, style, figures(skews), count))
end

-- The reference, in the same run: what the simulator's stamps show for two requests handed to
-- libcurl back to back with nothing to prepare (prebuilt bodies the venues refuse at once: the
-- stamp is taken on arrival, before any handling). Its tail is the instrument's own: one Node
-- process reading two sockets, busy with whatever else it was doing.
local function floor_pair(a, b, count)
  local paths = ORDER_PATH
  local seq_from = world.sim:call("GET", "/requests?limit=1").last_seq or 0
  local base = { [a] = world.sim.addr[a].host, [b] = world.sim.addr[b].host }
  for _ = 1, count do
    hedge.parallel(
      function() return http_request { method = "POST", url = base[a] .. paths[a], body = "{}", timeout = 5,
        headers = { ["content-type"] = "application/json" } } end,
      function() return http_request { method = "POST", url = base[b] .. paths[b], body = "{}", timeout = 5,
        headers = { ["content-type"] = "application/json" } } end)
  end
  local legs = {}
  for _, e in ipairs(world.sim:requests { since = seq_from, kind = "http", method = "POST" }) do
    if (e.venue == a or e.venue == b) and e.path == paths[e.venue] then legs[#legs + 1] = e end
  end
  if #legs ~= 2 * count then error(("reference: expected %d requests, the simulator saw %d"):format(2 * count, #legs)) end
  local skews = {}
  for h = 1, count do skews[h] = math.abs(legs[2 * h - 1].recv_us - legs[2 * h].recv_us) end
  print(("leg skew %s/%s reference (two bare requests), received by the simulator: p50 %d us, p99 %d us, max %d us over %d pairs")
    :format(a, b, W.percentile(skews, 50), W.percentile(skews, 99), W.percentile(skews, 100), count))
end

-- What sits between two hand-offs: the second leg's own place() up to libcurl (checks, rounding,
-- signing, the Lighter nonce sequencer's task hop), per venue, one order at a time.
local function place_cost(name, count)
  local size = hedge_size()
  local costs = {}
  for i = 1, count + WARMUP do
    local o = order(name, i % 2 == 1 and "buy" or "sell", size, "limit_cross")
    handed = {}
    local t0 = hedge.mono_us()
    local result, perr = venues[name]:place(o)
    if not result then error(("%s order %d failed: %s"):format(name, i, tostring(perr))) end
    if i > WARMUP then costs[#costs + 1] = handed[1].at - t0 end
  end
  print(("leg skew parts: %s place() to libcurl p50 %d us, p99 %d us over %d orders"):format(name,
    W.percentile(costs, 50), W.percentile(costs, 99), count))
end

local ok, err = pcall(function()
  for _, name in ipairs { "pacifica", "lighter", "edgex" } do place_cost(name, math.max(50, math.floor(HEDGES / 5))) end
  for _, pair in ipairs { { "lighter", "pacifica" }, { "edgex", "pacifica" }, { "edgex", "lighter" } } do
    run_pair(pair[1], pair[2], "limit_cross", HEDGES)
    floor_pair(pair[1], pair[2], HEDGES)
  end
  for _, pair in ipairs { { "lighter", "pacifica" }, { "edgex", "pacifica" } } do
    run_pair(pair[1], pair[2], "market", MARKET_HEDGES)
  end
end)
world:stop()
if not ok then error(err, 0) end
