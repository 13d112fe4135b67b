-- The venue simulator (tests/sim/sim.mjs) for Lua tests run by ./hedge: start it, read its
-- address line, drive its control API (tests/sim/README.md), stop it. Helpers wait on
-- conditions with a deadline, never a fixed sleep. Control-API failures raise: a test that
-- cannot set its world up must stop, not carry on.
--
--   local sim = require("lib.sim").start{scenario = tbl_or_path, clock = "stepped"}
--   sim.addr.pacifica.rest / .ws;  sim:fault{match = {...}, action = {...}, count = 1}
--   sim:requests{path = "/api/v1/info"}; sim:drop_ws("pacifica"); sim:advance(ms); sim:stop()
--   sim:wait_for(function() return cond end, 5, "what we wait for")
--   require("lib.sim").keys() -> tests/sim/scenarios/test_keys.json (made-up keys)
--   require("lib.sim").lighter_keys() -> tests/sim/venues/lighter/test_keys.json
local hedge = require "hedge"
local cjson = require "cjson"

local M = {}
local Sim = {}
Sim.__index = Sim

local SIM_DIR = os.getenv("HEDGE_SIM_DIR") or "tests/sim"

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

-- cjson.null inside decoded control answers becomes nil, as everywhere in hedge's Lua.
local function strip_nulls(v)
  if type(v) ~= "table" then return v ~= cjson.null and v or nil end
  for k, x in pairs(v) do v[k] = strip_nulls(x) end
  return v
end

function M.keys()
  return cjson.decode(read_file(SIM_DIR .. "/scenarios/test_keys.json")).pacifica
end

function M.lighter_keys()
  return cjson.decode(read_file(SIM_DIR .. "/venues/lighter/test_keys.json"))
end

function M.default_scenario()
  return cjson.decode(read_file(SIM_DIR .. "/scenarios/default.json"))
end

-- start{scenario = table | path, clock = "real" | "stepped" | "scaled:N", verbose = bool}
function M.start(opts)
  opts = opts or {}
  local args = { SIM_DIR .. "/sim.mjs" }
  local temp
  if type(opts.scenario) == "table" then
    temp = os.tmpname()
    local f = assert(io.open(temp, "wb"))
    f:write(cjson.encode(opts.scenario))
    f:close()
    args[#args + 1], args[#args + 2] = "--scenario", temp
  elseif type(opts.scenario) == "string" then
    args[#args + 1], args[#args + 2] = "--scenario", opts.scenario
  end
  if opts.clock then args[#args + 1], args[#args + 2] = "--clock", opts.clock end
  if opts.verbose then args[#args + 1] = "--verbose" end
  local proc = assert(hedge.process.spawn { cmd = "node", args = args })
  local line, err = proc:read_line(30)
  if temp then os.remove(temp) end
  if not line then
    proc:kill()
    error("the simulator printed no address line: " .. tostring(err), 2)
  end
  local ok, addr = pcall(cjson.decode, line)
  if not ok or type(addr) ~= "table" or not addr.control then
    proc:kill()
    error("the simulator's first line is not its address JSON: " .. line, 2)
  end
  return setmetatable({ addr = addr, control = addr.control, process = proc }, Sim)
end

-- sim:call(method, path, body?) -> decoded answer (raises on a non-200 answer)
function Sim:call(method, path, body)
  local res, err = hedge.http.request {
    method = method, url = self.control .. path, timeout = 10,
    headers = body and { ["Content-Type"] = "application/json" } or nil,
    body = body and cjson.encode(body) or nil,
  }
  if not res then error(("control %s %s: %s"):format(method, path, tostring(err)), 2) end
  local ok, decoded = pcall(cjson.decode, res.body)
  if res.status ~= 200 or not ok then
    error(("control %s %s: HTTP %d %s"):format(method, path, res.status, res.body), 2)
  end
  return strip_nulls(decoded)
end

local function query(params)
  local parts = {}
  for k, v in pairs(params or {}) do
    parts[#parts + 1] = k .. "=" .. tostring(v):gsub("[^%w%-_%.~/]", function(c) return ("%%%02X"):format(c:byte()) end)
  end
  table.sort(parts)
  return #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
end

function Sim:state(venue) return self:call("GET", "/state" .. query { venue = venue }) end
function Sim:load(scenario) return self:call("POST", "/scenario", scenario) end
function Sim:reset() return self:call("POST", "/reset") end
function Sim:advance(ms) return self:call("POST", "/clock/advance", { ms = ms }) end
function Sim:set_prices(p) return self:call("POST", "/prices", p) end
function Sim:set_book(b) return self:call("POST", "/book", b) end
function Sim:fault(f) return self:call("POST", "/faults", f) end
function Sim:clear_faults() return self:call("DELETE", "/faults") end
function Sim:faults() return self:call("GET", "/faults") end
function Sim:fault_log() return self:call("GET", "/faults/log") end
function Sim:clear_requests() return self:call("DELETE", "/requests") end
function Sim:drop_ws(venue) return self:call("POST", "/ws/drop", venue and { venue = venue } or {}) end
function Sim:ws_connections(venue) return self:call("GET", "/ws" .. query { venue = venue }).connections end

-- sim:requests{venue=, kind=, path=, op=, method=, since=, limit=} -> entries (oldest first)
function Sim:requests(filter)
  return self:call("GET", "/requests" .. query(filter)).entries or {}
end

-- The state of one account of a venue (balance, positions, open orders ...).
function Sim:account(venue, id)
  for _, a in ipairs(self:state(venue).venues[venue].accounts or {}) do
    if a.id == id then return a end
  end
  return nil
end

-- sim:wait_for(fn, timeout_s, what) -> fn's first truthy value; raises after the deadline.
function Sim:wait_for(fn, timeout, what)
  local deadline = hedge.mono_ms() + (timeout or 5) * 1000
  while true do
    local v = fn()
    if v then return v end
    if hedge.mono_ms() > deadline then error(("timed out after %g s waiting for %s"):format(timeout or 5, what or "a condition"), 2) end
    hedge.sleep(0.02)
  end
end

function Sim:stop()
  self.process:kill()
  self.process:wait(5)
end

return M
