-- Starts tests/sim/test_server.mjs for a Lua test and returns its addresses.
-- The server exits when our end of its stdin closes, so it never outlives the test.
local hedge = require "hedge"

local M = {}

function M.start(extra_args)
  local args = { "tests/sim/test_server.mjs" }
  for _, a in ipairs(extra_args or {}) do args[#args + 1] = a end
  local proc = assert(hedge.process.spawn { cmd = "node", args = args })
  local line = assert(proc:read_line(15))
  local addr = {}
  for k, v in line:gmatch('"(%w+)":"([^"]+)"') do addr[k] = v end
  addr.process = proc
  return addr
end

function M.stop(addr)
  addr.process:kill()
  addr.process:wait(5)
end

return M
