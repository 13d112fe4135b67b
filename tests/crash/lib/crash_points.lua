-- Where the crash campaign kills the bot. Each point waits for its moment (the bot's own log
-- lines, the simulator's request and fault logs) and returns; the campaign then sends SIGKILL.
--
--   state       a random time into OPENING, HOLDING or CLOSING
--   pre_send    inside place(), after the intent is journalled and before the order leaves:
--               the read a market order makes first (Lighter's book, edgeX's ticker) is held
--               back by a simulator delay and the bot is killed while it waits
--   in_flight   the order has reached the venue, which holds it back (delay) and takes it after
--               the bot is dead: a fill the bot never hears of
--   unanswered  the venue took and filled the order and never answers (timeout_after_accept)
--   after_fill  the venue answered the order (filled); killed 0-15 ms later, before or while
--               the bot journals it
--
-- point.run(c, phase) -> detail text, {fault ids to remove after the kill}
-- c = {w = world, rng = fn(a, b) -> integer, uniform = fn() -> [0,1), from = the log index
--      from which the phase is awaited, pair = {long, short} venues of the current or next hedge}
local hedge = require "hedge"
local faults = require "lib.crash_faults"

local M = {}

local WINDOW_MS = { OPENING = 250, HOLDING = 1200, CLOSING = 250 }
local PHASE_TIMEOUT_S = 40
-- How long after the phase began a point's fault may take to be met (the bot may be slowed by
-- the campaign's random fault, or trade another pair than expected: then it is killed anyway).
local APPLY_TIMEOUT_S = 8

local ORDER_OPS = { create_order = true, create_market_order = true, createOrder = true }

-- The first log record at or after index `from` matching any of `patterns`; polls every
-- `poll_s` until `timeout` s. -> record | nil
local function await_log(w, patterns, from, timeout, poll_s)
  local deadline = hedge.mono_ms() + timeout * 1000
  while true do
    local lines = w:log()
    for i = from, #lines do
      local msg = lines[i].msg
      for _, p in ipairs(patterns) do
        if msg and msg:find(p) then return lines[i] end
      end
    end
    if hedge.mono_ms() > deadline then return nil end
    hedge.sleep(poll_s or 0.02)
  end
end
M.await_log = await_log

-- The log lines that say the bot is now in `phase` (HOLDING also from its dashboard line: an
-- adopted hedge stays HOLDING without a transition).
local function phase_patterns(phase)
  if phase == "HOLDING" then return { "%-> HOLDING$", "^state HOLDING " } end
  return { "%-> " .. phase .. "$" }
end

-- Waits until the bot is in `phase` (a line from index c.from on). -> record | nil
local function await_phase(c, phase, poll_s)
  return await_log(c.w, phase_patterns(phase), c.from, PHASE_TIMEOUT_S, poll_s)
end

-- The simulator applied one of the faults `ids` (its fault log). -> entry | nil after `timeout` s
local function await_fault(c, ids, timeout)
  local deadline = hedge.mono_ms() + timeout * 1000
  local want = {}
  for _, id in ipairs(ids) do want[id] = true end
  while true do
    for _, e in ipairs(c.w.sim:fault_log().applied or {}) do
      if want[e.id] then return e end
    end
    if hedge.mono_ms() > deadline then return nil end
    hedge.sleep(0.005)
  end
end

local function arm(c, venue, match, action)
  match.venue = venue
  return c.w.sim:fault { venue = venue, match = match, action = action, count = 1 }.id
end

local function sleep_ms(ms) hedge.sleep(ms / 1000) end

M.state = { phases = { OPENING = true, HOLDING = true, CLOSING = true } }
function M.state.run(c, phase)
  if not await_phase(c, phase) then return ("%s not reached in %d s"):format(phase, PHASE_TIMEOUT_S), {} end
  local ms = c.uniform() * WINDOW_MS[phase]
  sleep_ms(ms)
  return ("%.0f ms into %s"):format(ms, phase), {}
end

-- Arms `make(venue)` (-> match, action) on each venue it applies to, at the right moment for
-- `phase` (for CLOSING while still HOLDING: its orders follow the last holding check within
-- milliseconds), waits until one is applied and returns a random time within `window_ms` later.
local function faulted_point(c, phase, venues, make, window_ms, what)
  local before = phase == "CLOSING" and "HOLDING" or phase
  if not await_phase(c, before, 0.005) then return ("%s not reached in %d s"):format(before, PHASE_TIMEOUT_S), {} end
  local ids = {}
  for _, v in ipairs(venues) do
    local match, action = make(v)
    if match then ids[#ids + 1] = arm(c, v, match, action) end
  end
  if #ids == 0 then return "no venue of the pair has this window", {} end
  local applied = await_fault(c, ids, APPLY_TIMEOUT_S)
  if not applied then return ("%s: not reached within %d s of %s"):format(what, APPLY_TIMEOUT_S, before), ids end
  local ms = c.uniform() * window_ms
  sleep_ms(ms)
  return ("%s on %s, killed %.0f ms after it began"):format(what, applied.ctx and applied.ctx.venue or "?", ms), ids
end

M.pre_send = { phases = { OPENING = true, CLOSING = true }, market_orders = true }
function M.pre_send.run(c, phase)
  local delay = c.rng(400, 1500)
  return faulted_point(c, phase, c.pair, function(v)
    return faults.pre_send_match(v), { type = "delay", ms = delay }
  end, delay * 0.8, "intent journalled, order held before sending")
end

-- `action` on the order of one venue of the pair, taken at random.
local function order_point(c, phase, action, window_ms, what)
  local venue = c.pair[c.rng(1, #c.pair)]
  return faulted_point(c, phase, { venue }, function(v) return faults.order_match(v), action end, window_ms, what)
end

M.in_flight = { phases = { OPENING = true, CLOSING = true } }
function M.in_flight.run(c, phase)
  local delay = c.rng(400, 1500)
  return order_point(c, phase, { type = "delay", ms = delay }, delay * 0.8, "order held at the venue, taken after the kill")
end

M.unanswered = { phases = { OPENING = true, CLOSING = true } }
function M.unanswered.run(c, phase)
  local hang = c.rng(1000, 3000)
  return order_point(c, phase, { type = "timeout_after_accept", hang_ms = hang }, hang * 0.5, "order filled, answer withheld")
end

M.after_fill = { phases = { OPENING = true, CLOSING = true } }
function M.after_fill.run(c, phase)
  local start = c.w.sim:call("GET", "/requests?limit=1").last_seq or 0
  local began = await_phase(c, phase, 0.005)
  if not began then return ("%s not reached in %d s"):format(phase, PHASE_TIMEOUT_S), {} end
  local deadline = hedge.mono_ms() + 10000
  while hedge.mono_ms() < deadline do
    for _, e in ipairs(c.w.sim:requests { kind = "http", method = "POST", since = start }) do
      -- Only an order of this phase (the log line and the simulator share the wall clock).
      if ORDER_OPS[e.op] and type(e.status) == "number" and e.wall_ms >= began.ts then
        local ms = c.uniform() * 15
        sleep_ms(ms)
        return ("%s order answered %d, killed %.0f ms later"):format(e.venue, e.status, ms), {}
      end
    end
    hedge.sleep(0.003)
  end
  return "no order answered within 10 s of " .. phase, {}
end

M.NAMES = { "state", "pre_send", "in_flight", "unanswered", "after_fill" }

-- The points that can fall in `phase` with this order style (pre_send needs market orders
-- when opening: aggressive limits are priced from the analysis' books, with no read between).
function M.applicable(phase, order_style)
  local out = {}
  for _, name in ipairs(M.NAMES) do
    local p = M[name]
    if p.phases[phase] and not (p.market_orders and phase == "OPENING" and order_style ~= "market") then
      out[#out + 1] = name
    end
  end
  return out
end

return M
