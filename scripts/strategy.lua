-- The rotation bot: hedge scripts/strategy.lua [--config bot_config.json] [--env .env]
--
-- Goes long where funding is cheaper and short where it is dearer on two venues, holds for
-- hold_duration_hours, closes both legs and rotates (bot/machine.lua). Everything it does is
-- journalled in the state database, so a restart resumes; SIGINT/SIGTERM finish the current
-- step and leave positions as they are. Exit status 2 for configuration or secret errors.
local hedge = require "hedge"
local config_lib = require "lib.config"
local env = require "hedge.env"
local venues_lib = require "bot.venues"
local Journal = require "bot.journal"
local Machine = require "bot.machine"
local dashboard = require "bot.dashboard"

local function option(name, default)
  for i = 1, #arg do
    if arg[i] == name then
      if not arg[i + 1] then error({ exit_code = 2, msg = name .. " needs a value" }, 0) end
      return arg[i + 1]
    end
  end
  return default
end

local function fail(msg)
  error(setmetatable({ kind = "config", msg = msg, exit_code = 2 }, { __tostring = function(e) return e.msg end }), 0)
end

for i = 1, #arg do
  local a = arg[i]
  if a:sub(1, 2) == "--" and a ~= "--config" and a ~= "--env" and a ~= "--plain" and a ~= "--max-cycles" then
    fail("unknown option " .. a .. " (options: --config FILE, --env FILE, --plain, --max-cycles N)")
  end
end

local config_path = option("--config", "bot_config.json")
local cfg, err, report = config_lib.load(config_path)
if not cfg then error(err, 0) end
for _, d in ipairs(report and report.defaults or {}) do
  hedge.log.debug("bot", ("default: %s = %s"):format(d.path, tostring(d.value)))
end

local creds, cerr, notes = env.credentials(cfg, { file = option("--env", ".env") })
for _, n in ipairs(notes or {}) do hedge.log.info("bot", n) end
if not creds then error(cerr, 0) end

os.execute("mkdir -p " .. (cfg.log_file:match("^(.*)/[^/]*$") or "."))
local ok_log, log_err = hedge.log.open_file(cfg.log_file)
if not ok_log then fail("log_file " .. cfg.log_file .. ": " .. tostring(log_err)) end

-- Alerts (lib/alerts.lua) and the selection script (bot/selection.lua): a selection script that
-- fails to load is reported with its line and the built-in default ranks instead; an edited one
-- is picked up at the next cycle, and a broken edit keeps the previous one.
local alerts = require("lib.alerts").new(cfg.alerts)
local selection = require("bot.selection").new(cfg.selection_script, { alerts = alerts })
local stoploss, perr = venues_lib.load_module(cfg.stoploss_policy, { "percent", "check" }, "stoploss_policy")
if not stoploss then fail(perr) end

local venues, verr = venues_lib.build(cfg, creds)
if not venues then fail(verr) end

local journal, jerr = Journal.open(cfg.state_db)
if not journal then error("state database " .. cfg.state_db .. ": " .. tostring(jerr), 0) end

-- The status page, JSON and metrics (bot/status.lua) when status.listen is set; the funding
-- spread history it charts is recorded either way.
local status, serr = require("bot.status").new { config = cfg, journal = journal, venues = venues, alerts = alerts,
  env_file = option("--env", ".env") }
if not status then error(serr, 0) end

for i = 1, #arg do if arg[i] == "--plain" then dashboard.plain = true end end
hedge.trap_signals()
local machine = Machine.new {
  venues = venues, journal = journal, selection = selection, stoploss = stoploss, dashboard = dashboard, alerts = alerts,
  observer = status:observer(),
  load_config = function()
    if not cfg then return nil, "no configuration" end
    local fresh, rerr = config_lib.reload(config_path, cfg)
    if fresh then cfg = fresh end
    return cfg, rerr
  end,
}
-- --max-cycles N: stop after N completed cycles (demos and tests); otherwise run until a signal.
local max_cycles = tonumber(option("--max-cycles", nil) or "")
local completed = 0
if max_cycles then
  local add_cycle = journal.add_cycle
  journal.add_cycle = function(j, c) completed = completed + 1; return add_cycle(j, c) end
end
local started, start_err = status:start(machine)
if not started then error(start_err, 0) end
local outcome = machine:run(max_cycles and function(m) return completed >= max_cycles and m.state ~= "HOLDING" end or nil)
status:stop()
for _, client in pairs(venues) do if client.close then client:close() end end
journal:close()
alerts:flush(10)
hedge.log.info("bot", "exiting: " .. outcome)
if outcome == "halted" then hedge.exit(1) end
