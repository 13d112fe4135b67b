-- What the crash campaign asserts about the world after a kill -9 and a restart: the venues as
-- the simulator holds them against the bot's journal (read-only), never what the bot says.
--
--   checks.judge(w)             -> "flat" | "hedged" | "naked: ..." | "doubled: ...", text of the positions
--   checks.settle(w, seconds)   -> verdict, text: waits for flat/hedged AND the journal agreeing
--   checks.kill_window(w, since)-> what the kill interrupted, from the open intents and the venues' request logs
--   checks.unresolved(w, ids)   -> the intents among ids still open in the journal
local hedge = require "hedge"
local D = require "hedge.decimal"

local M = {}

local FINAL = { filled = true, rejected = true, resolved = true }

-- The largest order the bot ever journalled per "venue symbol": a position beyond it is a
-- doubled hedge (two opens stacked, or a close that went the wrong way).
function M.largest_orders(j)
  local max = {}
  for _, i in ipairs(j.intents) do
    local key = i.venue .. " " .. i.symbol
    local size = D(i.size)
    if not max[key] or size > max[key] then max[key] = size end
  end
  return max
end

-- "flat", "hedged" or what is wrong with the venues' positions right now, and their text.
function M.judge(w, j)
  local by_symbol, text = w:exposure()
  j = j or assert(w:journal())
  local max = M.largest_orders(j)
  local verdict = "flat"
  for symbol, legs in pairs(by_symbol) do
    for _, leg in ipairs(legs) do
      local cap = max[leg.venue .. " " .. symbol]
      if not cap or leg.size:abs() > cap then return "doubled: " .. text, text end
    end
    if #legs ~= 2 or legs[1].size + legs[2].size ~= D("0") then return "naked: " .. text, text end
    if verdict == "hedged" then return "naked: two hedges at once: " .. text, text end
    verdict = "hedged"
  end
  return verdict, text, by_symbol
end

-- Whether the journal tells the same story as the venues: flat with no open hedge stored, or
-- hedged with the stored hedge naming exactly those legs (symbol, venues, sizes).
local function journal_agrees(j, verdict, by_symbol)
  local h = j.hedge
  if h and next(h) == nil then h = nil end
  if verdict == "flat" then return h == nil, "the journal still stores a hedge of " .. tostring(h and h.symbol) end
  for symbol, legs in pairs(by_symbol) do
    if not h then return false, "the venues hold a hedge the journal does not store" end
    local long = legs[1].size:sign() > 0 and legs[1] or legs[2]
    local short = long == legs[1] and legs[2] or legs[1]
    if h.symbol ~= symbol or h.long_venue ~= long.venue or h.short_venue ~= short.venue
      or D(tostring(h.long_size)) ~= long.size or D(tostring(h.short_size)) ~= -short.size then
      return false, ("the journal stores %s %s long %s / %s short %s"):format(tostring(h.symbol), tostring(h.long_venue),
        tostring(h.long_size), tostring(h.short_venue), tostring(h.short_size))
    end
  end
  return true
end

-- Waits (up to `timeout` s) until the venues are flat or one matched pair and the journal
-- agrees: an open or close in progress passes through one leg, and the journal is written a
-- moment after the venues move. Returns the verdict, the positions' text and, when the venues
-- are fine but the journal disagrees, why.
function M.settle(w, timeout)
  local deadline = hedge.mono_ms() + timeout * 1000
  local verdict, text, why
  repeat
    local j = assert(w:journal())
    local by_symbol
    verdict, text, by_symbol = M.judge(w, j)
    if verdict:match("^doubled") then return verdict, text end
    if verdict == "flat" or verdict == "hedged" then
      local agrees
      agrees, why = journal_agrees(j, verdict, by_symbol or {})
      if agrees then return verdict, text end
    end
    hedge.sleep(0.05)
  until hedge.mono_ms() > deadline
  if why and (verdict == "flat" or verdict == "hedged") then return "disagrees: " .. why, text end
  return verdict, text
end

-- What the kill interrupted, read while the bot is dead: every open intent, and whether its
-- order reached the venue (the simulator's request log since `since`).
--   {open = n, unsent = n (journalled, never sent), unanswered = n (at the venue, answer not
--    journalled), unsettled = n (answer journalled, fill not yet checked), ids = {...}}
function M.kill_window(w, since)
  local j = assert(w:journal())
  local out = { open = #j.open_intents, unsent = 0, unanswered = 0, unsettled = 0, ids = {}, state = j.state and j.state.state }
  for _, i in ipairs(j.open_intents) do
    out.ids[#out.ids + 1] = i.id
    local reached = #w:order_requests_for(i.venue, i.client_id, since) > 0
    if not reached then out.unsent = out.unsent + 1
    elseif i.status == "pending" or i.status == "unknown" then out.unanswered = out.unanswered + 1
    else out.unsettled = out.unsettled + 1 end
  end
  return out
end

-- The intents among `ids` the journal still holds open, as text ("" when none).
function M.unresolved(w, ids)
  local want = {}
  for _, id in ipairs(ids) do want[id] = true end
  local left = {}
  for _, i in ipairs(assert(w:journal()).intents) do
    if want[i.id] and not FINAL[i.status] then
      left[#left + 1] = ("#%d %s %s %s %s (%s)"):format(i.id, i.venue, i.purpose or "?", i.side, i.size, i.status)
    end
  end
  return table.concat(left, "; ")
end

return M
