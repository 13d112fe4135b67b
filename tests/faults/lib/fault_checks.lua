-- The end state of a fault-matrix cell, judged from outside the bot: the simulator's positions,
-- resting orders and request log, and the bot's state database opened read-only.
--
--   checks.observe(world)                   -> obs {state, shape, text, open_intents, orders, legs}
--   checks.settled(plan, obs, baseline)     -> {settled = bool, why}
--   checks.final(world, plan, baseline)     -> list of problems (empty when the cell holds)
--
-- Settled means: hedged (both legs present, equal size, opposite sides) or flat, nothing resting,
-- every order intent resolved, and the bot in the state that goes with it (HOLDING with the hedge,
-- WAITING or IDLE when flat). What each phase must end in:
--   open   hedged or flat (the opening went through, or failed and was unwound)
--   hold   still the hedge it held before the fault (a passing read fault must not close it)
--   close  flat (the close finished)
-- ERROR is never settled: a cell that ends there fails (no fault of the matrix is permanent).
local D = require "hedge.decimal"

local M = {}

local ZERO = D("0")

function M.observe(w)
  local by_symbol, text, pos = w:exposure()
  local obs = { text = text, orders = 0, legs = {} }
  for _, list in pairs(pos.orders) do obs.orders = obs.orders + #list end
  local symbols, legs = 0, nil
  for symbol, list in pairs(by_symbol) do symbols, legs = symbols + 1, list; obs.symbol = symbol end
  if symbols == 0 then
    obs.shape = "flat"
  elseif symbols == 1 and #legs == 2 and legs[1].venue ~= legs[2].venue
      and legs[1].size + legs[2].size == ZERO and legs[1].size ~= ZERO then
    obs.shape = "hedged"
    for _, l in ipairs(legs) do obs.legs[l.venue] = l.size end
  else
    obs.shape = "naked"
  end
  local j = w:journal()
  if j then
    obs.state = j.state and j.state.state
    obs.last_error = j.state and j.state.last_error
    obs.open_intents = #(j.open_intents or {})
    obs.journal = j
  else
    obs.state, obs.open_intents = "no database", 0
  end
  return obs
end

local function same_legs(a, b)
  for venue, size in pairs(a.legs) do
    if b.legs[venue] ~= size then return false end
  end
  for venue in pairs(b.legs) do
    if a.legs[venue] == nil then return false end
  end
  return true
end

function M.settled(plan, obs, baseline)
  local function no(why) return { settled = false, why = why } end
  local where = ("%s, bot %s"):format(obs.text, tostring(obs.state))
  if obs.state == "ERROR" or obs.state == "HALTED" then
    return no(("the bot is in %s (%s) with %s"):format(obs.state, tostring(obs.last_error), obs.text))
  end
  if obs.open_intents > 0 then return no(obs.open_intents .. " order intent(s) unresolved; " .. where) end
  if obs.orders > 0 then return no(obs.orders .. " order(s) resting; " .. where) end
  if obs.shape == "naked" then return no("not hedged: " .. where) end
  local flat_ok = obs.shape == "flat" and (obs.state == "WAITING" or obs.state == "IDLE")
  local hedged_ok = obs.shape == "hedged" and obs.state == "HOLDING"
  if plan.phase == "open" then
    if flat_ok or hedged_ok then return { settled = true } end
  elseif plan.phase == "hold" then
    if hedged_ok and same_legs(obs, baseline) then return { settled = true } end
    if obs.shape == "flat" then return no("a passing read fault closed the hedge: " .. where) end
  elseif plan.phase == "close" then
    if flat_ok then return { settled = true } end
  end
  return no(where)
end

-- ---- duplicates, from the simulator's request log ----------------------------------------------

local function url_decode(s)
  return (s:gsub("+", " "):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- The client id and reduce-only flag of an order request as the venue took it.
local function order_fields(venue, body)
  if venue == "lighter" then
    local text = url_decode(body or "")
    return text:match('"ClientOrderIndex":(%d+)'), text:match('"ReduceOnly":(%d)') == "1"
  elseif venue == "pacifica" then
    return body:match('"client_order_id":"([^"]+)"'), body:match('"reduce_only":(%a+)') == "true"
  else
    return body:match('"clientOrderId":"([^"]+)"'), body:match('"reduceOnly":(%a+)') == "true"
  end
end

local function id_text(v)
  if type(v) == "number" then return ("%.0f"):format(v) end
  return tostring(v)
end

-- Problems with the orders the venues accepted: a client id with two different venue orders,
-- or more opening orders on a venue than the bot made opening attempts.
function M.duplicates(w, plan, journal)
  local problems = {}
  local attempts = 0
  for _, e in ipairs(journal.events or {}) do
    if e.kind == "open_sent" then attempts = attempts + 1 end
  end
  for _, venue in ipairs { plan.venue, plan.partner } do
    local by_client, openings = {}, {}
    for _, e in ipairs(w:order_requests(venue)) do
      if e.order_id ~= nil then    -- the venue processed it (also when the answer was lost)
        local cid, reduce_only = order_fields(venue, e.body or "")
        if not cid then
          problems[#problems + 1] = ("%s: an accepted order without a readable client id"):format(venue)
        else
          local oid = id_text(e.order_id)
          by_client[cid] = by_client[cid] or {}
          by_client[cid][oid] = true
          if not reduce_only then openings[oid] = true end
        end
      end
    end
    for cid, orders in pairs(by_client) do
      local n = 0
      for _ in pairs(orders) do n = n + 1 end
      if n > 1 then problems[#problems + 1] = ("%s accepted client id %s twice (%d orders)"):format(venue, cid, n) end
    end
    local n = 0
    for _ in pairs(openings) do n = n + 1 end
    if n > attempts then
      problems[#problems + 1] = ("%s accepted %d opening orders for %d opening attempt(s)"):format(venue, n, attempts)
    end
  end
  return problems
end

-- ---- the journal against the venues ----------------------------------------------------------

local function stored_agrees(obs)
  local j = obs.journal
  local h = j.hedge
  if obs.shape == "flat" then
    if h then return ("the journal still holds a %s hedge while the venues are flat"):format(tostring(h.symbol)) end
    return nil
  end
  if not h then return "the venues hold " .. obs.text .. " but the journal has no hedge" end
  local long = obs.legs[h.long_venue]
  local short = obs.legs[h.short_venue]
  if h.symbol ~= obs.symbol or not long or not short then
    return ("the journal's hedge (%s long %s / short %s) is not what the venues hold (%s)"):format(
      tostring(h.symbol), tostring(h.long_venue), tostring(h.short_venue), obs.text)
  end
  if D(tostring(h.long_size)) ~= long or D(tostring(h.short_size)) ~= -short then
    return ("the journal's sizes (%s / %s) differ from the venues' (%s)"):format(
      tostring(h.long_size), tostring(h.short_size), obs.text)
  end
  return nil
end

function M.final(w, plan, baseline)
  local problems = {}
  local obs = M.observe(w)
  local verdict = M.settled(plan, obs, baseline)
  if not verdict.settled then problems[#problems + 1] = "after the bot stopped: " .. verdict.why end
  if not obs.journal then
    problems[#problems + 1] = "no state database to check"
    return problems
  end
  if obs.open_intents > 0 then problems[#problems + 1] = obs.open_intents .. " order intent(s) left unresolved" end
  local disagree = stored_agrees(obs)
  if disagree then problems[#problems + 1] = disagree end
  local integrity = w:integrity()
  if integrity ~= "ok" then problems[#problems + 1] = "PRAGMA integrity_check: " .. integrity end
  for _, p in ipairs(M.duplicates(w, plan, obs.journal)) do problems[#problems + 1] = p end
  return problems
end

M.order_fields = order_fields
return M
