-- The bot's configuration as users meet it (issue 8): ./hedge scripts/strategy.lua itself.
--   1. bad files and secrets stop it before it trades, with exit status 2 and a message naming
--      the key or variable (tests/cli/config.sh checks much of this through check_config.lua;
--      here the bot: unknown keys, nested and top-level types, a missing required key, missing
--      and malformed secrets, a missing selection script, time_scale off the simulator), and
--      never prints a secret;
--   2. a running bot re-reads the file before each cycle: a bad edit is refused with the reason
--      and the previous configuration keeps trading; a good edit is used from the next cycle.
package.path = "tests/lua/?.lua;" .. package.path
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local D = require "hedge.decimal"
local t = require "lib.tap"
local World = require "lib.bot_world"

local function read(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("*a")
  f:close()
  return s
end

local write = files.write

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p '" .. dir .. "'")
local ENV = read(".env.example")
local LIGHTER_KEY = ENV:match("\nAPI_KEY_PRIVATE_KEY=(%x+)")
local PACIFICA_SECRET = ENV:match("\nAPI_PRIVATE=(%w+)")
assert(LIGHTER_KEY and PACIFICA_SECRET, ".env.example holds the simulator's made-up keys")

-- Runs the bot on a configuration (a table, or text as it is in the file) and a .env text;
-- -> exit status, stderr + stdout.
local function run_bot(config, env_text)
  local cfg_path, env_path, out = dir .. "/bot_config.json", dir .. "/.env", dir .. "/out"
  write(cfg_path, type(config) == "string" and config or cjson.encode(config))
  write(env_path, env_text or ENV)
  local p = assert(hedge.process.spawn { cmd = "/bin/sh", env = { "PATH=" .. os.getenv("PATH") }, args = { "-c",
    ("exec ./hedge scripts/strategy.lua --config '%s' --env '%s' --plain > '%s' 2>&1"):format(cfg_path, env_path, out) } })
  local status = p:wait(30)
  return status, read(out)
end

-- A valid configuration for the simulator's endpoints (nothing listens there: every case below
-- must stop before the first request).
local function good()
  return {
    venues = {
      lighter = { environment = "sim", rest_url = "http://127.0.0.1:9/api/v1", ws_url = "ws://127.0.0.1:9/stream" },
      pacifica = { environment = "sim", rest_url = "http://127.0.0.1:9/api/v1", ws_url = "ws://127.0.0.1:9/ws" },
    },
    symbols_to_monitor = { "ETH" }, leverage = 3, notional_per_position = "1000",
    state_db = dir .. "/state/hedge.db", log_file = dir .. "/logs/hedge.log",
  }
end

local function with(changes)
  local c = good()
  for k, v in pairs(changes) do c[k] = v end
  return c
end

local cases = {
  { "an unknown key", with { hold_duration_hour = 12 }, nil,
    'hold_duration_hour: unknown key %(did you mean "hold_duration_hours"%?%)' },
  { "an unknown key inside a venue", (function() local c = good(); c.venues.lighter.chain = 304; return c end)(), nil,
    "venues%.lighter%.chain: unknown key" },
  { "a wrong type", with { hold_duration_hours = "24" }, nil, 'hold_duration_hours: expected a number.*found "24"' },
  { "a wrong nested type", (function() local c = good(); c.venues.pacifica.rest_url = 8080; return c end)(), nil,
    "venues%.pacifica%.rest_url: expected" },
  { "a missing required key", (function() local c = good(); c.leverage = nil; return c end)(), nil, "leverage" },
  { "a missing selection script", with { selection_script = dir .. "/nowhere.lua" }, nil, "selection_script: no file at" },
  { "time_scale off the simulator", (function() local c = good(); c.time_scale = 60
      c.venues.lighter = { environment = "mainnet" }; return c end)(), nil, "time_scale" },
  { "JSON that does not parse", '{"venues": {', nil, "bot_config%.json:1:%d+:" },
  { "a missing secret", good(), (ENV:gsub("\nAPI_PRIVATE=[^\n]*", "")), "API_PRIVATE: missing; venue pacifica needs it" },
  { "a malformed Lighter key", good(), (ENV:gsub("\nAPI_KEY_PRIVATE_KEY=(%x+)", "\nAPI_KEY_PRIVATE_KEY=%1ab")),
    "API_KEY_PRIVATE_KEY: expected 80 hex digits" },
  { "a malformed Pacifica secret", good(), (ENV:gsub("\nAPI_PRIVATE=(%w+)", "\nAPI_PRIVATE=%1l0OI")), "API_PRIVATE: expected base58" },
  { "a malformed account index", good(), (ENV:gsub("\nACCOUNT_INDEX=%d+", "\nACCOUNT_INDEX=12x")), "ACCOUNT_INDEX" },
}

for _, case in ipairs(cases) do
  local name, config, env_text, pattern = case[1], case[2], case[3], case[4]
  local status, out = run_bot(config, env_text)
  t.is(status, 2, name .. ": the bot exits 2")
  t.like(out, pattern, name .. ": the message names it")
  t.ok(not out:find(LIGHTER_KEY:sub(1, 20), 1, true) and not out:find(PACIFICA_SECRET:sub(1, 20), 1, true),
    name .. ": no secret in the output")
  t.ok(not out:find("stack traceback", 1, true), name .. ": a message, not a crash")
end
local _, out = run_bot(with { hold_duration_hour = 12, leverage = "3" })
t.like(out, "2 problems in [^\n]*bot_config%.json:\n[^\n]*hold_duration_hour: unknown key[^\n]*\n[^\n]*leverage: expected a whole number",
  "every problem of a file is listed, one per line")

-- 2. hot reload: a bad edit keeps the previous configuration, a good one is used next cycle
local scenario = World.scenario()
for _, v in pairs(scenario.venues) do
  for _, m in ipairs(v.markets) do m.funding.path = nil end
end
local reload_config = { symbols_to_monitor = { "ETH" }, hold_duration_hours = 6, check_interval_seconds = 1800,
  wait_between_cycles_minutes = 30, min_net_apr_threshold = 1,
  fees = { lighter = { taker = "0" }, pacifica = { taker = "0" } } }
local w = World.start { scenario = scenario, scale = 14400, venues = { "lighter", "pacifica" }, config = reload_config }
local ok, err = pcall(function()
  local bot = w:spawn_bot { "--max-cycles", "3" }
  local first = w:wait_log("OPENING %-> HOLDING", 30)
  -- While cycle 1 is held: a wrong type, the kind of slip an edit makes.
  local text = read(w.config_path):gsub('"leverage":3', '"leverage":"5"')
  write(w.config_path, text)
  local refused = w:wait_log("configuration not reloaded", 30, first.index)
  t.like(refused.msg, "leverage: expected a whole number from 1 to 100, found \"5\"", "the bad edit is refused, naming the key")
  t.like(refused.msg, "kept the previous configuration", "and the bot says it keeps the previous one")
  local second = w:wait_log("OPENING %-> HOLDING", 30, refused.index)
  -- Now a good edit: half the notional.
  local c = w:write_config(reload_config)
  c.notional_per_position = "1500"
  write(w.config_path, cjson.encode(c))
  w:wait_log("OPENING %-> HOLDING", 30, second.index + 1)
  t.is(bot:wait(60), 0, "three cycles, then the bot exits 0")
  local j = assert(w:journal())
  local sizes = {}
  for _, e in ipairs(j.events) do
    if e.kind == "open_attempt" then sizes[#sizes + 1] = e.data and e.data.size end
  end
  t.is(sizes[1], "0.857", "cycle 1 at notional 3000")
  t.is(sizes[2], "0.857", "cycle 2 too: the refused edit changed nothing")
  t.is(sizes[3], "0.4285", "cycle 3 at the edited notional 1500")
  local levers = {}
  for _, e in ipairs(w.sim:requests { venue = "pacifica", path = "/api/v1/account/leverage" }) do
    levers[#levers + 1] = e.body:match('"leverage":(%d+)')
  end
  t.is(table.concat(levers, ","), "3,3,3", "every cycle set leverage 3 (never the refused 5)")
end)
if not ok then t.ok(false, "the reload test ran to the end: " .. tostring(err)) end
if t.failed > 0 then t.diag("kept the bot's files in " .. w:keep("config_reload")) end
w:stop()
os.execute("rm -rf '" .. dir .. "'")
t.done()
