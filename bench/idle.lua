-- The bot at rest: memory and CPU of `hedge scripts/strategy.lua` while it holds a hedge, for
-- 10 minutes of simulated time. The simulator and the bot run SCALE times faster than real
-- time (the bot's time_scale), so the window is 600 / SCALE real seconds and the bot's periodic
-- work (position checks, funding reads) happens SCALE times as often as in production: the CPU
-- figure is an upper bound. The live WebSocket streams (books, prices, account) are not scaled.
--
--   hedge bench/idle.lua [SCALE]        (default 10: one real minute)
-- Lines: "idle holding: RSS max X MB, at end Y MB; CPU Z s in W s = P %".
-- Memory and CPU are read from /proc/<pid>/status and /proc/<pid>/stat of the bot process.
package.path = "tests/lua/?.lua;" .. package.path
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local Sim = require "lib.sim"

local SCALE = tonumber(arg and arg[1]) or 10
local SIMULATED_S = 600
local CLOCK_TICKS = 100   -- USER_HZ on Linux

local read = files.read

local write = files.write

-- RSS in kB and CPU seconds (user + system) of a process.
local function sample(pid)
  local status, stat = read("/proc/" .. pid .. "/status"), read("/proc/" .. pid .. "/stat")
  if not status or not stat then return nil end
  local rss = tonumber(status:match("VmRSS:%s*(%d+) kB"))
  -- Fields after the command name (which may hold spaces) start at ") ".
  local fields = {}
  for f in stat:match("%) (.*)$"):gmatch("%S+") do fields[#fields + 1] = f end
  local cpu = (tonumber(fields[12]) + tonumber(fields[13])) / CLOCK_TICKS   -- utime, stime (fields 14, 15)
  return rss, cpu
end

local sim = Sim.start { scenario = "tests/sim/scenarios/demo.json", clock = "scaled:" .. SCALE }
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir) == 0 or true)
local a = sim.addr
write(dir .. "/bot_config.json", cjson.encode {
  comment = "bench/idle.lua: the simulator's made-up accounts",
  venues = {
    pacifica = { environment = "sim", rest_url = a.pacifica.rest, ws_url = a.pacifica.ws },
    lighter = { environment = "sim", rest_url = a.lighter.rest, ws_url = a.lighter.ws },
    edgex = { environment = "sim", rest_url = a.edgex.host, ws_url = a.edgex.ws, api_version = "v2" },
  },
  symbols_to_monitor = "*", leverage = 3, notional_per_position = "500",
  hold_duration_hours = 24, wait_between_cycles_minutes = 60, check_interval_seconds = 60, time_scale = SCALE,
  min_net_apr_threshold = 5, min_volume_usd = 50000000, max_spread_pct = 0.15,
  liquidation_check_grace_period_seconds = 1800, state_db = dir .. "/hedge.db", log_file = dir .. "/hedge.log",
})
write(dir .. "/.env", assert(read(".env.example")))

local bot = assert(hedge.process.spawn { cmd = os.getenv("HEDGE_BIN") or "./hedge", args = { "scripts/strategy.lua",
  "--config", dir .. "/bot_config.json", "--env", dir .. "/.env", "--plain", "--max-cycles", "1" } })
local pid = bot:pid()

local ok, err = pcall(function()
  sim:wait_for(function()
    local log = read(dir .. "/hedge.log")
    return log and log:find("-> HOLDING", 1, true)
  end, 120, "the bot to open a hedge and hold it")
  local window = SIMULATED_S / SCALE
  local rss0, cpu0 = sample(pid)
  assert(rss0, "cannot read /proc/" .. pid)
  local rss_max, rss_end, cpu_end = rss0, rss0, cpu0
  local t0 = hedge.mono_ms()
  while hedge.mono_ms() - t0 < window * 1000 do
    hedge.sleep(0.5)
    local rss, cpu = sample(pid)
    assert(rss, "the bot exited while holding")
    rss_max, rss_end, cpu_end = math.max(rss_max, rss), rss, cpu
  end
  local elapsed = (hedge.mono_ms() - t0) / 1000
  local log = read(dir .. "/hedge.log")
  assert(not log:find("HOLDING -> CLOSING", 1, true), "the bot stopped holding inside the window")
  print(("idle holding: RSS max %.1f MB, at end %.1f MB; CPU %.2f s in %.1f s = %.2f %% (%d simulated minutes at %dx)"):format(
    rss_max / 1024, rss_end / 1024, cpu_end - cpu0, elapsed, 100 * (cpu_end - cpu0) / elapsed, SIMULATED_S / 60, SCALE))
end)
bot:kill()
bot:wait(10)
sim:stop()
os.execute("rm -rf " .. dir)
if not ok then error(err, 0) end
