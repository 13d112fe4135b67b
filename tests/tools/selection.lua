-- Selection scripts (scripts/select/README.md): the holder the bot ranks through
-- (bot/selection.lua) — a custom script changes the choice, an edit is picked up, a broken
-- script or edit is reported with its file and line and the previous one keeps ranking, bad
-- output is refused — and the two example scripts, on a snapshot from fake venues.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local selection = require "bot.selection"

hedge.log.set_level("off")

local config = { symbols_to_monitor = "*", leverage = 2, notional_per_position = 1000, hold_duration_hours = 24,
  min_net_apr_threshold = 5, min_volume_usd = 1000, max_spread_pct = 1, slippage_bps = 50, fees = { alpha = "0", beta = "0" } }

local a = Fake.new { name = "alpha", fee = "0", balance = "10000", markets = {
  { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.0005, spread = "0" },
  { symbol = "SOL", mark = "100", tick = "0.01", step = "0.1", rate_per_hour = 0.0002, spread = "0" },
  { symbol = "DOGE", mark = "0.2", tick = "0.0001", step = "1", rate_per_hour = 0.0009, spread = "0" } } }
local b = Fake.new { name = "beta", fee = "0", balance = "10000", markets = {
  { symbol = "ETH", mark = "2000", tick = "0.01", step = "0.001", rate_per_hour = 0.00001, spread = "0", interval_hours = 4 },
  { symbol = "SOL", mark = "100", tick = "0.01", step = "0.1", rate_per_hour = 0.00001, spread = "0" },
  { symbol = "DOGE", mark = "0.2", tick = "0.0001", step = "1", rate_per_hour = 0.00001, spread = "0" } } }
local snap = assert(analysis.run({ alpha = a, beta = b }, config))
local ctx = { plan = function(c) return sizing.plan(c, snap, config) end }

local function first_eligible(rows)
  for _, r in ipairs(rows) do if r.eligible then return r end end
end

-- the default picks DOGE (the widest spread); a custom script from the test folder picks SOL
local sel = selection.new("scripts/select/default.lua")
local cfg = setmetatable({ selection_script = "scripts/select/default.lua" }, { __index = config })
t.is(first_eligible(sel.rank(snap, cfg, ctx)).symbol, "DOGE", "the default ranks DOGE first")
cfg = setmetatable({ selection_script = "tests/tools/select/prefer_sol.lua" }, { __index = config })
local best = first_eligible(sel.rank(snap, cfg, ctx))
t.is(best and best.symbol, "SOL", "a custom script named in the configuration changes the choice to SOL")
t.is(sel.active_path, "tests/tools/select/prefer_sol.lua", "and is the active script")

-- an edit is picked up at the next ranking; a broken edit keeps the previous version
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local path = dir .. "/mine.lua"
local function write(text) local f = assert(io.open(path, "w")); f:write(text); f:close() end
local function pick_only(symbol)
  return ([[local default = require "select.default"
return { rank = function(snap, config, ctx)
  local rows = default.rank(snap, config, ctx)
  for _, r in ipairs(rows) do if r.symbol ~= "%s" then r.eligible, r.reason = false, "not %s" end end
  table.sort(rows, function(x, y) return x.eligible and not y.eligible end)
  return rows
end }
]]):format(symbol, symbol)
end
write(pick_only("ETH"))
cfg = setmetatable({ selection_script = path }, { __index = config })
t.is(first_eligible(sel.rank(snap, cfg, ctx)).symbol, "ETH", "my script picks ETH")
write(pick_only("DOGE"))
t.is(first_eligible(sel.rank(snap, cfg, ctx)).symbol, "DOGE", "after an edit it picks DOGE at the next ranking")
write("local x = \nreturn { rank = function( end }\n")
t.is(first_eligible(sel.rank(snap, cfg, ctx)).symbol, "DOGE", "a broken edit: the previous version keeps ranking")
t.like(sel.last_error, "^" .. path:gsub("%p", "%%%0") .. ":2: ", "the error names the file and line 2: " .. tostring(sel.last_error))

-- a script that does not load at start: reported with its line, the default ranks
local broken = selection.new("tests/tools/select/broken_syntax.lua")
t.is(broken.active_path, "scripts/select/default.lua", "a script with a syntax error leaves the default in force")
t.like(broken.last_error, "^tests/tools/select/broken_syntax%.lua:4: ", "reported with file and line 4: " .. tostring(broken.last_error))
cfg = setmetatable({ selection_script = "tests/tools/select/broken_syntax.lua" }, { __index = config })
t.is(first_eligible(broken.rank(snap, cfg, ctx)).symbol, "DOGE", "and the default's choice stands")

-- a rank that raises: the previous good script ranks this cycle
cfg = setmetatable({ selection_script = "tests/tools/select/prefer_sol.lua" }, { __index = config })
sel = selection.new("tests/tools/select/prefer_sol.lua")
t.is(first_eligible(sel.rank(snap, cfg, ctx)).symbol, "SOL", "prefer_sol ranks")
cfg = setmetatable({ selection_script = "tests/tools/select/broken_rank.lua" }, { __index = config })
local rows = sel.rank(snap, cfg, ctx)
t.like(sel.last_error, "^tests/tools/select/broken_rank%.lua:5: attempt to index", "a raising rank is named with file and line 5")
t.is(first_eligible(rows).symbol, "SOL", "and the last good script (prefer_sol) ranked instead")

-- output that is not rows
write('return { rank = function() return "DOGE" end }\n')
cfg = setmetatable({ selection_script = path }, { __index = config })
sel = selection.new(path)
rows = sel.rank(snap, cfg, ctx)
t.like(sel.last_error, "rank returned string, not a list of rows", "a string instead of rows is refused")
t.is(first_eligible(rows).symbol, "DOGE", "and the default ranks")
write('return { rank = function(snap) return { { symbol = "ETH", long_venue = "beta", short_venue = "alpha", eligible = true } } end }\n')
rows = sel.rank(snap, cfg, ctx)
t.like(sel.last_error, "row 1 is eligible but has no plan", "an eligible row without a size is refused")
write("return 42\n")
t.is(select(1, selection.load(path)), nil, "a file that does not return a table is not a script")
t.like(select(2, selection.load(path)), "must return a table with a rank function, returned number", "saying so")
os.execute("rm -rf " .. dir)

-- settlement_aware.lua
local sa = require "select.settlement_aware"
t.is(sa.settlements(10000, 3600000, 0, 3600000), 1, "one hourly settlement inside the first hour")
t.is(sa.settlements(10000, 3600000, 0, 8 * 3600000), 8, "eight in eight hours")
t.is(sa.settlements(4 * 3600000, 4 * 3600000, 3600000, 2 * 3600000), 0, "a 4-hourly settlement 3 h away is not in a 2 h hold")
t.is(sa.settlements(0, 3600000, 5400000, 3600000), 1, "a stale next time is moved forward")
cfg = setmetatable({ hold_duration_hours = 1 }, { __index = config })
rows = sa.rank(snap, cfg, ctx)
local eth
for _, r in ipairs(rows) do if r.symbol == "ETH" then eth = r end end
t.is(eth and eth.short_venue, "alpha", "ETH is long beta (4-hourly) / short alpha (hourly)")
t.is(eth and eth.settlements_short, 1, "the short leg settles once in a 1 h hold")
t.ok(eth and eth.settlements_long <= 1, "the 4-hourly long leg at most once")
cfg = setmetatable({ hold_duration_hours = 0.001 }, { __index = config })
rows = sa.rank(snap, cfg, ctx)
for _, r in ipairs(rows) do if r.symbol == "ETH" then eth = r end end
t.like(eth.reason or "", "does not settle within the 0%.001 h hold", "a hold that ends before the short leg settles is refused")

-- symbol_caps.lua
local caps = require "select.symbol_caps"
rows = caps.rank(snap, config, ctx)
local by = {}
for _, r in ipairs(rows) do by[r.symbol] = r end
t.like(by.DOGE.reason or "", "deny list", "DOGE is denied")
t.ok(by.ETH.eligible and by.ETH.plan.notional <= D("1500") and not by.ETH.capped,
  "ETH ($1000 from the configuration) is under its $1500 cap: left as it is")
caps.CAPS.SOL = "300"
rows = caps.rank(snap, config, ctx)
for _, r in ipairs(rows) do by[r.symbol] = r end
t.ok(by.SOL.plan and by.SOL.plan.notional <= D("300") and by.SOL.plan.notional > D("290"), "SOL is re-sized to its $300 cap: $" .. tostring(by.SOL.plan and by.SOL.plan.notional))
t.ok(by.SOL.capped == true, "and marked capped")
t.is(first_eligible(rows).symbol, "ETH", "with DOGE denied and SOL capped, ETH earns the most")

t.done()
