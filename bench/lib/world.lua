-- The world the end-to-end benchmarks (bench/*.lua) run in: the venue simulator with a
-- scenario, a configuration pointing the three venues at it, the simulator's made-up keys
-- (.env.example) read by hedge.env, and the clients the bot would build (bot/venues.lua:
-- lib.config.client_options, then venues.<name>.new).
--
--   local world = require("lib.world").start{scenario = "tests/sim/scenarios/demo.json" | table,
--     clock = "real", config = {extra keys}, venues = {"lighter", ...},
--     client_options = {edgex = {rate_limits = ...}}}
--   world.sim (tests/lua/lib/sim.lua), world.cfg, world.creds, world.venues = {name = client}
--   world:stop()
package.path = "bench/?.lua;scripts/?.lua;tests/lua/?.lua;" .. package.path
local cjson = require "cjson"

local M = {}

-- Percentile (0..100) of a list of numbers, nearest rank.
function M.percentile(values, p)
  local sorted = {}
  for i, v in ipairs(values) do sorted[i] = v end
  table.sort(sorted)
  if #sorted == 0 then return nil end
  local rank = math.max(1, math.ceil(p / 100 * #sorted))
  return sorted[rank]
end

function M.start(opts)
  opts = opts or {}
  local Sim = require "lib.sim"
  local config = require "lib.config"
  local env = require "hedge.env"

  local sim = Sim.start { scenario = opts.scenario or "tests/sim/scenarios/demo.json", clock = opts.clock or "real" }
  local a = sim.addr
  local raw = {
    comment = "bench world: every account is the simulator's, made up",
    venues = {
      pacifica = { environment = "sim", rest_url = a.pacifica.rest, ws_url = a.pacifica.ws },
      lighter = { environment = "sim", rest_url = a.lighter.rest, ws_url = a.lighter.ws },
      edgex = { environment = "sim", rest_url = a.edgex.host, ws_url = a.edgex.ws, api_version = "v2" },
    },
    symbols_to_monitor = "*", leverage = 3, notional_per_position = "500",
  }
  for k, v in pairs(opts.config or {}) do raw[k] = v end
  if opts.venues then
    for name in pairs(raw.venues) do
      local keep = false
      for _, n in ipairs(opts.venues) do keep = keep or n == name end
      if not keep then raw.venues[name] = nil end
    end
  end
  local cfg, err = config.parse(cjson.encode(raw), "bench config")
  if not cfg then sim:stop(); error(tostring(err), 2) end
  local creds, cerr = env.credentials(cfg, { file = ".env.example", getenv = {} })
  if not creds then sim:stop(); error(tostring(cerr), 2) end
  -- The bot's clients (bot/venues.lua), with extra options per venue when a bench needs them.
  local venues, verr = {}, nil
  for name in pairs(cfg.venues) do
    local o, oerr = config.client_options(cfg, name, creds[name])
    if not o then verr = oerr; break end
    for k, v in pairs(opts.client_options and opts.client_options[name] or {}) do o[k] = v end
    local client, cerr2 = require("venues." .. name).new(o)
    if not client then verr = ("venue %s: %s"):format(name, tostring(cerr2)); break end
    venues[name] = client
  end
  if verr then sim:stop(); error(tostring(verr), 2) end
  local world = { sim = sim, cfg = cfg, creds = creds, venues = venues }
  function world.stop(self)
    for _, client in pairs(self.venues) do if client.close then client:close() end end
    self.sim:stop()
  end
  return world
end

return M
