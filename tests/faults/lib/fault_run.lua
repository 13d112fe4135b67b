-- Runs one cell of the fault matrix: the real bot (./hedge scripts/strategy.lua, through
-- tests/bot/lib/bot_world.lua) against the simulator on a scaled clock, the cell's faults armed
-- at its phase, then the end state judged (lib/fault_checks.lua).
--
--   local run = require "lib.fault_run"
--   local result = run.cell(plan)   -- plan from lib/fault_cells.lua
--   result = {status = "PASS" | "FAIL" | "N/A", reason, settle_s (simulated), wall_s, applied, kept}
--
-- Time. Simulator and bot run SCALE times faster than real time, which compresses the strategy's
-- schedule (checks, waits, ERROR retries); what the bot waits in real time (a request's timeout,
-- fill and reconcile waits) is not compressed. The cell passes when the end state holds no later
-- than 60 simulated seconds (60 / SCALE real seconds) after the fault ended; when a fault ends is
-- measured from the simulator's fault log (the last application plus what it lasts: a delay, a
-- hang until the client's timeout, a Retry-After, an outage).
local hedge = require "hedge"
local World = require "lib.bot_world"
local cells = require "lib.fault_cells"
local checks = require "lib.fault_checks"

local M = {}

M.SCALE = 5
M.SETTLE_SIM_S = 60
local POLL_S = 0.25
local CELL_LIMIT_S = 150          -- wall seconds before a cell is given up as stuck
local APPLY_WAIT_S = 12           -- wall seconds a fault may take to meet its first call
local HOLD_S = 3                  -- wall seconds the end state must last (more than a holding check)

-- The world: ETH only, on the faulted venue and its partner, the faulted venue long (cheaper
-- funding) and the partner short, rates held still (no funding path), so the pair is the one
-- candidate and nothing else moves unless the cell moves it.
local function scenario(venue, partner)
  local sc = World.scenario()
  for name, v in pairs(sc.venues) do
    for _, m in ipairs(v.markets) do
      m.funding.path = nil
      if m.symbol == "ETH" and (name == venue or name == partner) then
        -- per hour; edgeX's rates are per its 4 h interval
        local hourly = name == venue and -0.00002 or 0.00004
        local per = hourly * (name == "edgex" and 4 or 1)
        local text = ("%.8f"):format(per):gsub("0+$", "")
        m.funding.rate, m.funding.next_rate = text, text
      end
    end
  end
  return sc
end

-- The configuration: a long hold (the cell, not the clock, ends it), one cycle per day so an
-- end state stays put, short real-time waits, ERROR retried every 30 simulated seconds.
local function config()
  return {
    symbols_to_monitor = { "ETH" }, hold_duration_hours = 48, check_interval_seconds = 10,
    wait_between_cycles_minutes = 1440, error_retry_minutes = 0.5, reconcile_seconds = cells.RECONCILE_S, fill_wait_seconds = 2,
    liquidation_check_grace_period_seconds = 60, funding_inversion_exit_apr = 10,
  }
end

-- When the faults of a cell stopped acting (wall ms), or nil while some are still armed or
-- unused. applied: the simulator's fault-log entries of these faults.
local function fault_end_ms(armed_ids, active, applied)
  for _, f in ipairs(active) do
    if armed_ids[f.id] then return nil end
  end
  local finish
  for _, a in ipairs(applied) do
    local act, lasts = a.action, 0
    if act.type == "delay" then lasts = act.ms
    elseif act.type == "timeout_after_accept" then lasts = math.min(act.hang_ms or 600000, cells.CLIENT_TIMEOUT_S * 1000)
    elseif act.type == "http_status" and act.retry_after then lasts = act.retry_after * 1000
    elseif act.type == "down" then lasts = (act.ms or 0) / M.SCALE end
    local at = a.wall_ms + lasts        -- a call refused during an outage carries no ms: it lasts 0
    finish = math.max(finish or 0, at)
  end
  return finish
end

local function applications(w, armed_ids)
  local out = {}
  for _, a in ipairs(w.sim:fault_log().applied or {}) do
    if armed_ids[a.id] then out[#out + 1] = a end
  end
  return out
end

local function arm(w, plan)
  local ids = {}
  for _, f in ipairs(plan.faults) do
    local made = w.sim:fault(f)
    ids[made.id] = true
  end
  return ids
end

-- The hedge is held: both legs present (the cell's setup for hold and close).
local function wait_hedged(w)
  w:wait_log("OPENING %-> HOLDING", 60)
  return w.sim:wait_for(function()
    local o = checks.observe(w)
    return o.shape == "hedged" and o.state == "HOLDING" and o
  end, 20, "the hedge held before the fault")
end

-- Inverts the funding spread of the held pair: the next holding check closes it
-- (funding_inversion), so the closing orders meet the armed faults.
local function invert_funding(w, plan)
  for name, rate in pairs { [plan.venue] = 0.0002, [plan.partner] = -0.0002 } do
    local per = rate * (name == "edgex" and 4 or 1)
    w.sim:call("POST", "/funding", { venue = name, symbol = "ETH", next_rate = ("%.6f"):format(per) })
  end
end

local function run_cell(w, plan, res)
  local baseline
  if plan.phase ~= "open" then
    w:spawn_bot()
    baseline = wait_hedged(w)
  end
  local armed = arm(w, plan)
  local armed_at = hedge.now_ms()
  if plan.phase == "open" then w:spawn_bot() end
  if plan.phase == "close" then invert_funding(w, plan) end

  local settled_at, settled_since, settled_key, last
  while true do
    hedge.sleep(POLL_S)
    local now = hedge.now_ms()
    local active = w.sim:faults().active or {}     -- before the log: a use between them is in the log
    local applied = applications(w, armed)
    res.applied = #applied
    if applied[1] then
      local c = applied[1].ctx or {}
      res.hit = ("%s %s"):format(c.kind or "?", c.channel or c.op or c.path or "")
    end
    last = checks.observe(w)
    local verdict = checks.settled(plan, last, baseline)
    -- Since when this end state has held without a break or a change (it may hold before the
    -- fault is over; flat and idle before the opening is not the flat after an unwind).
    local key = ("%s|%s|%s"):format(last.shape, tostring(last.state), last.text)
    if not verdict.settled or key ~= settled_key then settled_since = nil end
    if verdict.settled then settled_since, settled_key = settled_since or now, key end
    if #applied == 0 and now - armed_at > APPLY_WAIT_S * 1000 and verdict.settled then
      if plan.ws then
        -- Said from the request log: did the bot open a WebSocket to the venue at all?
        local opened = #w.sim:requests { venue = plan.venue, kind = "ws_open" }
        res.status = "N/A"
        res.reason = opened == 0 and ("the bot opens no WebSocket to %s: nothing to drop or skip"):format(plan.venue)
          or ("no WebSocket message from %s to the bot in this phase (%d connection(s) opened in all): the fault never applied"):format(
            plan.venue, opened)
      else
        res.status, res.reason = "FAIL", "the fault never met a call (the bot did not do what this phase expects)"
      end
      return
    end
    -- A fault with uses left long after its last one: the bot no longer makes that call (it
    -- read a book once, not twice); it is disarmed and has ended at its last use.
    local last_use = applied[#applied] and applied[#applied].wall_ms
    if last_use and verdict.settled and now - last_use > APPLY_WAIT_S * 1000 then
      for _, f in ipairs(active) do
        if armed[f.id] then w.sim:call("DELETE", "/faults/" .. f.id) end
      end
      active = {}
    end
    local ended = #applied > 0 and fault_end_ms(armed, active, applied)
    if ended then
      -- Reached by the limit, and still so HOLD_S later: an effect that comes just after the
      -- fault (an order landing late) is seen before the cell is judged.
      res.fault_end_ms = ended
      local limit = ended + M.SETTLE_SIM_S * 1000 / M.SCALE
      if verdict.settled and settled_since <= limit then
        local from = math.max(settled_since, ended)
        if now >= from + HOLD_S * 1000 then
          settled_at = from
          break
        end
      elseif now > limit then
        res.status = "FAIL"
        res.reason = ("not settled %d simulated s after the fault ended: %s"):format(M.SETTLE_SIM_S, verdict.why or last.text)
        return
      end
    end
    if now - armed_at > CELL_LIMIT_S * 1000 then
      res.status, res.reason = "FAIL", ("stuck for %d s: %s"):format(CELL_LIMIT_S, verdict.why or last.text)
      return
    end
  end
  res.settle_s = math.max(0, (settled_at - res.fault_end_ms) * M.SCALE / 1000)

  -- The end state after the bot stopped (SIGTERM: it finishes its step and leaves positions).
  local bot = w.bots[#w.bots]
  bot:kill(15)
  local status = bot:wait(30)
  if status ~= 0 then
    res.status, res.reason = "FAIL", "the bot did not exit 0 on SIGTERM: " .. tostring(status)
    return
  end
  local problems = checks.final(w, plan, baseline)
  if #problems > 0 then
    res.status, res.reason = "FAIL", table.concat(problems, "; ")
    return
  end
  res.status = "PASS"
  res.reason = last.text
end

-- cells.run(plan) -> result (never raises: a broken cell is a FAIL with the error).
function M.cell(plan)
  local res = { venue = plan.venue, phase = plan.phase, fault = plan.fault }
  local started = hedge.mono_ms()
  local ok, w = pcall(World.start, { scenario = scenario(plan.venue, plan.partner), scale = M.SCALE,
    venues = { plan.venue, plan.partner }, config = config() })
  if not ok then
    res.status, res.reason = "FAIL", "the world did not start: " .. tostring(w)
    return res
  end
  local rok, err = pcall(run_cell, w, plan, res)
  if not rok then res.status, res.reason = "FAIL", "the cell broke: " .. tostring(err) end
  if res.status == "FAIL" or os.getenv("HEDGE_FAULTS_KEEP") == "1" then res.kept = w:keep(("fault-%s-%s-%s"):format(plan.venue, plan.phase, plan.fault)) end
  res.wall_s = (hedge.mono_ms() - started) / 1000
  w:stop()
  return res
end

return M
