-- `make demo`: the rotation bot against the local venue simulator, all three venues, on a
-- fast clock, for a few full cycles (about two minutes), with the live dashboard.
--   hedge scripts/demo.lua [--cycles N] [--minutes M] [--plain] [--status LISTEN]
-- --status 8080 (or 127.0.0.1:8080) also serves the live status page and /metrics there.
-- It starts tests/sim/sim.mjs with scenarios/demo.json, writes a configuration and a
-- .env for the simulator's made-up accounts under demo/, and runs scripts/strategy.lua there.
local hedge = require "hedge"
local cjson = require "cjson"

local cycles, plain, minutes, status_listen = "3", false, 4, nil
for i = 1, #arg do
  if arg[i] == "--status" then status_listen = assert(arg[i + 1], "--status needs a port or IP:PORT") end
  if arg[i] == "--cycles" then cycles = assert(arg[i + 1], "--cycles needs a number") end
  if arg[i] == "--minutes" then minutes = assert(tonumber(arg[i + 1]), "--minutes needs a number") end
  if arg[i] == "--plain" then plain = true end
end

-- The simulator's clock runs SCALE times faster and so does the bot's strategy time
-- (time_scale), so a 24-hour hold takes 30 seconds.
local SCALE = 2880
local sim = assert(hedge.process.spawn { cmd = "node", args = { "tests/sim/sim.mjs", "--scenario",
  "tests/sim/scenarios/demo.json", "--clock", "scaled:" .. SCALE } })
local line = sim:read_line(30)
if not line then error("the simulator did not start (run `make sim-deps` first)", 0) end
local addr = cjson.decode(line)

os.execute("mkdir -p demo && rm -f demo/hedge.db demo/hedge.db-wal demo/hedge.db-shm demo/hedge.db.lock")
local config = {
  comment = "Written by scripts/demo.lua for the local simulator; every account in it is made up.",
  venues = {
    pacifica = { environment = "sim", rest_url = addr.pacifica.rest, ws_url = addr.pacifica.ws },
    lighter = { environment = "sim", rest_url = addr.lighter.rest, ws_url = addr.lighter.ws },
    edgex = { environment = "sim", rest_url = addr.edgex.host, ws_url = addr.edgex.ws, api_version = "v2" },
  },
  symbols_to_monitor = "*", leverage = 3, notional_per_position = "500",
  hold_duration_hours = 24, wait_between_cycles_minutes = 60, check_interval_seconds = 600, time_scale = SCALE,
  min_net_apr_threshold = 5, min_volume_usd = 50000000, max_spread_pct = 0.15,
  liquidation_check_grace_period_seconds = 1800, state_db = "demo/hedge.db", log_file = "demo/hedge.log",
  status = status_listen and { listen = status_listen } or nil,
}
local f = assert(io.open("demo/bot_config.json", "w"))
f:write(cjson.encode(config))
f:close()
-- The simulator's made-up keys (the same as .env.example).
local src = assert(io.open(".env.example"))
local env = src:read("*a")
src:close()
f = assert(io.open("demo/.env", "w"))
f:write(env)
f:close()
-- Keys files are private (the bot warns about a .env others can read), even with made-up keys.
os.execute("chmod 600 demo/.env")

print(("simulator up (control %s); the bot trades on it for %s cycles — Ctrl-C stops it cleanly"):format(addr.control, cycles))
arg = { [0] = "scripts/strategy.lua", "--config", "demo/bot_config.json", "--env", "demo/.env", "--max-cycles", cycles }
if plain then arg[#arg + 1] = "--plain" end
-- A time limit in real minutes, so the demo always ends: the bot stops as after Ctrl-C.
local limit = hedge.spawn(function() hedge.sleep(minutes * 60); hedge.request_stop() end)
local chunk = assert(loadfile("scripts/strategy.lua"))
chunk()
limit:cancel()
sim:kill()
sim:wait(5)
print("demo done: the journal is in demo/hedge.db (hedge scripts/state.lua --db demo/hedge.db)")
