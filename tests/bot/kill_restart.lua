-- kill -9 at random moments of OPENING, HOLDING and CLOSING, then a restart with the same state
-- database (issue 8). After every restart the bot must account for what the venues hold: the
-- stored hedge adopted, or flat (a leg left alone closed reduce-only), never a naked leg that
-- stays, never a doubled position, every order intent resolved, the database intact.
--
-- The bot trades ETH between Lighter and Pacifica (edgeX configured too, so every venue's
-- positions are checked) on a clock 14400 times faster: a 6 h hold takes 1.5 s. Fees are
-- overridden to 0 in the selection's estimate so short holds are worth opening (the venues
-- still charge them). HEDGE_KILL_SEED=<n> replays a run; HEDGE_KILLS=<n> sets how many kills.
package.path = "tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local World = require "lib.bot_world"

local SCALE = 14400
local KILLS = tonumber(os.getenv("HEDGE_KILLS") or "21")
local seed = tonumber(os.getenv("HEDGE_KILL_SEED") or "") or (os.time() % 100000)
math.randomseed(seed)
t.diag(("seed %d (HEDGE_KILL_SEED=%d replays it), %d kills"):format(seed, seed, KILLS))

-- How long after entering each state the bot may be killed (real ms, drawn uniformly): the
-- whole of an opening or a closing round (leverage, both orders, fills, the venues' order
-- records), a good part of a hold.
local WINDOW_MS = { OPENING = 250, HOLDING = 1200, CLOSING = 250 }
local PHASES = { "OPENING", "HOLDING", "CLOSING" }

local scenario = World.scenario()
for _, v in pairs(scenario.venues) do
  for _, m in ipairs(v.markets) do m.funding.path = nil end
end

local w = World.start { scenario = scenario, scale = SCALE, config = {
  symbols_to_monitor = { "ETH" }, hold_duration_hours = 6, check_interval_seconds = 1800, min_net_apr_threshold = 1,
  wait_between_cycles_minutes = 30, error_retry_minutes = 60,
  fees = { lighter = { taker = "0" }, pacifica = { taker = "0" }, edgex = { taker = "0" } } } }

-- The largest order the bot journalled per venue and symbol: a position beyond it is doubled.
local function largest_orders()
  local j = assert(w:journal())
  local max = {}
  for _, i in ipairs(j.intents) do
    local key = i.venue .. " " .. i.symbol
    local size = D(i.size)
    if not max[key] or size > max[key] then max[key] = size end
  end
  return max, j
end

-- "flat", "hedged" or a description of what is wrong with the venues' positions right now.
local function judge()
  local by_symbol, text = w:exposure()
  local max = largest_orders()
  local verdict = "flat"
  for symbol, legs in pairs(by_symbol) do
    for _, leg in ipairs(legs) do
      local cap = max[leg.venue .. " " .. symbol]
      if not cap or leg.size:abs() > cap then return "doubled: " .. text end
    end
    if #legs ~= 2 or legs[1].size + legs[2].size ~= D("0") then return "naked: " .. text end
    verdict = "hedged"
  end
  return verdict, text
end

-- Waits until the positions are flat or a matched pair (an open or close in progress passes
-- through one leg for a moment); returns the verdict seen last.
local function settle(timeout)
  local deadline = hedge.mono_ms() + timeout * 1000
  local verdict, text
  repeat
    verdict, text = judge()
    if verdict == "flat" or verdict == "hedged" then return verdict, text end
    if verdict:match("^doubled") then return verdict end
    hedge.sleep(0.05)
  until hedge.mono_ms() > deadline
  return verdict, text
end

local counts = { OPENING = 0, HOLDING = 0, CLOSING = 0 }
local outcomes = {}
local ok, err = pcall(function()
  local bot = w:spawn_bot()
  local from = 1
  local k = 0
  while k < KILLS do
    local phase = PHASES[k % 3 + 1]
    w:wait_log("%-> " .. phase .. "$", 20, from)
    local delay_ms = math.random() * WINDOW_MS[phase]
    hedge.sleep(delay_ms / 1000)
    bot:kill(9)
    local status, sig = bot:wait(10)
    k = k + 1
    counts[phase] = counts[phase] + 1
    t.is(sig, 9, ("kill %d: SIGKILL %.0f ms into %s"):format(k, delay_ms, phase))
    t.is(w:integrity(), "ok", ("kill %d: PRAGMA integrity_check is ok"):format(k))

    local restart_from = #w:log() + 1
    bot = w:spawn_bot()
    local start = w:wait_log("^start%-up: ", 30, restart_from)
    outcomes[#outcomes + 1] = start.msg
    t.ok(not start.msg:find("unresolved order intents") and not start.msg:find("cannot explain"),
      ("kill %d: the restart accounted for everything: %s"):format(k, start.msg:sub(1, 160)))
    local verdict, text = settle(5)
    t.ok(verdict == "flat" or verdict == "hedged", ("kill %d: after the restart the venues are %s (%s)"):format(k, verdict, text or ""))
    -- The next phase may be the state the restart itself took (an adopted hedge is HOLDING).
    from = restart_from
  end
  -- A last clean stop: SIGTERM finishes the step in progress.
  bot:kill(15)
  t.is(bot:wait(30), 0, "SIGTERM after the campaign: the bot exits 0")
  local verdict = settle(1)
  t.ok(verdict == "flat" or verdict == "hedged", "finally the venues are " .. verdict)
  local _, j = largest_orders()
  t.is(#j.open_intents, 0, "every order intent in the journal is resolved")
  t.is(w:integrity(), "ok", "the database is intact")
  local cycles = #j.cycles
  t.cmp(cycles, ">=", 2, ("%d cycles completed across the kills"):format(cycles))
  -- Strategy time goes on across restarts (the scaled clock's anchor is journalled): every hold
  -- lasts its 6 h, and the strategy time between a cycle's open and its close is the real time
  -- between them (journal event times, wall clock) times the scale, however many restarts fell
  -- in between (a restarted clock that began again at the wall clock would be hours off).
  local opened_at, closed_at = {}, {}
  for _, e in ipairs(j.events) do
    if e.kind == "opened" then opened_at[e.cycle] = e.at_ms end
    if e.kind == "closed" then closed_at[e.cycle] = e.at_ms end
  end
  for _, c in ipairs(j.cycles) do
    local h = (c.closed_at_ms - c.opened_at_ms) / 3600000
    t.cmp(h, ">=", 6, ("cycle %d held %.2f h for a 6 h hold"):format(c.cycle, h))
    if opened_at[c.cycle] and closed_at[c.cycle] then
      local wall_h = (closed_at[c.cycle] - opened_at[c.cycle]) * SCALE / 3600000
      t.cmp(math.abs(h - wall_h), "<", 1.5, ("cycle %d: %.2f h of strategy time for %.2f h of scaled real time"):format(c.cycle, h, wall_h))
    end
    t.is(c.close_reason, "rotation", ("cycle %d is recorded as a rotation, even when a restart finished its close"):format(c.cycle))
  end
  local adopted = 0
  for _, o in ipairs(outcomes) do if o:find("adopted") then adopted = adopted + 1 end end
  t.cmp(adopted, ">=", 1, ("%d restarts adopted the stored hedge"):format(adopted))
end)
if not ok then t.ok(false, "the campaign ran to the end: " .. tostring(err)) end
t.diag(("kills: %d in OPENING, %d in HOLDING, %d in CLOSING"):format(counts.OPENING, counts.HOLDING, counts.CLOSING))
if t.failed > 0 then t.diag("kept the bot's files in " .. w:keep("kill_restart")) end
w:stop()
t.done()
