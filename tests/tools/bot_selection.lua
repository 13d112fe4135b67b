-- The real bot against the simulator (three venues, tests/sim/scenarios/bot_default.json) with
-- different selection scripts: the default opens ETH long Lighter / short Pacifica; a custom
-- script from the test folder makes it open SOL instead; a script with a syntax error is
-- reported with its file and line and the default's choice (ETH) stands.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local t = require "lib.tap"
local W = require "lib.world"
local store = require "hedge.store"

-- A 48 h hold makes the ETH spread worth its costs for the default script.
local w = W.start { config = { hold_duration_hours = 48, wait_between_cycles_minutes = 60 } }

local function journal_hedge()
  local db = store.open(w.config.state_db, { read_only = true })
  if not db then return nil end
  local ok, h = pcall(db.hedge_get, db)
  db:close()
  return ok and h or nil
end

-- Runs the bot until it holds a hedge; returns that hedge and the bot's output.
local function bot_choice(selection_script)
  os.execute(("rm -rf '%s/state'"):format(w.dir))
  w:write_config { hold_duration_hours = 48, wait_between_cycles_minutes = 60, selection_script = selection_script }
  local out_path = w.dir .. "/bot.out"
  local bot = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c",
    ("exec '%s' scripts/strategy.lua --config '%s' --env '%s' --plain > '%s' 2>&1"):format(os.getenv("HEDGE_BIN") or "./hedge",
      w.config_path, w.env_path, out_path) } })
  local h
  local ok = pcall(function()
    h = w.sim:wait_for(function() local x = journal_hedge(); return x and x.status == "open" and x end, 40, "the bot to hold a hedge")
  end)
  bot:kill(15)
  bot:wait(20)
  local out = W.read(out_path) or ""
  local _, status = w:run("scripts/emergency_close.lua", { "--force" })
  if status ~= 0 then t.diag("emergency close after the run failed") end
  return ok and h or nil, out
end

local h, out = bot_choice("scripts/select/default.lua")
t.is(h and (h.symbol .. " " .. h.long_venue .. "/" .. h.short_venue), "ETH lighter/pacifica", "the default script opens ETH long lighter / short pacifica")

h, out = bot_choice("tests/tools/select/prefer_sol.lua")
t.is(h and h.symbol, "SOL", "a custom selection script from the test folder makes the bot open SOL")
t.like(out, "selection script: ranking with tests/tools/select/prefer_sol%.lua", "the bot says which script ranks")

h, out = bot_choice("tests/tools/select/broken_syntax.lua")
t.like(out, "selection script: tests/tools/select/broken_syntax%.lua:4: .- — ranking with scripts/select/default%.lua",
  "a broken script is reported with its file and line, and the default ranks")
t.is(h and (h.symbol .. " " .. h.long_venue .. "/" .. h.short_venue), "ETH lighter/pacifica", "the default's choice stands")
t.ok(next(w:positions("lighter")) == nil and next(w:positions("pacifica")) == nil and next(w:positions("edgex")) == nil,
  "every account is flat at the end")

w:stop()
t.done()
