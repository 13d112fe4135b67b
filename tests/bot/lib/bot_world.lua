-- The rotation bot as a user runs it (./hedge scripts/strategy.lua, a child process) against the
-- venue simulator, for the bot integration tests (tests/lua/bot_*.lua).
--
--   local World = require "lib.bot_world"
--   local w = World.start{scale = 1440, config = {hold_duration_hours = 2}}   -- sim + config + .env
--   local bot = w:spawn_bot{"--max-cycles", "1"}      -- stdout/stderr go to w.dir/bot.out
--   w:wait_log("OPENING %-> HOLDING", 20)             -- the bot's JSON log, searched as it grows
--   w:positions()  -> {venue = {symbol = signed size (D)}} from the simulator's control API
--   w:journal()    -> hedge.store dump of the bot's state database (read-only)
--   bot:kill(9); bot:wait(5); w:stop()
--
-- The simulator runs the world of tests/sim/scenarios/bot_default.json (or a modified copy) on a
-- scaled clock; the bot's time_scale is the same factor, so hours of holding take seconds. The
-- accounts are the simulator's made-up ones from .env.example.
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local D = require "hedge.decimal"
local Sim = require "lib.sim"

local M = {}
local World = {}
World.__index = World

local SCENARIO = "tests/sim/scenarios/bot_default.json"
M.VENUES = { "edgex", "lighter", "pacifica" }

local read_all = files.read

local write_file = files.write

-- The account ids the made-up keys of .env.example trade as, per venue.
local function env_accounts(env_text)
  local get = function(name) return env_text:match("\n" .. name .. "=([^\n]+)") end
  return { pacifica = get("SOL_WALLET"), lighter = get("ACCOUNT_INDEX"), edgex = get("EDGEX_ACCOUNT_ID") }
end

function M.scenario()
  return cjson.decode(assert(read_all(SCENARIO)))
end

-- The configuration every test starts from: all three venues, every symbol, the filters the
-- world is designed around (tests/sim/README.md, "bot_default.json"), a strategy clock that runs
-- as fast as the simulator's.
function World:base_config()
  local venues = {}
  for _, v in ipairs(self.venue_names) do
    local a = self.sim.addr[v]
    venues[v] = { environment = "sim", rest_url = v == "edgex" and a.host or a.rest, ws_url = a.ws }
    if v == "edgex" then venues[v].api_version = "v2" end
  end
  return {
    comment = "written by tests/lua/lib/bot_world.lua for the simulator; every account is made up",
    venues = venues, symbols_to_monitor = "*", leverage = 3, notional_per_position = "3000",
    hold_duration_hours = 2, wait_between_cycles_minutes = 30, check_interval_seconds = 300,
    time_scale = self.scale, min_net_apr_threshold = 5, min_volume_usd = 1000000, max_spread_pct = 0.5,
    max_bidask_spread_pct = 0.2, liquidation_check_grace_period_seconds = 600,
    fill_wait_seconds = 3, reconcile_seconds = 3, error_retry_minutes = 30,
    state_db = self.dir .. "/state/hedge.db", log_file = self.dir .. "/logs/hedge.log",
  }
end

-- World:write_config(overrides) -- the base configuration with overrides (false removes a key).
function World:write_config(over)
  local c = self:base_config()
  for k, v in pairs(over or {}) do
    if v == false and k ~= "funding_inversion_exit_apr" then c[k] = nil else c[k] = v end
  end
  self.config = c
  write_file(self.config_path, cjson.encode(c))
  return c
end

-- M.start{scenario = table?, scale = N, config = overrides, venues = {...}} -> world
function M.start(opts)
  opts = opts or {}
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir) == 0, "cannot create " .. dir)
  local scale = opts.scale or 1440
  local sim = Sim.start { scenario = opts.scenario or SCENARIO, clock = "scaled:" .. scale }
  local env_text = assert(read_all(".env.example"))
  local self = setmetatable({ sim = sim, dir = dir, scale = scale, venue_names = opts.venues or M.VENUES,
    config_path = dir .. "/bot_config.json", env_path = dir .. "/.env", bots = {},
    accounts = env_accounts(env_text), log_offset = 0, log_lines = {} }, World)
  write_file(self.env_path, env_text)
  self:write_config(opts.config)
  self.db_path = self.config.state_db
  self.log_path = self.config.log_file
  return self
end

-- ---- the bot process ---------------------------------------------------------------------------

local Bot = {}
Bot.__index = Bot

-- world:spawn_bot(extra_args) -> bot. The bot runs with an empty environment (nothing of the
-- developer's leaks in) and its output in a file: bot:output() reads it.
function World:spawn_bot(extra)
  local n = #self.bots + 1
  local out = ("%s/bot%d.out"):format(self.dir, n)
  local args = { "./hedge", "scripts/strategy.lua", "--config", self.config_path, "--env", self.env_path, "--plain" }
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  for i, a in ipairs(args) do args[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
  -- exec: the pid we hold is the bot's own, so kill -9 hits the bot and nothing in between.
  local proc = assert(hedge.process.spawn { cmd = "/bin/sh", env = { "PATH=" .. os.getenv("PATH") },
    args = { "-c", "exec " .. table.concat(args, " ") .. " > '" .. out .. "' 2>&1" } })
  local bot = setmetatable({ proc = proc, out = out, world = self, n = n }, Bot)
  self.bots[n] = bot
  return bot
end

function Bot:kill(signal) return self.proc:kill(signal or 15) end
function Bot:pid() return self.proc:pid() end
function Bot:output() return read_all(self.out) or "" end

-- bot:wait(timeout) -> exit status, signal | nil, err
function Bot:wait(timeout)
  local status, sig = self.proc:wait(timeout or 30)
  if status ~= nil then self.exited = true end
  return status, sig
end

-- ---- the bot's log -----------------------------------------------------------------------------

-- Reads what the bot appended to its JSON log since the last call; returns every line so far.
function World:log()
  local f = io.open(self.log_path, "rb")
  if not f then return self.log_lines end
  f:seek("set", self.log_offset)
  local chunk = f:read("*a")
  f:close()
  local consumed = 0
  for line in chunk:gmatch("([^\n]*)\n") do
    consumed = consumed + #line + 1
    local ok, rec = pcall(cjson.decode, line)
    if ok and type(rec) == "table" then
      rec.index = #self.log_lines + 1
      self.log_lines[#self.log_lines + 1] = rec
    end
  end
  self.log_offset = self.log_offset + consumed
  return self.log_lines
end

-- world:find_log(pattern, from) -> record, index of the first message matching from index `from`.
function World:find_log(pattern, from)
  local lines = self:log()
  for i = from or 1, #lines do
    if lines[i].msg and lines[i].msg:find(pattern) then return lines[i], i end
  end
  return nil
end

-- world:wait_log(pattern, timeout, from) -> record (raises with the last lines after the deadline).
function World:wait_log(pattern, timeout, from)
  local deadline = hedge.mono_ms() + (timeout or 20) * 1000
  while true do
    local rec = self:find_log(pattern, from)
    if rec then return rec end
    if hedge.mono_ms() > deadline then
      local lines, tail = self:log(), {}
      for i = math.max(1, #lines - 15), #lines do tail[#tail + 1] = lines[i].msg end
      error(("timed out after %gs waiting for log /%s/; last lines:\n%s"):format(timeout or 20, pattern, table.concat(tail, "\n")), 2)
    end
    hedge.sleep(0.02)
  end
end

-- Messages matching pattern (from index `from`).
function World:grep_log(pattern, from)
  local out = {}
  for i, rec in ipairs(self:log()) do
    if i >= (from or 1) and rec.msg and rec.msg:find(pattern) then out[#out + 1] = rec end
  end
  return out
end

-- ---- the venues, as the simulator sees them -------------------------------------------------

-- world:positions() -> {venue = {symbol = signed size (D)}}, open orders in .orders[venue]
function World:positions()
  local st = self.sim:state()
  local out, orders = {}, {}
  for _, v in ipairs(self.venue_names) do
    out[v], orders[v] = {}, {}
    for _, a in ipairs(st.venues[v].accounts) do
      if a.id == self.accounts[v] then
        for _, p in ipairs(a.positions) do
          local size = D(p.size)
          out[v][p.symbol] = p.side == "long" and size or -size
        end
        for _, o in ipairs(a.open_orders) do orders[v][#orders[v] + 1] = o end
      end
    end
  end
  out.orders = orders
  return out
end

-- world:exposure() -> {symbol = {{venue, size}, ...}} for every open position, and a text of it.
function World:exposure()
  local pos = self:positions()
  local by_symbol, parts = {}, {}
  for _, v in ipairs(self.venue_names) do
    for symbol, size in pairs(pos[v]) do
      by_symbol[symbol] = by_symbol[symbol] or {}
      table.insert(by_symbol[symbol], { venue = v, size = size })
      parts[#parts + 1] = ("%s %s %s"):format(v, tostring(size), symbol)
    end
  end
  table.sort(parts)
  return by_symbol, #parts > 0 and table.concat(parts, ", ") or "flat", pos
end

-- The account record of the bot's account on a venue (balance, equity, positions ...).
function World:account(venue)
  return self.sim:account(venue, self.accounts[venue])
end

-- Order-creating requests the simulator received for a venue (oldest first): Pacifica's
-- create/create_market, Lighter's sendTx create_order, edgeX's createOrder.
local ORDER_OPS = { create_order = true, create_market_order = true, createOrder = true }
function World:order_requests(venue, since)
  local out = {}
  for _, e in ipairs(self.sim:requests { venue = venue, kind = "http", method = "POST", since = since }) do
    if ORDER_OPS[e.op] then out[#out + 1] = e end
  end
  return out
end

-- The order requests on `venue` that carry the bot's client id (as the venue takes it: Lighter's
-- client order index inside the form-encoded tx_info, the UUID elsewhere).
function World:order_requests_for(venue, client_id, since)
  local needle = client_id
  if venue == "lighter" then
    local index = require("venues.lighter").client_index(client_id)
    needle = ("ClientOrderIndex%%22%%3A%d%%2C"):format(index)
  end
  local out = {}
  for _, e in ipairs(self:order_requests(venue, since)) do
    if e.body and e.body:find(needle, 1, true) then out[#out + 1] = e end
  end
  return out
end

-- world:ledger(venue) -> what the venue booked for the bot's account: {balance, trades = {...},
-- funding = {...}} with exact decimal strings (tests/sim/README.md, GET /ledger).
function World:ledger(venue)
  return self.sim:call("GET", ("/ledger?venue=%s&account=%s"):format(venue, self.accounts[venue]))
end

-- world:liquidate(venue, symbol) -- the venue's liquidation engine takes the bot's position.
function World:liquidate(venue, symbol)
  return self.sim:call("POST", "/liquidate", { venue = venue, account = self.accounts[venue], symbol = symbol })
end

-- ---- the bot's state database ------------------------------------------------------------------

-- world:journal() -> the store's dump (state, hedge, history), read-only; nil, err without one.
function World:journal()
  local store = require "hedge.store"
  local db, err = store.open(self.db_path, { read_only = true })
  if not db then return nil, err end
  local dump, derr = db:dump()
  local intents = db:intent_list_open()
  db:close()
  if not dump then return nil, derr end
  dump.open_intents = intents or {}
  return dump
end

-- SQLite's own check of the database file, through the sqlite3 tool: "ok" when intact.
function World:integrity()
  local p = io.popen("sqlite3 -readonly '" .. self.db_path .. "' 'PRAGMA integrity_check;' 2>&1")
  local text = p:read("*a")
  p:close()
  return (text:gsub("%s+$", ""))
end

function World:stop()
  for _, bot in ipairs(self.bots) do
    if not bot.exited then bot:kill(9); bot:wait(5) end
  end
  self.sim:stop()
  os.execute("rm -rf '" .. self.dir .. "'")
end

-- A unique-enough temporary copy of the world's files for a failing run, kept for inspection.
function World:keep(name)
  local to = "/tmp/hedge-bot-" .. name .. "-" .. os.time()
  os.execute(("cp -r '%s' '%s'"):format(self.dir, to))
  return to
end

return M
