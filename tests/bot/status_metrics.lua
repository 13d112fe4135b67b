-- The bot's status server end to end (issue 11): ./hedge scripts/strategy.lua against the
-- simulator with status.listen = 0.0.0.0 (off loopback, so a token is required):
--   * without the token in the environment the bot refuses to start, naming the variable;
--   * requests without the token (or with a wrong one) are refused, and POST is refused too;
--   * /metrics parses with the test's own Prometheus text parser (tests/lua/lib/prom_text.lua)
--     while holding: state, the pair, unrealised PnL equal to /api/state and to the simulator;
--   * after a cycle: the realised PnL gauge equals what the simulator's ledger booked for it,
--     the cycle counter, order latency histograms for both venues, last success per venue;
--   * /api/history and the page agree with the journal.
package.path = "tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local prom = require "lib.prom_text"
local World = require "lib.bot_world"
local Ledger = require "lib.bot_ledger"

local TOKEN = "status-test-token-" .. tostring(hedge.now_ms())
local AUTH = { Authorization = "Bearer " .. TOKEN }

local function get(url, headers, method)
  return hedge.http.request { url = url, headers = headers, method = method, timeout = 10 }
end

local function json_get(url)
  local res, err = get(url, AUTH)
  if not res or res.status ~= 200 then return nil, err or res.status end
  return cjson.decode(res.body)
end

-- bot_default.json with its rates held still, as tests/bot/full_cycles.lua runs it: ETH long
-- Lighter / short Pacifica opens, one simulated day is six seconds.
local scenario = World.scenario()
for _, v in pairs(scenario.venues) do
  for _, m in ipairs(v.markets) do m.funding.path = nil end
end
local w = World.start { scenario = scenario, scale = 14400, config = { status = { listen = "0.0.0.0:0" },
  hold_duration_hours = 24, check_interval_seconds = 1800, wait_between_cycles_minutes = 600 } }
local ok, err = pcall(function()
  -- 1. off loopback without a token: no start
  local refused = w:spawn_bot { "--max-cycles", "1" }
  local status = refused:wait(30)
  t.is(status, 2, "status.listen 0.0.0.0 without a token: the bot exits 2 before trading")
  t.like(refused:output(), "HEDGE_STATUS_TOKEN", "naming the variable to set")
  t.is(select(2, w:exposure()), "flat", "and nothing was traded")

  local f = assert(io.open(w.env_path, "a"))
  f:write("\nHEDGE_STATUS_TOKEN=", TOKEN, "\n")
  f:close()
  local bot = w:spawn_bot {}
  local rec = w:wait_log("status page on http://[^/]+/", 30)
  local base = rec.msg:match("(http://[^/]+)/")
  t.ok(base ~= nil, "the bot logs where its status page is: " .. tostring(base))
  t.ok(not rec.msg:find(TOKEN, 1, true), "without the token")

  -- 2. the token off loopback
  for _, path in ipairs { "/", "/metrics", "/api/state", "/events" } do
    local res = get(base .. path)
    t.is(res and res.status, 401, path .. " without the token: 401")
  end
  local res = get(base .. "/api/state", { Authorization = "Bearer " .. TOKEN .. "x" })
  t.is(res and res.status, 401, "a wrong token: 401")
  res = get(base .. "/api/state", AUTH, "POST")
  t.is(res and res.status, 405, "POST with the token: 405, nothing can be changed")
  res = get(base .. "/api/state", AUTH, "DELETE")
  t.is(res and res.status, 405, "DELETE: 405")

  -- 3. holding: /metrics against /api/state and the simulator
  w:wait_log("OPENING %-> HOLDING", 60)
  local state
  local deadline = hedge.mono_ms() + 20000
  repeat
    state = json_get(base .. "/api/state")
    if state and state.hedge and state.hedge.unrealized_pnl then break end
    hedge.sleep(0.1)
  until hedge.mono_ms() > deadline
  local h = state and state.hedge
  t.ok(h and h.unrealized_pnl, "/api/state shows the held hedge after its first check")
  if h then
    -- /metrics and /api/state read in between two equal /api/state answers: the same check.
    local metrics, mdoc, perr, stable
    for _ = 1, 50 do
      local before = json_get(base .. "/api/state")
      res = get(base .. "/metrics", AUTH)
      local after = json_get(base .. "/api/state")
      if before and after and before.hedge and after.hedge and before.hedge.unrealized_pnl == after.hedge.unrealized_pnl then
        metrics, stable = res, after
        break
      end
      hedge.sleep(0.05)
    end
    t.is(metrics and metrics.status, 200, "/metrics with the token: 200")
    t.like(metrics and metrics.headers["content-type"], "^text/plain; version=0%.0%.4", "in the text format 0.0.4")
    mdoc, perr = prom.parse(metrics and metrics.body or "")
    t.ok(mdoc ~= nil, "/metrics parses with the test's Prometheus parser: " .. tostring(perr))
    if mdoc and stable then
      h = stable.hedge
      t.is(prom.value(mdoc, "hedge_state", { state = "HOLDING" }), 1, "hedge_state{state=HOLDING} 1")
      t.is(prom.value(mdoc, "hedge_position_open"), 1, "a position is open")
      t.is(prom.value(mdoc, "hedge_position_info", { symbol = h.symbol, long_venue = h.long_venue, short_venue = h.short_venue }), 1,
        ("the pair: %s long %s short %s"):format(h.symbol, h.long_venue, h.short_venue))
      t.is(prom.value(mdoc, "hedge_unrealized_pnl_usd"), tonumber(h.unrealized_pnl), "unrealised PnL gauge = /api/state's " .. h.unrealized_pnl)
      t.is(prom.value(mdoc, "hedge_position_notional_usd"), tonumber(h.notional), "notional gauge = /api/state")
      t.is(prom.value(mdoc, "hedge_funding_earned_usd"), tonumber(h.funding or "0"), "funding gauge = /api/state")
      -- The simulator's own view of the two positions, marks unchanged since the check.
      local sim_upnl = D("0")
      for _, venue in ipairs { h.long_venue, h.short_venue } do
        for _, p in ipairs((w:account(venue) or {}).positions or {}) do
          if p.symbol == h.symbol then sim_upnl = sim_upnl + D(p.unrealized_pnl) end
        end
      end
      local diff = math.abs((D(h.unrealized_pnl) - sim_upnl):to_number())
      t.cmp(diff, "<=", 0.01, ("unrealised PnL %s matches the simulator's positions (%s) to the cent"):format(h.unrealized_pnl, tostring(sim_upnl)))
    end
  end

  -- 4. after the cycle: realised PnL against the simulator's ledger
  w:wait_log("CLOSING %-> WAITING", 60)
  local j = assert(w:journal())
  local cycle = j.cycles[1]
  t.ok(cycle ~= nil, "the cycle is in the journal")
  res = get(base .. "/metrics", AUTH)
  local mdoc, perr = prom.parse(res and res.body or "")
  t.ok(mdoc ~= nil, "/metrics after the cycle parses: " .. tostring(perr))
  if cycle and mdoc then
    local booked = Ledger.cycle(w, j, cycle)
    local gauge = prom.value(mdoc, "hedge_realized_pnl_usd", { component = "total" })
    t.ok(gauge and math.abs(gauge - booked.total:to_number()) < 1e-9,
      ("realised PnL gauge %s = the simulator's ledger for the cycle (%s)"):format(tostring(gauge), tostring(booked.total)))
    t.is(D(cycle.total_pnl) == booked.total, true, "and the journal's cycle total is the ledger's to the last digit")
    t.is(Ledger.cents(prom.value(mdoc, "hedge_realized_pnl_usd", { component = "funding" })), Ledger.cents(booked.funding),
      "funding component = the ledger's funding payments, to the cent")
    t.is(Ledger.cents(prom.value(mdoc, "hedge_realized_pnl_usd", { component = "fees" })), Ledger.cents(booked.fees),
      "fees component = the ledger's fees, to the cent")
    t.is(Ledger.cents(prom.value(mdoc, "hedge_realized_pnl_usd", { component = "basis" })), Ledger.cents(booked.price),
      "basis component = the ledger's realised price PnL, to the cent")
    t.is(prom.value(mdoc, "hedge_cycles_total"), 1, "hedge_cycles_total 1")
    t.is(prom.value(mdoc, "hedge_unwinds_total"), 0, "no unwinds")
    for _, venue in ipairs { cycle.long_venue, cycle.short_venue } do
      local n = prom.value(mdoc, "hedge_order_latency_seconds_count", { venue = venue, op = "place" })
      t.cmp(n or 0, ">=", 2, ("order latency histogram for %s: %s place calls (open and close)"):format(venue, tostring(n)))
      local last = prom.value(mdoc, "hedge_venue_last_success_timestamp_seconds", { venue = venue })
      t.ok(last and math.abs(last - hedge.now_ms() / 1000) < 120, ("last successful call to %s is recent"):format(venue))
    end
    local history = json_get(base .. "/api/history")
    t.is(history and #history.cycles, 1, "/api/history: one cycle")
    t.ok(history and D(history.totals.total_pnl) == D(cycle.total_pnl), "/api/history total = the journal's, exact")
    t.cmp(history and #history.spread or 0, ">=", 1, "/api/history has the held pair's funding spread samples")
    res = get(base .. "/", AUTH)
    t.is(res and res.status, 200, "the page with the token")
    t.like(res and res.body, 'id="chart%-pnl"', "with the PnL chart")
    t.like(res and res.body, ("<td>%d</td><td>%s</td>"):format(cycle.cycle, cycle.symbol):gsub("%-", "%%-"), "and the cycle in it")
    t.like(res and res.headers["content-security-policy"], "default%-src 'none'", "served with a strict Content-Security-Policy")
  end
  bot:kill(15)
  t.is(bot:wait(30), 0, "SIGTERM: the bot finishes its step and exits 0")
  t.ok(get(base .. "/api/state", AUTH) == nil, "and its status server is gone with it")
end)
if not ok then
  t.ok(false, "status end to end: " .. tostring(err))
  t.diag("kept: " .. w:keep("status-metrics"))
end
w:stop()
t.done()
