-- The crash campaign's tallies and its summary (TAP diag and artefacts/crash_campaign.txt),
-- and the checks of the cycles completed across the kills.
local M = {}
local Stats = {}
Stats.__index = Stats

function M.new(seed, kills)
  return setmetatable({ seed = seed, planned = kills, kills = 0, phase = {}, point = {}, pair = {}, style = {},
    fault = {}, faults_armed = 0, faults_kept = 0, restart_fault = {}, restart_faults = 0, outcome = {}, retried = 0, verdicts = {},
    windows = { unsent = 0, unsent_intents = 0, unanswered = 0, unanswered_intents = 0, unsettled = 0, unsettled_intents = 0 },
    fallbacks = {}, violations = 0 }, Stats)
end

local function bump(t, k) t[k] = (t[k] or 0) + 1 end

-- One kill: {phase (journalled state at the kill), target, point, pair, style, fault, kept, restart_fault, window, detail}
function Stats:kill(k)
  self.kills = self.kills + 1
  bump(self.phase, k.phase or "?")
  bump(self.point, k.point)
  local names = { k.pair[1], k.pair[2] }
  table.sort(names)
  bump(self.pair, names[1] .. "+" .. names[2])
  bump(self.style, k.style)
  if k.fault then
    self.faults_armed = self.faults_armed + 1
    bump(self.fault, k.fault.type)
    if k.kept then self.faults_kept = self.faults_kept + 1 end
  end
  if k.restart_fault then
    self.restart_faults = self.restart_faults + 1
    bump(self.restart_fault, k.restart_fault.type)
  end
  for _, w in ipairs { "unsent", "unanswered", "unsettled" } do
    if k.window[w] > 0 then
      self.windows[w] = self.windows[w] + 1
      self.windows[w .. "_intents"] = self.windows[w .. "_intents"] + k.window[w]
    end
  end
  if k.detail:find("not reached") or k.detail:find("no order answered") or k.detail:find("no venue") then
    self.fallbacks[#self.fallbacks + 1] = ("kill %d: %s"):format(self.kills, k.detail)
  end
end

-- The recovery outcome after a restart, by kind.
local OUTCOMES = {
  { "adopted the pair its interrupted open left", "adopted an interrupted open" },
  { "interrupted open left legs that differ", "closing an interrupted open's unequal legs" },
  { "interrupted close of", "finishing an interrupted close" },
  { "adopted the stored hedge", "adopted the stored hedge" },
  { "adopted a hedged pair", "adopted an unknown pair" },
  { "naked leg", "closed a naked leg" },
  { "legs differ", "closing legs that differ" },
  { "no longer open anywhere", "stored hedge gone: flat" },
  { "flat on every venue", "flat" },
}
function Stats:recovery(msg, failed_before)
  local kind = "other: " .. msg:sub(1, 60)
  for _, o in ipairs(OUTCOMES) do
    if msg:find(o[1], 1, true) then kind = o[2]; break end
  end
  bump(self.outcome, kind)
  if failed_before > 0 then self.retried = self.retried + 1 end
end

function Stats:verdict(v) bump(self.verdicts, v) end

local function list(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = ("%s %d"):format(k, t[k]) end
  return #parts > 0 and table.concat(parts, ", ") or "none"
end

function Stats:summary(fault_log)
  local applied = {}
  for _, e in ipairs(fault_log or {}) do bump(applied, e.action and e.action.type or "?") end
  local wdw = self.windows
  local lines = {
    ("crash campaign: seed %d, %d of %d kills, violations %d"):format(self.seed, self.kills, self.planned, self.violations),
    "kills per phase (journalled state at the kill): " .. list(self.phase),
    "kills per point: " .. list(self.point),
    "kills per pair: " .. list(self.pair),
    "order style before the kill: " .. list(self.style),
    ("windows hit: intent journalled, order never sent: %d kills (%d intents); order at the venue, answer not journalled: %d kills (%d intents); answered, fill not yet checked: %d kills (%d intents)"):format(
      wdw.unsent, wdw.unsent_intents, wdw.unanswered, wdw.unanswered_intents, wdw.unsettled, wdw.unsettled_intents),
    ("faults armed before kills: %d (%s), %d kept into the restart"):format(self.faults_armed, list(self.fault), self.faults_kept),
    ("faults armed for the restart's recovery: %d (%s)"):format(self.restart_faults, list(self.restart_fault)),
    "fault applications (simulator fault log, campaign and kill points): " .. list(applied),
    "recovery outcomes: " .. list(self.outcome) .. (", %d after a failed first try"):format(self.retried),
    "venues after settling: " .. list(self.verdicts),
  }
  if self.cycles then lines[#lines + 1] = self.cycles end
  if #self.fallbacks > 0 then
    lines[#lines + 1] = ("kill points not reached (killed anyway): %d"):format(#self.fallbacks)
    for _, f in ipairs(self.fallbacks) do lines[#lines + 1] = "  " .. f end
  end
  lines[#lines + 1] = ("violations: %d"):format(self.violations)
  return table.concat(lines, "\n")
end

-- The cycles completed across the kills: strategy time goes on across restarts (the scaled
-- clock's anchor is journalled), so every rotation held its 6 h, and the strategy time between
-- a cycle's open and close is the real time between them times the scale, however many
-- restarts fell in between. Real time is read where the strategy time was taken: the "opened"
-- event (the open time is taken right after it) and the cycle row's insertion (right after its
-- close time is taken), so slow reads in between (faults, a loaded machine) count on both sides.
function M.cycles(t, stats, j, scale)
  local cycles = #j.cycles
  -- A short run (HEDGE_KILLS below 6) may end before two cycles or an adoption.
  local enough = stats.kills >= 6
  if enough then t.cmp(cycles, ">=", 2, ("%d cycles completed across the kills"):format(cycles)) end
  local opened_at = {}
  for _, e in ipairs(j.events) do
    if e.kind == "opened" and e.cycle then opened_at[e.cycle] = e.at_ms end
  end
  local reasons = {}
  for _, c in ipairs(j.cycles) do
    bump(reasons, c.close_reason)
    local h = (c.closed_at_ms - c.opened_at_ms) / 3600000
    if c.close_reason == "rotation" then
      t.cmp(h, ">=", 6, ("cycle %d (%s/%s) held %.2f h for a 6 h hold"):format(c.cycle, c.long_venue, c.short_venue, h))
    end
    local o = opened_at[c.cycle]
    if o and c.created_at_ms then
      local wall_h = (c.created_at_ms - o) * scale / 3600000
      t.cmp(math.abs(h - wall_h), "<", 1.5, ("cycle %d: %.2f h of strategy time for %.2f h of scaled real time"):format(c.cycle, h, wall_h))
    end
  end
  stats.cycles = ("cycles completed: %d (close reasons: %s)"):format(cycles, list(reasons))
  -- No lost record: every cycle that held a hedge (opened, or adopted by a restart) has its
  -- cycle row with its PnL, but the one still held at the end.
  local recorded, lost = {}, {}
  for _, c in ipairs(j.cycles) do recorded[c.cycle] = true end
  local held_now = j.hedge and j.hedge.cycle
  for _, e in ipairs(j.events) do
    if (e.kind == "opened" or e.kind == "adopted") and e.cycle and not recorded[e.cycle] and e.cycle ~= held_now then
      recorded[e.cycle] = true
      lost[#lost + 1] = tostring(e.cycle)
    end
  end
  t.is(table.concat(lost, ", "), "", "every cycle that held a hedge has its cycle record (none lost to a kill)")
  local adopted = stats.outcome["adopted the stored hedge"] or 0
  if enough then t.cmp(adopted, ">=", 1, ("%d restarts adopted the stored hedge"):format(adopted)) end
end

return M
