-- The operator tools' test world: the venue simulator with the bot's three-venue scenario
-- (tests/sim/scenarios/bot_default.json) on a stepped clock, a configuration and a .env for
-- its made-up accounts in a temporary folder, clients for those accounts, and a way to run a
-- tool as the operator would (a separate ./hedge process) and read what it printed.
--
--   package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
--   local W = require "lib.world"
--   local w = W.start{config = {...overrides...}}      -- w.sim, w.dir, w.config_path, w.env_path
--   local out, status = w:run("scripts/emergency_close.lua", {"--dry-run"}, {stdin = "y\n"})
--   local s = w:session()                              -- tools.session over the same files
--   w:stop()
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local simlib = require "lib.sim"

local W = {}
local World = {}
World.__index = World

local HEDGE_BIN = os.getenv("HEDGE_BIN") or "./hedge"

local write = files.write

local read = files.read
W.read, W.write = read, write

-- The configuration the tools get: all three venues on the simulator, every symbol, small
-- thresholds so that the scenario's candidates are visible; `overrides` replace keys (use
-- cjson.null in the table to drop one).
function W.config(addr, dir, overrides)
  local cfg = {
    comment = "written by tests/tools/lib/world.lua for the simulator; every account is made up",
    venues = {
      pacifica = { environment = "sim", rest_url = addr.pacifica.rest, ws_url = addr.pacifica.ws },
      lighter = { environment = "sim", rest_url = addr.lighter.rest, ws_url = addr.lighter.ws },
      edgex = { environment = "sim", rest_url = addr.edgex.host, ws_url = addr.edgex.ws, api_version = "v2" },
    },
    symbols_to_monitor = "*", leverage = 3, notional_per_position = "500",
    hold_duration_hours = 8, wait_between_cycles_minutes = 5, check_interval_seconds = 2,
    min_net_apr_threshold = 5, min_volume_usd = 50000000, max_spread_pct = 0.15,
    liquidation_check_grace_period_seconds = 5, fill_wait_seconds = 4, reconcile_seconds = 2,
    state_db = dir .. "/state/hedge.db", log_file = dir .. "/logs/hedge.log",
  }
  for k, v in pairs(overrides or {}) do
    if v == cjson.null then cfg[k] = nil else cfg[k] = v end
  end
  return cfg
end

-- W.start{config = overrides, scenario = path | table, clock = "stepped"} -> world
function W.start(opts)
  opts = opts or {}
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir) == 0, "cannot make " .. dir)
  local sim = simlib.start { scenario = opts.scenario or "tests/sim/scenarios/bot_default.json", clock = opts.clock or "stepped" }
  local w = setmetatable({ sim = sim, dir = dir, config_path = dir .. "/bot_config.json", env_path = dir .. "/.env" }, World)
  w:write_config(opts.config)
  write(w.env_path, assert(read(".env.example"), "no .env.example"))
  return w
end

function World:write_config(overrides)
  self.config = W.config(self.sim.addr, self.dir, overrides)
  write(self.config_path, cjson.encode(self.config))
end

function World:session(opts)
  local session = require "tools.session"
  opts = opts or {}
  return session.open { config = self.config_path, env = self.env_path, only = opts.only, strict = opts.strict }
end

-- Runs a script with ./hedge the way an operator would: its own process, --config and --env
-- added, stdout and stderr together. opts.stdin: text written to its stdin (then closed).
-- -> output, exit status
function World:run(script, argv, opts)
  opts = opts or {}
  local a = { script }
  for _, x in ipairs(argv or {}) do a[#a + 1] = x end
  if not opts.no_config then
    a[#a + 1], a[#a + 2] = "--config", self.config_path
    a[#a + 1], a[#a + 2] = "--env", self.env_path
  end
  local quoted = {}
  for i, x in ipairs(a) do quoted[i] = "'" .. x:gsub("'", "'\\''") .. "'" end
  local env = opts.env and (opts.env .. " ") or ""
  local cmd = ("cd %s && %sexec '%s' %s 2>&1"):format(opts.cwd or ".", env, HEDGE_BIN, table.concat(quoted, " "))
  local p = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c", cmd } })
  if opts.stdin then p:write(opts.stdin) end
  p:close_stdin()
  local lines = {}
  while true do
    local line = p:read_line(opts.timeout or 90)
    if not line then break end
    lines[#lines + 1] = line
  end
  local status = p:wait(10)
  return table.concat(lines, "\n"), status
end

-- The simulator's account of a venue for the made-up keys (the first account of each venue).
local ACCOUNT = { pacifica = "Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ", lighter = "281", edgex = "710000000000000001" }
W.ACCOUNT = ACCOUNT

function World:account(venue) return self.sim:account(venue, ACCOUNT[venue]) end

-- Non-zero positions of the test account on a venue: {symbol = signed size text}.
function World:positions(venue)
  local a = self:account(venue)
  local out = {}
  for _, p in ipairs(a and a.positions or {}) do
    if p.size and p.size ~= "0" and not tostring(p.size):match("^%-?0%.?0*$") then out[p.symbol] = tostring(p.size) end
  end
  return out
end

function World:open_orders(venue)
  local a = self:account(venue)
  return a and a.open_orders or {}
end

function World:stop()
  self.sim:stop()
  os.execute("rm -rf " .. self.dir)
end

return W
