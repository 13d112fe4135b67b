-- The fault matrix (issue 10): for each venue a fault hits, each phase of a hedge (open, hold,
-- close) and each fault, the real bot against the simulator, and the end state asserted (hedged
-- or flat within 60 simulated seconds after the fault ended, the journal consistent, no order
-- accepted twice). See lib/fault_cells.lua for what each cell arms, lib/fault_run.lua for how a
-- cell runs, lib/fault_checks.lua for what it asserts.
--
--   ./hedge tests/faults/matrix.lua                       the CI subset (make test)
--   HEDGE_FAULTS=full ./hedge tests/faults/matrix.lua     every cell (make faults)
--   HEDGE_FAULTS=lighter:open:delay ./hedge tests/faults/matrix.lua    one cell (replay; a
--                                                         comma list runs several)
--   HEDGE_FAULTS_KEEP=1 keeps every cell's files (bot log, database) in /tmp, not only a failing
--   one's; HEDGE_FAULT_JOBS=N runs N cells at a time (CI subset 1, otherwise 2).
-- Prints TAP (one test per cell; N/A cells are skips with their reason), the matrix as diag
-- lines, and writes it to $TEST_BUILD/artefacts/fault_matrix.txt.
package.path = "tests/faults/?.lua;tests/bot/?.lua;tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local cells = require "lib.fault_cells"
local run = require "lib.fault_run"
local report = require "lib.fault_report"


local function selection()
  local want = os.getenv("HEDGE_FAULTS") or ""
  if want == "" or want == "ci" then return cells.CI, "CI subset" end
  if want == "full" then
    local out = {}
    for _, c in ipairs(cells.all()) do out[#out + 1] = report.key(c.venue, c.phase, c.fault) end
    return out, "full matrix"
  end
  local out = {}
  for item in want:gmatch("[^,%s]+") do out[#out + 1] = item end
  return out, "selected cells"
end

local function known(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

local keys, what = selection()
-- The CI subset runs one cell at a time: make test already runs two tests at once on two cores,
-- and the suite's timing tests (leg skew, stream gaps) must not starve. Campaigns run two.
local JOBS = tonumber(os.getenv("HEDGE_FAULT_JOBS") or (what == "CI subset" and "1" or "2"))
local plans = {}
for _, k in ipairs(keys) do
  local v, p, f = k:match("^([^:]+):([^:]+):(.+)$")
  if not (v and known(cells.VENUES, v) and known(cells.PHASES, p) and known(cells.FAULTS, f)) then
    io.write(("Bail out! HEDGE_FAULTS: %q is not venue:phase:fault (venues %s; phases %s; faults %s)\n"):format(
      k, table.concat(cells.VENUES, ","), table.concat(cells.PHASES, ","), table.concat(cells.FAULTS, ",")))
    os.exit(2)
  end
  local plan = cells.plan(v, p, f)
  plan.key = k
  plans[#plans + 1] = plan
end

io.write("1..", #plans, "\n")
io.flush()
local results, n, next_index = {}, 0, 1
local started = hedge.mono_ms()

local function report_one(plan, r)
  n = n + 1
  results[plan.key] = r
  local head = ("%s %d - %s"):format(r.status == "FAIL" and "not ok" or "ok", n, plan.key)
  if r.status == "N/A" then
    io.write(head, " # skip N/A: ", r.reason, "\n")
  elseif r.status == "PASS" then
    io.write(("%s: end state held %.0f simulated s after the fault ended (%s; fault hit %s %d time(s); %.1f s wall)\n"):format(
      head, r.settle_s or 0, r.reason or "", r.hit or "?", r.applied or 0, r.wall_s or 0))
  else
    io.write(head, "\n# ", (r.reason or ""):gsub("\n", "\n# "), "\n")
  end
  if r.kept then io.write("# the cell's files are kept in ", r.kept, "\n") end
  io.flush()
end

-- JOBS workers take the next cell until none is left (two at a time by default).
local function worker()
  while next_index <= #plans do
    local plan = plans[next_index]
    next_index = next_index + 1
    local r
    if plan.na then
      r = { status = "N/A", reason = plan.na }
    else
      r = run.cell(plan)
    end
    report_one(plan, r)
  end
  return true
end
local workers = {}
for i = 1, math.max(1, JOBS) do workers[i] = worker end
hedge.parallel(unpack(workers))

local header = ("fault matrix (%s, %d cells, %.0f s wall, scale %dx, %s)"):format(what, #plans,
  (hedge.mono_ms() - started) / 1000, run.SCALE, os.date("!%Y-%m-%d %H:%M UTC"))
local lines = report.render(results, header)
for _, l in ipairs(lines) do io.write("# ", l, "\n") end
local dir = (os.getenv("TEST_BUILD") or "build/release") .. "/artefacts"
os.execute("mkdir -p '" .. dir .. "'")
local f = io.open(dir .. "/fault_matrix.txt", "wb")
if f then
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
end
